/**
 * The table-driven control test and the catalog meta-tests.
 *
 * test/fixtures/controls/<control-id>/pass/*.yaml: no object raises a finding of that control.
 * test/fixtures/controls/<control-id>/fail/*.yaml: at least one finding; a first line
 * `# expect: 7 12` pins the findings to exactly those 1-based lines (repeat a line for
 * several findings on it); `# expect: 7:high 12:low` pins their severities too.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { allControls } from '../../src/controls/index.js';
import { inventoryOf, scanInventory, scanPaths } from '../../src/scan.js';
import { loadManifests } from '../../src/sources/manifests/load.js';
import { parsePointer } from '../../src/inventory/pointer.js';
import type { Control, Finding, JsonPatchOp } from '../../src/engine/types.js';
import { loadVulnInputs } from '../../src/cli/vulns.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/controls');
const CONTROLS_DIR = path.join(ROOT, 'src/controls');
const LAYER_DIRS = ['container', 'cluster', 'code', 'cloud'];

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => path.join(dir, f));
}

function expectedLines(file: string): string[] | undefined {
  const first = readFileSync(file, 'utf8').split('\n', 1)[0] ?? '';
  const m = /^#\s*expect:\s*((?:\d+(?::[a-z]+)?\s*)+)$/.exec(first.trim());
  return m ? sortedPlaces(m[1]!.trim().split(/\s+/)) : undefined;
}

/** `7`, `7:high` places sorted by line, then text. */
function sortedPlaces(places: string[]): string[] {
  return places.sort((a, b) => parseInt(a, 10) - parseInt(b, 10) || (a < b ? -1 : a > b ? 1 : 0));
}

async function findingsOf(control: Control, file: string): Promise<Finding[]> {
  // image vulnerability controls (KOR-04xx) read reports and runtime evidence beside the manifests:
  // <control-id>/vulns/, and the evidence of each fixture in <control-id>/runtime/<fixture file name>
  const dir = path.dirname(path.dirname(file));
  const evidence = path.join(dir, 'runtime', path.basename(file));
  const vulns = existsSync(path.join(dir, 'vulns')) ? await loadVulnInputs({ vulns: [path.join(dir, 'vulns')], ...(existsSync(evidence) ? { runtime: [evidence] } : {}) }) : undefined;
  const result = await scanPaths([file], { controls: [control], now: new Date('2025-01-01T00:00:00Z'), ...(vulns ? { vulns } : {}) });
  assert.deepEqual(result.problems, [], `${file} must parse without problems`);
  return result.findings;
}

function describeFindings(findings: Finding[]): string {
  return findings.map((f) => `  line ${f.location?.line ?? '?'} ${f.severity} ${f.pointer}: ${f.message}`).join('\n');
}

/** String values a finding must never repeat: env values, ConfigMap/Secret data, command lines, annotations. */
function sensitiveStrings(file: string): string[] {
  const out = new Set<string>();
  const add = (s: string): void => {
    // the whole value, its words, and the value side of `name=value` words (names may be reported)
    const parts = [s, ...s.split(/\s+/).flatMap((w) => (w.includes('=') ? [w, w.slice(w.indexOf('=') + 1)] : [w]))];
    for (const part of parts) if (part.length >= 8 && !part.startsWith('-')) out.add(part);
  };
  const walk = (v: unknown, underSensitive: boolean): void => {
    if (typeof v === 'string') {
      if (!underSensitive) return;
      add(v);
      return;
    }
    if (Array.isArray(v)) for (const x of v) walk(x, underSensitive);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'labels') continue; // selectors and names, reported by design
        if (k === 'annotations' && x && typeof x === 'object' && !underSensitive) {
          // metadata values: sensitive, except Kubernetes' own keys (names of accounts, mirrors...);
          // the last-applied copy is judged like the object it copies
          for (const [key, value] of Object.entries(x)) {
            if (key === 'kubectl.kubernetes.io/last-applied-configuration' && typeof value === 'string') walkJson(value);
            else if (!key.includes('kubernetes.io/')) walk(value, true);
          }
        } else walk(x, underSensitive || ['value', 'data', 'stringData', 'args', 'command'].includes(k));
      }
    }
  };
  const walkJson = (text: string): void => {
    try {
      walk(JSON.parse(text), false);
    } catch {
      /* not JSON */
    }
  };
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    if ('errors' in doc && doc.errors.length === 0) {
      const obj = doc.toJS() as Record<string, unknown> | null;
      walk(obj, false);
      if (obj && obj['kind'] === 'Secret' && obj['data'] && typeof obj['data'] === 'object') {
        for (const v of Object.values(obj['data'] as Record<string, unknown>)) if (typeof v === 'string') add(Buffer.from(v, 'base64').toString('utf8'));
      }
    }
  }
  return [...out];
}

/** Applies a JSON patch (add, remove, replace) to a copy of `doc`. */
function applyPatch<T>(doc: T, ops: readonly JsonPatchOp[]): T {
  const out = structuredClone(doc) as unknown;
  for (const op of ops) {
    const segments = parsePointer(op.path);
    const last = segments.pop()!;
    let parent = out as Record<string, unknown> | unknown[];
    for (const seg of segments) parent = (parent as Record<string, unknown>)[seg] as Record<string, unknown>;
    assert.ok(parent && typeof parent === 'object', `patch path ${op.path} has no parent`);
    if (Array.isArray(parent)) {
      const i = last === '-' ? parent.length : Number(last);
      if (op.op === 'add') parent.splice(i, 0, op.value);
      else if (op.op === 'remove') parent.splice(i, 1);
      else parent[i] = op.value;
    } else if (op.op === 'remove') {
      assert.ok(last in parent, `remove of missing ${op.path}`);
      delete parent[last];
    } else {
      if (op.op === 'replace') assert.ok(last in parent, `replace of missing ${op.path}`);
      parent[last] = op.value;
    }
  }
  return out as T;
}

/** Each finding's fix, applied alone to its object, removes at least that finding. */
async function checkFixes(control: Control, file: string): Promise<number> {
  const loaded = await loadManifests([file]);
  const inv = inventoryOf(loaded.objects);
  const before = scanInventory(inv, [file], { controls: [control] }).findings;
  let checked = 0;
  for (const f of before) {
    if (!f.fix || !f.object) continue;
    const index = inv.objects.findIndex((o) => o.id === f.object!.id);
    assert.ok(index >= 0);
    const patched = loaded.objects.map((o, i) => (i === index ? { ...o, object: applyPatch(o.object, f.fix!) } : o));
    const after = scanInventory(inventoryOf(patched), [file], { controls: [control] }).findings;
    const count = (list: Finding[]): number => list.filter((x) => x.object?.id === f.object!.id).length;
    assert.ok(count(after) < count(before), `${path.basename(file)}: the fix of "${f.message}" does not remove it`);
    assert.ok(!after.some((x) => x.object?.id === f.object!.id && x.pointer === f.pointer && x.message === f.message), `${path.basename(file)}: "${f.message}" survives its fix`);
    checked++;
  }
  return checked;
}

/* ------------------------------------------------------------------ fixtures */

const fixtureDirs = existsSync(FIXTURES) ? readdirSync(FIXTURES).filter((d) => !d.startsWith('.')).sort() : [];

describe('control fixtures', () => {
  for (const dir of fixtureDirs) {
    const control = allControls.find((c) => c.id === dir);
    test(`${dir}: the fixture folder names a control of the catalog`, () => {
      assert.ok(control, `test/fixtures/controls/${dir} does not match any control id`);
    });
    if (!control) continue;
    describe(`${control.id} ${control.name}`, () => {
      for (const file of yamlFiles(path.join(FIXTURES, dir, 'pass'))) {
        test(`pass/${path.basename(file)}`, async () => {
          const findings = await findingsOf(control, file);
          assert.equal(findings.length, 0, `expected no finding, got:\n${describeFindings(findings)}`);
        });
      }
      for (const file of yamlFiles(path.join(FIXTURES, dir, 'fail'))) {
        test(`fail/${path.basename(file)}`, async () => {
          const findings = await findingsOf(control, file);
          assert.ok(findings.length > 0, 'expected at least one finding');
          const rank = ['info', 'low', 'medium', 'high', 'critical'];
          for (const f of findings) {
            assert.equal(f.controlId, control.id);
            assert.ok(rank.indexOf(f.severity) <= rank.indexOf(control.severity), `a finding at ${f.severity} is above the control's ${control.severity}: ${f.message}`);
            if (f.severity !== control.severity) assert.ok(control.severityTable?.some((r) => r.severity === f.severity), `${f.severity} is in no case of the control's severity table: ${f.message}`);
          }
          const expected = expectedLines(file);
          if (expected) {
            const withSeverity = expected.some((e) => e.includes(':'));
            const lines = sortedPlaces(findings.map((f) => `${f.location?.line ?? 0}${withSeverity ? `:${f.severity}` : ''}`));
            assert.deepEqual(lines, expected, `finding lines differ:\n${describeFindings(findings)}`);
          }
        });
      }
      test('every fix, applied to its object, removes its finding', async () => {
        let checked = 0;
        for (const file of yamlFiles(path.join(FIXTURES, dir, 'fail'))) checked += await checkFixes(control, file);
        const source = LAYER_DIRS.map((l) => path.join(CONTROLS_DIR, l, `${control.name}.ts`)).find((p) => existsSync(p));
        if (source && /\bfix: \[/.test(readFileSync(source, 'utf8'))) assert.ok(checked > 0, 'the control offers fixes but no fail fixture exercises one');
      });
      test('no finding repeats a secret or credential value of its fixture', async () => {
        for (const file of [...yamlFiles(path.join(FIXTURES, dir, 'pass')), ...yamlFiles(path.join(FIXTURES, dir, 'fail'))]) {
          const secrets = sensitiveStrings(file);
          if (secrets.length === 0) continue;
          for (const f of await findingsOf(control, file)) {
            const exposed = JSON.stringify({ message: f.message, pointer: f.pointer, fix: f.fix ?? null });
            for (const s of secrets) assert.ok(!exposed.includes(s), `${path.basename(file)}: a finding repeats a fixture value (${s.length} chars) in ${exposed.slice(0, 80)}...`);
          }
        }
      });
    });
  }
});

test('the leak check sees the literal values of a credential fixture', () => {
  const secrets = sensitiveStrings(path.join(FIXTURES, 'KOR-0128/fail/literal-credentials.yaml'));
  assert.ok(secrets.includes('Sup3rS3cretPassw0rd'));
  assert.ok(secrets.includes('AKIAIOSFODNN7EXAMPLE'));
  const lastApplied = sensitiveStrings(path.join(FIXTURES, 'KOR-0131/fail/copied.yaml'));
  assert.ok(lastApplied.includes('L3akedPassw0rdValue'));
});

test('fix checking applies patches as RFC 6902 does', () => {
  const doc = { a: { b: [1, 2, 3] }, c: 1 };
  assert.deepEqual(applyPatch(doc, [{ op: 'add', path: '/a/b/1', value: 9 }, { op: 'remove', path: '/c' }, { op: 'add', path: '/d~1e', value: true }]), { a: { b: [1, 9, 2, 3] }, 'd/e': true });
  assert.deepEqual(doc, { a: { b: [1, 2, 3] }, c: 1 });
});

/* ------------------------------------------------------------------ meta-tests */

describe('catalog metadata', () => {
  test('ids are unique and of the form KOR-nnnn, aliases included', () => {
    const seen = new Set<string>();
    for (const c of allControls) {
      for (const id of [c.id, ...(c.aliases ?? [])]) {
        assert.match(id, /^KOR-\d{4}$/, `${c.name}: bad id ${id}`);
        assert.ok(!seen.has(id), `duplicate id ${id}`);
        seen.add(id);
      }
    }
  });

  test('names are unique kebab-case', () => {
    const seen = new Set<string>();
    for (const c of allControls) {
      assert.match(c.name, /^[a-z0-9]+(?:-[a-z0-9]+)*$/, `${c.id}: name "${c.name}" is not kebab-case`);
      assert.ok(!seen.has(c.name), `duplicate name ${c.name}`);
      seen.add(c.name);
    }
  });

  test('every control has a title, a description and a remediation ending with a period', () => {
    for (const c of allControls) {
      assert.ok(c.title.trim().length > 0, `${c.id}: empty title`);
      assert.ok(!c.title.endsWith('.'), `${c.id}: titles do not end with a period`);
      assert.ok(c.description.trim().length >= 40, `${c.id}: description too short`);
      assert.ok(c.remediation.trim().endsWith('.'), `${c.id}: remediation must end with a period`);
      assert.ok(c.phases.length > 0, `${c.id}: no phase`);
      assert.ok(Object.keys(c.messages).length > 0, `${c.id}: no message`);
    }
  });

  test('severity tables: every case is at most the control\'s severity, the worst case is it, and each has a reason', () => {
    const rank = (s: string): number => ['none', 'info', 'low', 'medium', 'high', 'critical'].indexOf(s);
    for (const c of allControls) {
      if (!c.severityTable) continue;
      assert.ok(c.severityTable.length > 0, `${c.id}: empty severity table`);
      for (const row of c.severityTable) {
        assert.ok(rank(row.severity) <= rank(c.severity), `${c.id}: case ${row.case} (${row.severity}) is above the control's ${c.severity}`);
        assert.ok(row.case.trim() !== '' && row.reason.trim().endsWith('.'), `${c.id}: case ${row.case} needs a reason ending with a period`);
      }
      assert.ok(c.severityTable.some((r) => r.severity === c.severity), `${c.id}: no case reaches the control's severity ${c.severity}`);
      assert.equal(new Set(c.severityTable.map((r) => r.case)).size, c.severityTable.length, `${c.id}: a case is listed twice`);
    }
  });

  test('framework references are well formed', () => {
    for (const c of allControls) {
      for (const cis of c.frameworks.cis ?? []) assert.match(cis, /^\d+(?:\.\d+)+$/, `${c.id}: CIS item ${cis}`);
      for (const t of c.frameworks.mitre ?? []) assert.match(t, /^T\d{4}(?:\.\d{3})?$/, `${c.id}: MITRE technique ${t}`);
      for (const n of c.frameworks.nsa ?? []) assert.match(n, /^[a-z0-9]+(?:-[a-z0-9]+)*$/, `${c.id}: NSA topic ${n}`);
      for (const p of c.frameworks.pss ?? []) assert.match(p, /^(?:baseline|restricted):[A-Za-z0-9_]+$/, `${c.id}: PSS check ${p}`);
    }
  });

  test('message templates only use placeholders, and CEL entries are complete', () => {
    for (const c of allControls) {
      for (const [id, template] of Object.entries(c.messages as Record<string, string>)) {
        assert.ok(template.trim().length > 0, `${c.id}: message ${id} is empty`);
        assert.equal(template.replace(/\{\{\s*\w+\s*\}\}/g, '').includes('{{'), false, `${c.id}: message ${id} has a malformed placeholder`);
      }
      if (c.cel) {
        assert.ok(c.cel.expression.trim().length > 0 && c.cel.message.trim().length > 0, `${c.id}: incomplete CEL`);
        let depth = 0;
        for (const ch of c.cel.expression) {
          if (ch === '(') depth++;
          if (ch === ')') depth--;
          assert.ok(depth >= 0, `${c.id}: unbalanced CEL parentheses`);
        }
        assert.equal(depth, 0, `${c.id}: unbalanced CEL parentheses`);
      }
    }
  });

  test('control files: every control is aggregated in the catalog, names match their files, reported message ids exist', async () => {
    const catalog = new Set<Control>(allControls);
    let seen = 0;
    for (const layer of LAYER_DIRS) {
      const dir = path.join(CONTROLS_DIR, layer);
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts')).sort()) {
        const file = path.join(dir, f);
        const mod = (await import(pathToFileURL(file).href)) as { default?: Control };
        const c = mod.default;
        if (!c || typeof c !== 'object' || typeof c.id !== 'string' || typeof c.check !== 'function') continue;
        seen++;
        assert.ok(catalog.has(c), `${layer}/${f}: control ${c.id} is not in allControls (add it to its aggregator)`);
        assert.equal(c.layer, layer, `${layer}/${f}: control ${c.id} declares layer ${c.layer}`);
        assert.equal(c.name, f.slice(0, -3), `${layer}/${f}: name "${c.name}" differs from the file name`);
        const source = readFileSync(file, 'utf8');
        for (const m of source.matchAll(/\breport\(\s*'([^']+)'/g)) {
          assert.ok(m[1]! in c.messages, `${c.id}: reports unknown message id "${m[1]}"`);
        }
      }
    }
    assert.ok(seen > 0);
  });

  test('every control has pass and fail fixtures', () => {
    const missing: string[] = [];
    for (const c of allControls) {
      for (const kind of ['pass', 'fail']) {
        if (yamlFiles(path.join(FIXTURES, c.id, kind)).length === 0) missing.push(`${c.id}/${kind}`);
      }
    }
    assert.deepEqual(missing, []);
  });
});

test('controls tolerate objects that do not match the schema', () => {
  const origin = { source: 'malformed.yaml', documentIndex: 0, itemPointer: '', line: 1, column: 1 };
  const weird = [
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', annotations: 'x', labels: 3, ownerReferences: 'no' }, spec: { containers: [{ name: 'c', env: 'A=1', envFrom: {}, ports: 'x', volumeMounts: 7, command: 'sh', args: { a: 1 }, securityContext: 'x', resources: 'x', image: 5 }, null, 'x'], volumes: [null, { name: 'v', hostPath: 'x' }], securityContext: { supplementalGroups: 'x' } } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: 'x' } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'NodePort', ports: [null, 'x'], externalIPs: 'x' } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i' }, spec: { tls: [null, { hosts: 'x' }], rules: [null, 'x', { host: 5 }] } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 1, b: null } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{not json' } }, data: 'x' },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' }, rules: [null, { verbs: 'x' }] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b' }, roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [null, 'x'] },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', labels: { 'pod-security.kubernetes.io/enforce': 5 } } },
    { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv' }, spec: { hostPath: 'x' } },
  ];
  const controls = allControls;
  const inv = inventoryOf(weird.map((object) => ({ object: object as never, origin })));
  assert.doesNotThrow(() => scanInventory(inv, ['malformed.yaml'], { controls }));
});
