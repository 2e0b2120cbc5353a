/**
 * YAML decoded on two threads (yaml-pool.ts) must give exactly what one thread gives: the
 * same objects, origins and problems in the same order, and position tables that answer
 * every pointer the same way. The corpus mixes generated manifests with the bad-input
 * fixtures (syntax errors, alias bombs, duplicate keys, invalid UTF-8, non-objects).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dump } from 'js-yaml';
import { decodeYamlTexts, type YamlInput, type YamlOutput } from '../../src/sources/manifests/yaml-pool.js';
import { DEFAULT_LIMITS, parseManifestText } from '../../src/sources/manifests/parse.js';
import { invalidUtf8Lines, loadManifests } from '../../src/sources/manifests/load.js';
import { generateSet } from '../../bench/generate.js';
import { YamlDocIndex } from '../../src/sources/manifests/yaml-events.js';
import { FastYamlIndex } from '../../src/sources/manifests/fast-yaml.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const corpus = path.resolve(here, '../fixtures/bad-input');

function inputs(): YamlInput[] {
  const out: YamlInput[] = [];
  for (const app of generateSet(1500, 7).apps) {
    out.push({ source: `${app.namespace}/${app.name}.yaml`, text: app.objects.map((o) => dump(o, { lineWidth: -1 })).join('---\n'), via: 'file' });
  }
  for (const name of readdirSync(corpus).sort()) {
    if (!/\.ya?ml$/.test(name)) continue;
    out.splice(out.length >> 1, 0, { source: name, text: readFileSync(path.join(corpus, name), 'utf8'), via: 'file' });
  }
  // invalid UTF-8 in the second document of a stream: only that document is skipped
  const bytes = Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: before}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad}\ndata: {a: "'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: after}\n')]);
  out.push({ source: 'bad-utf8.yaml', text: bytes.toString('utf8'), via: 'file', badLines: invalidUtf8Lines(bytes) });
  // one long stream, cut into several chunks
  const long = generateSet(900, 11).apps.flatMap((a) => a.objects);
  out.push({ source: 'stream.yaml', text: long.map((o) => dump(o, { lineWidth: -1 })).join('---\n'), via: 'helm' });
  return out;
}

/** Every pointer the objects of a text have, plus a few that lead nowhere. */
function pointersOf(value: unknown, base = '', out: string[] = []): string[] {
  out.push(base);
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) pointersOf(v, `${base}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, out);
  }
  return out;
}

function assertSame(threaded: YamlOutput[], serial: YamlOutput[]): void {
  assert.equal(threaded.length, serial.length);
  for (let s = 0; s < serial.length; s++) {
    const a = threaded[s]!;
    const b = serial[s]!;
    assert.deepEqual(a.objects, b.objects, `objects of input ${s}`);
    assert.deepEqual(a.problems, b.problems, `problems of input ${s}`);
    assert.deepEqual(a.yamlDocs.map((d) => d.raw), b.yamlDocs.map((d) => d.raw));
    for (let d = 0; d < b.yamlDocs.length; d++) {
      // the full reader's event index, or the line reader's positions (kept while reading by a
      // small input, else built again here, as the locator does): the same offsets either way
      const raw = b.yamlDocs[d]!.raw;
      const effective = (i: YamlDocIndex | FastYamlIndex | undefined) => i ?? FastYamlIndex.parse(raw.text);
      const x = effective(a.yamlDocs[d]!.index);
      const y = effective(b.yamlDocs[d]!.index);
      assert.equal(x === undefined, y === undefined, `index of document ${d} of input ${s}`);
      if (!x || !y) continue;
      if (x instanceof YamlDocIndex && y instanceof YamlDocIndex) assert.deepEqual(x.table.data, y.table.data);
      const obj = b.objects.find((o) => o.origin.documentIndex === d)?.object;
      for (const p of [...pointersOf(obj), '/no/such', '/spec/containers/99']) {
        const segs = p.split('/').slice(1);
        assert.equal(x.offsetOfPointer(p, segs), y.offsetOfPointer(p, segs), `${p} in document ${d} of input ${s}`);
      }
    }
  }
}

test('documents decoded by the second thread are the documents decoded here', async () => {
  const all = inputs();
  const serial = await decodeYamlTexts(all, DEFAULT_LIMITS, { minBytes: Infinity });
  // the reference: each text on its own, through the one-thread parser
  for (let s = 0; s < all.length; s++) {
    const one = parseManifestText(all[s]!.source, all[s]!.text, { via: all[s]!.via, badLines: all[s]!.badLines });
    assert.deepEqual(serial[s]!.objects, one.objects);
    assert.deepEqual(serial[s]!.problems, one.problems);
  }
  assert.ok(serial.some((o) => o.problems.some((p) => p.code === 'alias-limit')), 'the corpus holds an alias bomb');
  assert.ok(serial.some((o) => o.problems.some((p) => p.code === 'invalid-utf8')), 'and invalid UTF-8');
  // everything on the second thread
  const stats = { chunks: 0, helperChunks: 0 };
  const threaded = await decodeYamlTexts(all, DEFAULT_LIMITS, { minBytes: 0, mainDecodes: false, stats });
  assert.ok(stats.chunks > all.length, 'the long stream is cut into chunks');
  assert.equal(stats.helperChunks, stats.chunks, 'the second thread decoded every chunk');
  assertSame(threaded, serial);
  // both threads at once: however the chunks are shared, the result is the same
  const shared = { chunks: 0, helperChunks: 0 };
  assertSame(await decodeYamlTexts(all, DEFAULT_LIMITS, { minBytes: 0, stats: shared }), serial);
  assert.equal(shared.chunks, stats.chunks);
});

test('small inputs stay on this thread', async () => {
  const stats = { chunks: 0, helperChunks: -1 };
  const out = await decodeYamlTexts([{ source: 'a.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n', via: 'file' }], DEFAULT_LIMITS, { stats });
  assert.equal(out[0]!.objects.length, 1);
  assert.deepEqual(stats, { chunks: 1, helperChunks: 0 });
});

test('loadManifests gives the same result with and without the second thread', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kordon-yaml-pool-'));
  try {
    const all = inputs();
    all.forEach((input, i) => writeFileSync(path.join(dir, `${String(i).padStart(3, '0')}.yaml`), input.text));
    writeFileSync(path.join(dir, '500-list.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'j' } }] }));
    writeFileSync(path.join(dir, '501-broken.json'), '{"apiVersion": "v1", ');
    const one = await loadManifests([dir], { yamlThreadMinBytes: Infinity });
    const two = await loadManifests([dir], { yamlThreadMinBytes: 0 });
    assert.deepEqual(two.sources, one.sources);
    assert.deepEqual(two.objects, one.objects);
    assert.deepEqual(two.problems, one.problems);
    assert.ok(one.problems.some((p) => p.code === 'json-syntax' && p.source.endsWith('501-broken.json')));
    for (const { origin, object } of one.objects.filter((_, i) => i % 7 === 0)) {
      for (const p of ['', '/metadata/name', '/spec/template/spec/containers/0/image', '/nowhere']) {
        assert.deepEqual(two.locator.locate(origin, p), one.locator.locate(origin, p), `${origin.source} ${object.kind} ${p}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
