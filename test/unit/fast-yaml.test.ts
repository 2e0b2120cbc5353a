/**
 * The line reader for common YAML (src/sources/manifests/fast-yaml.ts) against the full reader:
 * on every YAML file of the repository (fixtures, corpora, examples, docs) and on generated and
 * mutated documents, a document it takes must decode to the same value as the full reader's,
 * with the same position for every pointer, and a document the full reader refuses or warns
 * about must never be taken.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { splitYamlStream } from '../../src/sources/manifests/split.js';
import { parseManifestText, DEFAULT_LIMITS } from '../../src/sources/manifests/parse.js';
import { fastYamlSwitch, fastYamlValue, FastYamlIndex } from '../../src/sources/manifests/fast-yaml.js';
import { YamlDocIndex } from '../../src/sources/manifests/yaml-events.js';
import { parsePointer } from '../../src/inventory/pointer.js';
import { mutateText, textMutation, SEED_TEXTS } from '../support/fuzz.js';
import { constructFromEvents, parseEvents } from 'js-yaml';
import { GO_YAML_SCHEMA } from '../../src/sources/manifests/go-yaml-schema.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(e.name) && statSync(p).size < 4 << 20) out.push(p);
  }
  return out;
}

/** Every pointer of a value (and one that does not exist below each container). */
function pointersOf(v: unknown, base = '', out: string[] = []): string[] {
  out.push(base);
  if (Array.isArray(v)) {
    v.forEach((x, i) => pointersOf(x, `${base}/${i}`, out));
    out.push(`${base}/${v.length}`);
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) pointersOf(x, `${base}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, out);
    out.push(`${base}/no-such-key`);
  }
  return out;
}

function valueAt(v: unknown, pointer: string): unknown {
  let cur = v;
  for (const seg of parsePointer(pointer)) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
  return cur;
}

/** The full reader's value of one document (parse.ts's steps), or an error when it refuses it. */
function slowValue(text: string): unknown {
  return constructFromEvents(parseEvents(text, { maxDepth: DEFAULT_LIMITS.maxDepth }), { source: text, schema: GO_YAML_SCHEMA })[0];
}

/** Compares the two readers on one document; returns whether the fast one took it. */
function compareDocument(text: string, label: string): boolean {
  const fast = fastYamlValue(text);
  if (!fast) return false;
  fastYamlSwitch.enabled = false;
  let slow: ReturnType<typeof parseManifestText>;
  try {
    slow = parseManifestText('doc.yaml', text, { limits: DEFAULT_LIMITS });
  } finally {
    fastYamlSwitch.enabled = true;
  }
  const docs = slow.yamlDocs ?? [];
  assert.equal(docs.length, 1, `${label}: the full reader sees ${docs.length} documents`);
  // nothing the full reader says about the text itself (syntax, duplicate keys, aliases, depth)
  const textProblems = slow.problems.filter((p) => ['yaml-syntax', 'duplicate-key', 'alias-limit', 'too-deep', 'invalid-utf8'].includes(p.code));
  assert.deepEqual(textProblems, [], `${label}: the line reader took a document the full reader has problems with`);
  assert.deepStrictEqual(fast.value, slowValue(text), `${label}: values differ`);
  const index = docs[0]!.index ?? YamlDocIndex.parse(text, 4096);
  const fastIndex = FastYamlIndex.parse(text);
  assert.ok(fastIndex, label);
  for (const p of pointersOf(fast.value)) {
    const want = index.offsetOfPointer(p, parsePointer(p));
    const got = fastIndex.offsetOfPointer(p);
    // an empty sequence item (`-` alone) has no node start in the full reader, which answers the
    // document's start; the line reader answers its sequence's position
    if (want === 0 && got !== 0 && valueAt(fast.value, p) === null) continue;
    assert.equal(got, want, `${label}: position of ${JSON.stringify(p)}`);
  }
  return true;
}

test('on every YAML file of the repository, each document the line reader takes reads as the full reader reads it, positions included', () => {
  const files = [...yamlFiles(path.join(ROOT, 'test')), ...yamlFiles(path.join(ROOT, 'examples')), ...yamlFiles(path.join(ROOT, 'docs'))];
  assert.ok(files.length > 300, `only ${files.length} files`);
  let taken = 0;
  let all = 0;
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    for (const d of splitYamlStream(text)) {
      all++;
      if (compareDocument(d.text, `${path.relative(ROOT, f)} document ${d.index + 1}`)) taken++;
    }
  }
  // most manifests are in the subset: the line reader must actually be used
  assert.ok(taken > all * 0.5, `the line reader took ${taken} of ${all} documents`);
});

test('on mutated manifests, every document the line reader takes reads as the full reader reads it, and none the full reader refuses is taken', () => {
  const seeds = [...SEED_TEXTS, ...['test/corpus/audit/shop-inventory/kube-system.yaml', 'test/corpus/controls/microservices-demo/redis.yaml', 'test/corpus/controls/argo-cd/install.yaml'].map((f) => readFileSync(path.join(ROOT, f), 'utf8'))];
  let taken = 0;
  let docs = 0;
  fc.assert(
    fc.property(fc.nat({ max: seeds.length - 1 }), fc.array(textMutation, { minLength: 1, maxLength: 3 }), (i, muts) => {
      const text = mutateText(seeds[i]!, muts).toString('utf8');
      for (const d of splitYamlStream(text)) {
        docs++;
        if (compareDocument(d.text, `mutated document ${d.index + 1}`)) taken++;
      }
    }),
    { seed: Number(process.env.FY_SEED ?? 20261207), numRuns: Number(process.env.FY_RUNS ?? 600) },
  );
  assert.ok(taken > docs * 0.3, `the line reader took ${taken} of ${docs} mutated documents`);
});

test('the subset, and what is left to the full reader', () => {
  const takes = (t: string): boolean => fastYamlValue(t) !== undefined;
  assert.ok(takes('a: 1\nb:\n- x\n- "y"\nc: {d: [1, two], "e f": \'g\'\'h\'}\nd: |\n  line\n\n  more\n'));
  assert.deepEqual(fastYamlValue('a: |-\n  x\n  y\nb: [get, list]\nc: on\nd: "0777"\ne: 0777\n')!.value, { a: 'x\ny', b: ['get', 'list'], c: true, d: '0777', e: 511 });
  for (const t of ['a: &x 1\nb: *x\n', 'a: !!str 1\n', 'a: >\n  folded\n', 'a: "esc\\n"\n', 'a: 1\na: 2\n', 'on: 1\n', 'a:\n\tb: 1\n', 'a: b\n  c\n', 'a: "multi\n  line"\n', '<<: {a: 1}\n', '? a\n: b\n', 'a: 1\r\nb: 2\r\n', '%YAML 1.1\n---\na: 1\n', 'just a scalar\n']) {
    assert.equal(takes(t), false, JSON.stringify(t));
  }
});

test('scans of repository-shaped corpora give the same report, byte for byte, with and without the line reader', async () => {
  const { scanPaths } = await import('../../src/scan.js');
  const { formatReport } = await import('../../src/report/index.js');
  const dirs = ['examples', 'test/corpus/controls/argo-cd', 'test/corpus/controls/kubernetes-goat', 'test/corpus/controls/microservices-demo', 'test/corpus/controls/kube-prometheus', 'test/corpus/noise', 'test/corpus/graph'].map((d) => path.join(ROOT, d)).filter((d) => statSync(d, { throwIfNoEntry: false }));
  const report = async (): Promise<string> => {
    const r = await scanPaths(dirs, { attackPaths: true });
    return formatReport(r, 'json', { color: false }) + formatReport(r, 'sarif', { color: false });
  };
  const withFast = await report();
  fastYamlSwitch.enabled = false;
  let without: string;
  try {
    without = await report();
  } finally {
    fastYamlSwitch.enabled = true;
  }
  assert.ok(withFast.length > 10_000);
  assert.equal(withFast, without);
});
