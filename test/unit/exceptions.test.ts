import { test } from 'node:test';
import assert from 'node:assert/strict';
import { globMatch } from '../../src/engine/exceptions.js';
import { parseExceptionsFile } from '../../src/engine/exceptions-file.js';
import { parseManifestText } from '../../src/sources/manifests/parse.js';
import { Inventory } from '../../src/inventory/inventory.js';
import { scanInventory } from '../../src/scan.js';
import imageMutableTag from '../../src/controls/container/image-mutable-tag.js';
import { main } from '../../src/cli/main.js';

const PODS = `apiVersion: v1
kind: Pod
metadata:
  name: web-1
  namespace: team-a
  annotations:
    kordon.dev/ignore: "KOR-0999, image-mutable-tag"
    kordon.dev/ignore-reason: pinned by the release pipeline
spec:
  containers: [{name: c, image: "nginx:latest"}]
---
apiVersion: v1
kind: Pod
metadata: {name: web-2, namespace: team-a}
spec:
  containers: [{name: c, image: "nginx:latest"}]
---
apiVersion: v1
kind: Pod
metadata: {name: api-1, namespace: team-b}
spec:
  containers: [{name: c, image: "nginx:latest"}]
---
apiVersion: v1
kind: Pod
metadata: {name: db-1, namespace: team-c}
spec:
  containers: [{name: c, image: "nginx:latest"}]
`;

function scan(exceptionsYaml: string, now = new Date('2026-06-01T00:00:00Z')) {
  const parsed = parseExceptionsFile('exc.yaml', exceptionsYaml);
  assert.deepEqual(parsed.errors, []);
  const r = parseManifestText('pods.yaml', PODS);
  return scanInventory(new Inventory(r.objects, r.problems), ['pods.yaml'], { controls: [imageMutableTag], exceptions: parsed.rules.map((rule) => ({ rule, source: 'exc.yaml' })), now });
}

test('globs match kinds, namespaces and names; an absent pattern matches all', () => {
  assert.ok(globMatch('team-*', 'team-a'));
  assert.ok(!globMatch('team-?', 'team-ab'));
  assert.ok(globMatch(undefined, 'x'));
  assert.ok(!globMatch('a.b', 'axb'), 'dots are literal');
});

test('annotation and file exceptions suppress, with reasons; expired and unused rules are reported', () => {
  const r = scan(`exceptions:
  - controls: [KOR-0100]
    match: {namespace: "team-b", name: "api-*"}
    reason: base image tracked upstream
    owner: team-b
    expires: 2026-12-31
  - controls: [image-mutable-tag]
    match: {namespace: team-c}
    reason: legacy
    expires: 2026-01-31
  - controls: ["*"]
    match: {kind: Deployment}
    reason: nothing matches this
`);
  const byName = new Map(r.findings.map((f) => [f.object!.name, f]));
  assert.deepEqual(byName.get('web-1')!.suppressed, { by: 'annotation', reason: 'pinned by the release pipeline' });
  assert.equal(byName.get('web-2')!.suppressed, undefined);
  assert.deepEqual(byName.get('api-1')!.suppressed, { by: 'exceptions-file', reason: 'base image tracked upstream', owner: 'team-b', expires: '2026-12-31' });
  assert.equal(byName.get('db-1')!.suppressed, undefined, 'an expired exception no longer applies');
  assert.deepEqual(r.exceptions.expired.map((e) => [e.index, e.reason]), [[1, 'legacy']]);
  assert.deepEqual(r.exceptions.unused.map((e) => [e.index, e.reason]), [[2, 'nothing matches this']]);
  assert.equal(r.summary.findings, 2);
  assert.equal(r.summary.suppressed, 2);
  // scores count suppressed objects as passing
  assert.equal(r.evaluations[0]!.failed, 2);
});

test('every problem of an exceptions file is reported at once, and the CLI exits 2', async () => {
  const parsed = parseExceptionsFile('bad.yaml', `exceptions:
  - controls: []
    reason: ""
    expires: 31/12/2026
    match: {team: x}
`);
  assert.ok(parsed.errors.length >= 4, parsed.errors.join('\n'));
  assert.ok(parsed.errors.every((e) => e.startsWith('bad.yaml: exceptions.0')));
  const err: string[] = [];
  const code = await main(['scan', 'examples/shop', '--exceptions', 'test/fixtures/does-not-exist.yaml'], { stdout: () => {}, stderr: (s) => void err.push(s), isTTY: false, env: {} });
  assert.equal(code, 2);
  assert.match(err.join(''), /does-not-exist\.yaml: cannot read exceptions file \(ENOENT\)/);
});
