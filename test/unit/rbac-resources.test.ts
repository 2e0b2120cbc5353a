/** Resource names as kubectl resolves them (discovery table of the shipped version + the input's CRDs), and who-can's scopes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../support/cli.js';
import { resourceTableFor } from '../../src/rbac/resources.js';
import { loadInventory } from '../../src/scan.js';

const SHOP = 'test/corpus/rbac/shop';

type Json = any;

test('every form kubectl accepts resolves to the plural and group RBAC rules name', async () => {
  const { inventory } = await loadInventory([SHOP]);
  const table = resourceTableFor(inventory);
  const cases: Array<[string, string, string, string, boolean]> = [
    ['secrets', 'secrets', '', '', true],
    ['secret', 'secrets', '', '', true],
    ['Secret', 'secrets', '', '', true],
    ['SECRETS', 'secrets', '', '', true],
    ['po', 'pods', '', '', true],
    ['pods/log', 'pods', '', 'log', true],
    ['po/exec', 'pods', '', 'exec', true],
    ['deploy', 'deployments', 'apps', '', true],
    ['deploy.apps', 'deployments', 'apps', '', true],
    ['deployments.apps', 'deployments', 'apps', '', true],
    ['deployments.v1.apps', 'deployments', 'apps', '', true],
    ['Deployment.apps/scale', 'deployments', 'apps', 'scale', true],
    ['events', 'events', '', '', true],
    ['events.events.k8s.io', 'events', 'events.k8s.io', '', true],
    ['no', 'nodes', '', '', false],
    ['clusterrole', 'clusterroles', 'rbac.authorization.k8s.io', '', false],
    ['csr/approval', 'certificatesigningrequests', 'certificates.k8s.io', 'approval', false],
    ['netpol', 'networkpolicies', 'networking.k8s.io', '', true],
    ['crd', 'customresourcedefinitions', 'apiextensions.k8s.io', '', false],
    // the CRD in the input
    ['widgets', 'widgets', 'example.com', '', true],
    ['widget', 'widgets', 'example.com', '', true],
    ['Widget', 'widgets', 'example.com', '', true],
    ['wd', 'widgets', 'example.com', '', true],
    ['wd.example.com/status', 'widgets', 'example.com', 'status', true],
  ];
  for (const [arg, resource, apiGroup, subresource, namespaced] of cases) {
    const r = table.resolve(arg);
    assert.ok(r.ok, `${arg}: ${r.ok ? '' : r.error}`);
    assert.deepEqual([r.resource.resource, r.resource.apiGroup, r.resource.subresource, r.resource.namespaced], [resource, apiGroup, subresource, namespaced], arg);
  }
});

test('unknown names are errors with close suggestions', async () => {
  const { inventory } = await loadInventory([SHOP]);
  const table = resourceTableFor(inventory);
  const bad = (arg: string) => {
    const r = table.resolve(arg);
    assert.ok(!r.ok, arg);
    return r;
  };
  assert.deepEqual(bad('secrts').suggestions[0], 'secrets');
  assert.ok(bad('deploymnets').suggestions.includes('deployments.apps'));
  assert.ok(bad('widgetz').suggestions.includes('widgets.example.com'));
  assert.match(bad('pods/logs').error, /pods has no subresource "logs"/);
  assert.ok(bad('pods/logs').suggestions.includes('pods/log'));
  assert.deepEqual(bad('zzqqxx').suggestions, []);
  // a custom resource that only an RBAC rule of the input names is known (by plural and group)
  const { inventory: rulesOnly } = await loadInventory(['test/corpus/rbac/shop/widgets-operator.yaml']);
  assert.ok(resourceTableFor(rulesOnly).resolve('widgets.example.com').ok);
});

test('who-can answers the same for every name of a resource', async () => {
  const answer = async (resource: string) => {
    const r = await runCli(['rbac', 'who-can', 'get', resource, SHOP, '-f', 'json']);
    assert.equal(r.code, 0, `${resource}: ${r.err}`);
    return JSON.parse(r.out).subjects;
  };
  const secrets = await answer('secrets');
  assert.ok(secrets.some((s: Json) => s.name === 'ci-deployer'), 'the editor reads secrets');
  for (const form of ['secret', 'Secret']) assert.deepEqual(await answer(form), secrets, form);
  const deployments = await answer('deployments.apps');
  assert.ok(deployments.some((s: Json) => s.name === 'storefront-devs'));
  for (const form of ['deploy.apps', 'deploy', 'Deployment', 'deployments']) assert.deepEqual(await answer(form), deployments, form);
  const pods = await answer('pods');
  assert.deepEqual(await answer('po'), pods);
  const widgets = await answer('widgets.example.com');
  assert.ok(widgets.some((s: Json) => s.name === 'storefront-devs'), 'view aggregates the operator\'s widgets-view');
  for (const form of ['wd', 'widget', 'Widget']) assert.deepEqual(await answer(form), widgets, form);
});

test('who-can on an unknown resource is a usage error (exit 2) that suggests names, never an empty answer', async () => {
  const r = await runCli(['rbac', 'who-can', 'get', 'secrts', SHOP]);
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  assert.match(r.err, /unknown resource "secrts"; did you mean secrets/);
  const none = await runCli(['rbac', 'who-can', 'get', 'gizmos', SHOP]);
  assert.equal(none.code, 2);
  assert.match(none.err, /unknown resource "gizmos"; a custom resource needs its CustomResourceDefinition/);
});

test('--cluster-wide counts only cluster-wide grants; -A counts role bindings in their namespaces', async () => {
  const subjects = async (...flags: string[]) => {
    const r = await runCli(['rbac', 'who-can', 'list', 'secrets', SHOP, '-f', 'json', ...flags]);
    assert.equal(r.code, 0, r.err);
    return JSON.parse(r.out).subjects.map((s: Json) => `${s.kind}:${s.namespace ? s.namespace + '/' : ''}${s.name}`);
  };
  const any = await subjects('-A');
  assert.ok(any.includes('ServiceAccount:shop/ci-deployer'));
  const clusterWide = await subjects('--cluster-wide');
  assert.ok(!clusterWide.includes('ServiceAccount:shop/ci-deployer'), 'a RoleBinding never allows a cluster-wide list');
  assert.ok(clusterWide.includes('Group:system:masters'));
  assert.deepEqual(await subjects(), any, '-A is the default');
  const text = await runCli(['rbac', 'who-can', 'list', 'secrets', SHOP, '--cluster-wide']);
  assert.match(text.out, /^who can list secrets cluster-wide \(only cluster-wide grants count\): /);
  const both = await runCli(['rbac', 'who-can', 'list', 'secrets', SHOP, '-A', '--cluster-wide']);
  assert.equal(both.code, 2);
  const badVersion = await runCli(['rbac', 'who-can', 'list', 'secrets', SHOP, '--kube-version', 'v2.1']);
  assert.equal(badVersion.code, 2);
  assert.match(badVersion.err, /invalid --kube-version "v2\.1"/);
  const older = await runCli(['rbac', 'who-can', 'list', 'secrets', SHOP, '--kube-version', '1.29']);
  assert.equal(older.code, 0, older.err);
  assert.match(older.err, /no built-in RBAC policy for Kubernetes v1\.29 is shipped; using v1\.30's/);
  const shipped = await runCli(['rbac', 'who-can', 'list', 'secrets', SHOP, '--kube-version', '1.30']);
  assert.equal(shipped.code, 0, shipped.err);
  assert.doesNotMatch(shipped.err, /no built-in RBAC policy/);
});

test('a cluster-scoped resource is asked cluster-wide, even with -n: no RoleBinding can grant it', async () => {
  const { writeFileSync, mkdtempSync } = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kordon-rbac-scope-'));
  const file = path.join(dir, 'rbac.yaml');
  writeFileSync(
    file,
    [
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: node-reader}\nrules: [{apiGroups: [""], resources: [nodes], verbs: [get]}]',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: nodes-in-ns, namespace: ops}\nsubjects: [{kind: User, name: nina, apiGroup: rbac.authorization.k8s.io}]\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: node-reader}',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: nodes}\nsubjects: [{kind: User, name: carl, apiGroup: rbac.authorization.k8s.io}]\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: node-reader}',
    ].join('\n---\n') + '\n',
  );
  for (const flags of [[], ['-n', 'ops'], ['-A']]) {
    const r = await runCli(['rbac', 'who-can', 'get', 'no', file, '-f', 'json', ...flags]);
    assert.equal(r.code, 0, r.err);
    const users = JSON.parse(r.out).subjects.filter((s: Json) => s.kind === 'User' && !s.builtIn).map((s: Json) => s.name);
    assert.deepEqual(users, ['carl'], flags.join(' '));
  }
  const text = await runCli(['rbac', 'who-can', 'get', 'node', file, '-n', 'ops']);
  assert.match(text.out, /^who can get nodes cluster-wide \(a cluster-scoped resource\): /);
});
