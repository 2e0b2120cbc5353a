import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifestText } from '../../src/sources/manifests/parse.js';
import { splitYamlStream } from '../../src/sources/manifests/split.js';

test('splits multi-document streams and keeps document lines', () => {
  const docs = splitYamlStream('a: 1\n---\n# c\nb: 2\n---\n\n...\n--- \nc: 3\n');
  assert.deepEqual(docs.map((d) => [d.index, d.line]), [[0, 1], [1, 2], [2, 8]]);
});

test('YAML 1.1 booleans are read as the API server reads them', () => {
  const r = parseManifestText('x.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  on: yes\n  b: off\n  d: 2024-01-01\n');
  assert.equal(r.problems.length, 0);
  const data = r.objects[0]!.object['data'] as Record<string, unknown>;
  assert.equal(data['true'], true);
  assert.equal(data['b'], false);
  assert.equal(data['d'], '2024-01-01');
});

test('an alias bomb is refused with its line and the next document is still read', () => {
  const bomb = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: bomb}', 'a: &a ["x","x","x","x","x","x","x","x","x"]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]'].join('\n');
  const r = parseManifestText('bomb.yaml', `${bomb}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: ok}\n`);
  assert.equal(r.objects.length, 1);
  assert.equal(r.objects[0]!.object.metadata.name, 'ok');
  assert.equal(r.problems[0]!.code, 'alias-limit');
  assert.equal(r.problems[0]!.line, 1);
});

test('kubectl List output is expanded with item pointers', () => {
  const r = parseManifestText('l.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } }, { kind: 'Pod' }] }, null, 2), { json: true });
  assert.equal(r.objects.length, 1);
  assert.equal(r.objects[0]!.origin.itemPointer, '/items/0');
  assert.equal(r.problems[0]!.code, 'missing-apiversion');
});

test('go-yaml v2 resolve table: numbers, tags, merge keys and keys that are not strings', async () => {
  const { resolveGoScalar } = await import('../../src/sources/manifests/go-yaml-schema.js');
  const cases: Array<[string, unknown]> = [
    ['0777', 511], ['0o17', 15], ['0x1F', 31], ['-0x1F', -31], ['+12', 12], ['0b101', 5], ['-0b101', -5], ['1_000', 1000],
    ['089', 89], ['1e3', 1000], ['.5', 0.5], ['-.5', -0.5], ['1.', 1], ['12:30', '12:30'], ['2024-01-01', '2024-01-01'],
    ['Yes', true], ['yEs', 'yEs'], ['OFF', false], ['N', false], ['~', null], ['', null], ['Null', null], ['nULL', 'nULL'],
    ['-.inf', -Infinity], ['.NaN', NaN], ['.nan.', '.nan.'], ['1e400', '1e400'], ['_1', '_1'], ['0x', '0x'], ['<<', '<<'],
  ];
  for (const [input, expected] of cases) assert.deepEqual(resolveGoScalar(input).value, expected, input);
  const text = [
    'apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: tags}',
    'base: &base {a: 1, b: 2}',
    'merged: {<<: *base, b: 3}',
    'data:', '  s: !!str 0777', '  f: !!float 3', '  b: !!binary aGk=', '  t: !!timestamp 2024-01-01', '  local: !mytag 0777', '  n: 1', '  1.5: x', '  0x10: z',
  ].join('\n');
  const r = parseManifestText('t.yaml', text);
  assert.deepEqual(r.problems, []);
  const o = r.objects[0]!.object as Record<string, unknown>;
  assert.deepEqual(o['merged'], { a: 1, b: 3 });
  assert.deepEqual(o['data'], { s: '0777', f: 3, b: 'hi', t: '2024-01-01', local: '0777', false: 1, '1.5': 'x', '16': 'z' });
  // aliases are expanded into independent copies
  (o['merged'] as Record<string, unknown>)['a'] = 9;
  assert.deepEqual(o['base'], { a: 1, b: 2 });
});

test('typed lists (PodList, DeploymentList, ...) give their items the kind and apiVersion they imply', async () => {
  // the shape the API server returns: items without kind/apiVersion
  const podList = { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: '12' }, items: [{ metadata: { name: 'a', namespace: 'x' }, spec: { containers: [{ name: 'c', image: 'i' }] } }, { metadata: { name: 'b' } }] };
  const r = parseManifestText('pods.json', JSON.stringify(podList, null, 2));
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.objects.map((o) => [o.object.kind, o.object.apiVersion, o.object.metadata.name, o.origin.itemPointer]), [['Pod', 'v1', 'a', '/items/0'], ['Pod', 'v1', 'b', '/items/1']]);
  const lines = JSON.stringify(podList, null, 2).split('\n');
  assert.equal(r.objects[1]!.origin.line, lines.findIndex((l) => l.includes('"name": "b"')) + 1 - 2, 'the item\'s own line');
  // a group list in YAML; an item that says its own kind keeps it
  const y = parseManifestText('d.yaml', 'apiVersion: apps/v1\nkind: DeploymentList\nitems:\n- metadata: {name: web}\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: api}\n');
  assert.deepEqual(y.problems, []);
  assert.deepEqual(y.objects.map((o) => [o.object.kind, o.object.apiVersion, o.object.metadata.name, o.origin.line]), [['Deployment', 'apps/v1', 'web', 4], ['Deployment', 'apps/v1', 'api', 5]]);
  const ns = parseManifestText('ns.json', JSON.stringify({ apiVersion: 'v1', kind: 'NamespaceList', items: [{ metadata: { name: 'prod' } }] }));
  assert.equal(ns.objects[0]!.object.kind, 'Namespace');
  // a plain List implies nothing: an item without kind is still a problem
  const plain = parseManifestText('l.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ metadata: { name: 'a' } }] }));
  assert.equal(plain.objects.length, 0);
  assert.equal(plain.problems[0]!.code, 'missing-kind');
  // the large-JSON path: positions held by another thread, the same objects
  const { JsonWorker } = await import('../../src/sources/manifests/json-structure.js');
  const text = JSON.stringify(podList, null, 2);
  const worker = JsonWorker.start(Buffer.from(text, 'utf8'));
  const threaded = parseManifestText('pods.json', text, { jsonTables: worker });
  worker.stop();
  assert.deepEqual(threaded.objects.map((o) => [o.object.kind, o.object.apiVersion, o.origin.line]), r.objects.map((o) => [o.object.kind, o.object.apiVersion, o.origin.line]));
});

test('tool error text: quoted material and known values removed, file names and places kept', async () => {
  const { safeToolText } = await import('../../src/sources/exec.js');
  const { lowestAllowedVersion } = await import('../../src/sources/helm/render.js');
  assert.equal(safeToolText('Error: execution error at (web/templates/a.yaml:8:6): bad password hunter2-CANARY', ['hunter2-CANARY']), 'Error: execution error at (web/templates/a.yaml:8:6): bad password …');
  assert.equal(safeToolText('strconv.ParseInt: parsing "s3cr3t-value": invalid syntax in "templates/x.yaml"'), 'strconv.ParseInt: parsing "…": invalid syntax in "templates/x.yaml"');
  assert.equal(safeToolText('wrong type map[password:abc token:def]'), 'wrong type map[…]');
  assert.doesNotMatch(safeToolText('failed: postgres://app:Sup3rS3cret@db:5432/app'), /Sup3rS3cret/);
  assert.equal(lowestAllowedVersion('>=1.25.0-0'), 'v1.25.0');
  assert.equal(lowestAllowedVersion('>= 1.21, < 1.31'), 'v1.21.0');
  assert.equal(lowestAllowedVersion('^1.27 || ^2'), 'v1.27.0');
  assert.equal(lowestAllowedVersion(undefined), undefined);
});

test('a Helm Chart.yaml given as a file is not Kubernetes; apiVersion v1 without kind and with metadata is a broken object', () => {
  const chart = parseManifestText('Chart.yaml', 'apiVersion: v2\nname: web\nversion: 1.2.3\nkubeVersion: ">=1.25.0-0"\n');
  assert.deepEqual(chart.problems.map((p) => [p.code, p.severity]), [['not-kubernetes', 'warning']]);
  assert.match(chart.problems[0]!.message, /Helm Chart\.yaml/);
  const broken = parseManifestText('cm.yaml', 'apiVersion: v1\nmetadata: {name: x}\ndata: {a: b}\n');
  assert.deepEqual(broken.problems.map((p) => [p.code, p.severity]), [['missing-kind', 'error']]);
});
