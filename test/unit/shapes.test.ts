/**
 * Shape validation at the inventory's door (src/inventory/shapes.ts): a field of the wrong type
 * is one problem (source, line of the field, what was expected, never the value), the field is
 * removed, the rest of the object and every other object is still analysed; an object whose
 * identity is unusable is skipped. Every command runs on such input without a crash.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanPaths } from '../../src/scan.js';
import { formatReport, REPORT_FORMATS } from '../../src/report/index.js';
import { checkObjectShape, fieldPath, rootSchemaOf } from '../../src/inventory/shapes.js';
import { Inventory } from '../../src/inventory/inventory.js';
import type { K8sObject, Origin } from '../../src/inventory/types.js';
import { runCli } from '../support/cli.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '../..');
const DIR = path.join(ROOT, 'test/fixtures/bad-input/wrong-types');
const CANARY = /KORDON-CANARY/;

test('every field of the wrong type is one problem at its own line, naming the field and the expected type', async () => {
  const r = await scanPaths([DIR]);
  // the network analysis adds what it could not apply (an ipBlock left without its cidr) as a warning
  const got = r.problems.filter((p) => p.severity === 'error').map((p) => `${path.basename(p.source)}:${p.line} ${p.code} ${p.severity} ${p.message.replace(/ should.*/, '')}`);
  assert.deepEqual(got, [
    'network.yaml:6 wrong-type error NetworkPolicy shop/bad-ingress: spec.ingress',
    'network.yaml:12 wrong-type error NetworkPolicy shop/bad-peer: spec.podSelector.matchLabels',
    'network.yaml:13 wrong-type error NetworkPolicy shop/bad-peer: spec.policyTypes',
    'network.yaml:15 wrong-type error NetworkPolicy shop/bad-peer: spec.egress[0].to[0].ipBlock.cidr',
    'network.yaml:16 wrong-type error NetworkPolicy shop/bad-peer: spec.egress[0].ports[0].port',
    'network.yaml:23 wrong-type error Service shop/web: spec.ports',
    'network.yaml:31 wrong-type error Service shop/api: spec.selector',
    'network.yaml:33 wrong-type error Service shop/api: spec.ports[0].port',
    'network.yaml:34 wrong-type error Service shop/api: spec.ports[0].targetPort',
    'network.yaml:40 wrong-type error Ingress shop/web: spec.rules',
    'network.yaml:41 wrong-type error Ingress shop/web: spec.tls',
    'rbac.yaml:4 wrong-type error ClusterRole bad-rules: rules',
    'rbac.yaml:11 wrong-type error Role shop/bad-verbs: rules[0].resources',
    'rbac.yaml:12 wrong-type error Role shop/bad-verbs: rules[0].verbs[1]',
    'rbac.yaml:18 wrong-type error ClusterRoleBinding bad-subjects: subjects',
    'rbac.yaml:23 wrong-type error RoleBinding shop/bad-roleref: roleRef',
    'rbac.yaml:37 wrong-type error Secret shop/creds: stringData.password',
    'workloads.yaml:8 wrong-type error Pod shop/bad-fields: metadata.labels',
    'workloads.yaml:10 wrong-type error Pod shop/bad-fields: spec.securityContext',
    'workloads.yaml:11 wrong-type error Pod shop/bad-fields: spec.volumes',
    'workloads.yaml:15 wrong-type error Pod shop/bad-fields: spec.containers[0].env',
    'workloads.yaml:16 wrong-type error Pod shop/bad-fields: spec.containers[0].volumeMounts',
    'workloads.yaml:17 wrong-type error Pod shop/bad-fields: spec.containers[0].ports',
    'workloads.yaml:18 wrong-type error Pod shop/bad-fields: spec.containers[0].securityContext',
    'workloads.yaml:22 wrong-type error Pod shop/bad-fields: spec.containers[1].securityContext.runAsUser',
    'workloads.yaml:23 wrong-type error Pod shop/bad-fields: spec.containers[1].securityContext.privileged',
    'workloads.yaml:24 wrong-type error Pod shop/bad-fields: spec.containers[1].securityContext.capabilities.add',
    'workloads.yaml:32 wrong-type error Deployment shop/map-containers: spec.replicas',
    'workloads.yaml:36 wrong-type error Deployment shop/map-containers: spec.template.metadata.labels.version',
    'workloads.yaml:38 wrong-type error Deployment shop/map-containers: spec.template.spec.containers',
    'workloads.yaml:43 wrong-type error Namespace: metadata.name',
  ]);
  const byLine = (file: string, line: number): string => r.problems.find((p) => p.source.endsWith(file) && p.line === line)!.message;
  assert.equal(byLine('workloads.yaml', 15), 'Pod shop/bad-fields: spec.containers[0].env should be a list of mappings, found a string; the field was ignored');
  assert.equal(byLine('workloads.yaml', 22), 'Pod shop/bad-fields: spec.containers[1].securityContext.runAsUser should be a whole number, found a string; the field was ignored');
  assert.equal(byLine('rbac.yaml', 12), 'Role shop/bad-verbs: rules[0].verbs[1] should be a string, found a whole number; the list rules[0].verbs was ignored');
  assert.equal(byLine('workloads.yaml', 43), 'Namespace: metadata.name should be a string, found a list; the object was skipped');
  assert.equal(r.summary.problems.errors, 31);
});

test('the rest of a bad object and every other object are still judged; an object without a usable name is skipped', async () => {
  const r = await scanPaths([DIR], { attackPaths: true });
  const has = (id: string, name: string): boolean => r.findings.some((f) => f.controlId === id && f.object?.name === name);
  assert.ok(has('KOR-0100', 'neighbour'), 'the neighbour of the bad objects is scanned');
  assert.ok(has('KOR-0100', 'bad-fields'), 'the bad pod\'s good fields are scanned (mutable image tag)');
  assert.ok(r.findings.some((f) => f.object?.name === 'good-binding' && f.severity === 'critical'), 'the good binding (to cluster-admin) next to bad ones is judged');
  assert.ok(!r.findings.some((f) => f.object?.kind === 'Namespace' && f.object.name !== 'shop'), 'the Namespace with a list as name is not in the inventory');
  // the ignored privileged: "true" is not read as privileged, nor anything else of a removed field
  assert.ok(!r.findings.some((f) => f.object?.name === 'bad-fields' && f.pointer?.includes('/containers/1/securityContext/privileged')));
});

test('no value of a bad field reaches any report format', async () => {
  const r = await scanPaths([DIR]);
  for (const format of REPORT_FORMATS) {
    const text = formatReport(r, format, { color: false });
    assert.doesNotMatch(text, CANARY, `${format} quotes a value`);
  }
});

test('every command answers on wrong-typed input: never exit 10, partial input said in JSON, no value quoted', async () => {
  const cmds: Array<[string[], number]> = [
    [['scan', DIR], 3],
    [['scan', DIR, '--attack-paths', '-f', 'json'], 3],
    [['scan', DIR, '-f', 'html'], 3],
    [['plan', DIR, '-f', 'json'], 3],
    [['paths', DIR, '-f', 'json'], 3],
    [['netpol', 'reach', DIR, '--format', 'json'], 3],
    [['netpol', 'exposure', DIR, '--format', 'json'], 3],
    [['pss', DIR, '-f', 'json'], 1],
    [['rbac', 'who-can', 'get', 'secrets', DIR, '-f', 'json'], 3],
    [['rbac', 'can', 'sa:shop/web', DIR, '-f', 'json'], 3],
    [['rbac', 'escalations', 'sa:shop/default', DIR, '-f', 'json'], 3],
    [['rbac', 'risky', DIR, '-f', 'json'], 3],
  ];
  for (const [args, code] of cmds) {
    const r = await runCli(args);
    assert.equal(r.code, code, `${args.join(' ')}: exit ${r.code}; ${r.err}`);
    assert.doesNotMatch(r.out + r.err, CANARY, args.join(' '));
    if (args.includes('json')) {
      const j = JSON.parse(r.out) as { partial?: boolean; problems: Array<{ code: string; source: string }> };
      if (args[0] !== 'scan' && args[1] !== 'risky') assert.equal(j.partial, true, args.join(' '));
      assert.ok(j.problems.filter((p) => p.code === 'wrong-type').length >= 30, args.join(' '));
    }
  }
});

const origin: Origin = { source: 'mem.yaml', documentIndex: 0, itemPointer: '', line: 1, column: 1 };

test('checkObjectShape: nulls are unset, lists with a bad element go whole, maps lose only the bad entry', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', labels: { a: 'x', b: 7, c: null }, annotations: null },
    spec: { containers: [{ name: 'c', args: ['--x', null], command: ['sh', 3] }], hostNetwork: null, volumes: [{ name: 'v' }, 'w'] },
  };
  const r = checkObjectShape(pod);
  assert.equal(r.skip, undefined);
  assert.deepEqual(r.issues.map((i) => [i.pointer, i.expected, i.found, Boolean(i.listDropped)]), [
    ['/metadata/labels/b', 'a string', 'a whole number', false],
    ['/spec/containers/0/command/1', 'a string', 'a whole number', true],
    ['/spec/volumes/1', 'a mapping', 'a string', true],
  ]);
  assert.deepEqual(pod.metadata, { name: 'p', labels: { a: 'x', c: '' } });
  assert.deepEqual(pod.spec, { containers: [{ name: 'c', args: ['--x', ''] }] });
});

test('checkObjectShape: identity, custom resources and older API versions', () => {
  assert.equal(checkObjectShape({ apiVersion: 'v1', kind: 'Pod', metadata: 'x' }).skip?.pointer, '/metadata');
  assert.equal(checkObjectShape({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 3 } }).skip?.pointer, '/metadata/namespace');
  assert.equal(checkObjectShape({ apiVersion: 'v1', kind: ['Pod'], metadata: {} }).skip?.pointer, '/kind');
  assert.equal(checkObjectShape(null as unknown as Record<string, unknown>).skip?.expected, 'a mapping');
  // a custom resource: only its metadata is judged (its own schema is not known here)
  const cr = { apiVersion: 'example.com/v1', kind: 'Pod', metadata: { name: 'x', labels: 'l' }, spec: { containers: 'anything' } };
  assert.deepEqual(checkObjectShape(cr).issues.map((i) => i.pointer), ['/metadata/labels']);
  assert.equal(cr.spec.containers, 'anything');
  // an older built-in version is read with the current shape, as kordon reads it
  assert.equal(rootSchemaOf('extensions/v1beta1', 'Deployment'), 'apps.v1.Deployment');
  assert.equal(rootSchemaOf('apps/v1', 'Deployment'), 'apps.v1.Deployment');
  assert.equal(rootSchemaOf('example.com/v1', 'Deployment'), undefined);
  assert.equal(fieldPath('/metadata/annotations/a~1b'), 'metadata.annotations["a/b"]');
});

test('the Inventory is the door: objects given to it directly are checked too, with the line of the field when known', () => {
  const bad = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: 'x' } } as unknown as K8sObject;
  const noName = { apiVersion: 'v1', kind: 'Service', metadata: { name: { a: 1 } } } as unknown as K8sObject;
  const inv = new Inventory([{ object: bad, origin }, { object: noName, origin: { ...origin, line: 9 } }]);
  assert.equal(inv.objects.length, 1);
  assert.deepEqual(inv.problems.map((p) => [p.line, p.code, p.message]), [
    [1, 'wrong-type', 'Service s: spec.ports should be a list of mappings, found a string; the field was ignored'],
    [9, 'wrong-type', 'Service: metadata.name should be a string, found a mapping; the object was skipped'],
  ]);
});

test('the generated shapes are what the Kubernetes OpenAPI documents say (scripts/gen-shapes.ts --check)', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/gen-shapes.ts', '--check'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr + r.stdout);
});

test('a template placeholder in a number field (`replicas: __REPLICAS__`, `${PORT}`) is a warning, any other string an error', () => {
  const dep = (replicas: unknown): K8sObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas } }) as unknown as K8sObject;
  const inv = new Inventory([{ object: dep('__REPLICAS__'), origin }, { object: dep('${REPLICAS}'), origin }, { object: dep('three'), origin }]);
  assert.deepEqual(inv.problems.map((p) => p.severity), ['warning', 'warning', 'error']);
  assert.match(inv.problems[0]!.message, /template placeholder/);
  assert.doesNotMatch(inv.problems[0]!.message, /REPLICAS/);
});

test('a NetworkPolicy with a field of the wrong type is left out whole: read without it, it would isolate pods it does not', async () => {
  const yaml = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: registry.example.com/web:1.0, ports: [{containerPort: 80}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: broken, namespace: shop}
spec:
  podSelector: "app=web"
  policyTypes: [Ingress]
`;
  const { parseManifestText } = await import('../../src/sources/manifests/parse.js');
  const parsed = parseManifestText('np.yaml', yaml);
  const inv = new Inventory(parsed.objects, parsed.problems);
  assert.deepEqual(inv.byKind('NetworkPolicy'), [], 'the policy is not in the inventory');
  const p = inv.problems.find((x) => x.code === 'wrong-type')!;
  assert.equal(p.severity, 'error');
  assert.ok(p.line === 11 || p.line === 15, `at the policy or its field: ${p.line}`);
  assert.match(p.message, /NetworkPolicy shop\/broken: spec\.podSelector should be a mapping, found a string; the NetworkPolicy was left out/);
  // the workload stays open to ingress, as it is in a cluster (the API server rejects the policy)
  const { ReachabilityEngine, formatConnections } = await import('../../src/network/reach.js');
  assert.match(formatConnections(new ReachabilityEngine(inv).connections()), /\[External\] => shop\/web\[Deployment\]/);
});
