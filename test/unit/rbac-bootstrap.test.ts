/**
 * Built-in roles and bindings (the API server's bootstrap policy, shipped per version) on an
 * input shaped like a team's GitOps repository (test/corpus/rbac/shop): bindings to `edit`,
 * `view`, `system:auth-delegator` and the kube-system Role `extension-apiserver-authentication-reader`
 * that the repository never defines, and an operator's aggregate-to-edit ClusterRole.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/cli.js';
import { NEWEST_KUBERNETES_VERSION, SHIPPED_KUBERNETES_VERSIONS, kubeMinorOf, shippedVersion, shippedVersionFor } from '../../src/rbac/bootstrap/index.js';
import { Inventory } from '../../src/inventory/inventory.js';
import { rbacIndexOf } from '../../src/rbac/model.js';
import { authorize } from '../../src/rbac/authorize.js';

const SHOP = 'test/corpus/rbac/shop';

type Json = any;

async function json(args: string[], code = 0): Promise<Json> {
  const r = await runCli([...args, '-f', 'json']);
  assert.equal(r.code, code, `${args.join(' ')}: ${r.err}`);
  return JSON.parse(r.out);
}

const labels = (subjects: Json[]): string[] => subjects.map((s) => (s.kind === 'ServiceAccount' ? `sa:${s.namespace}/${s.name}` : `${s.kind.toLowerCase()}:${s.name}`));

test('the shipped v1.35 policy is the whole bootstrap policy, as the server serves it; the default is the newest shipped (v1.37)', () => {
  assert.equal(NEWEST_KUBERNETES_VERSION, 'v1.37');
  assert.equal(SHIPPED_KUBERNETES_VERSIONS[0], 'v1.37');
  assert.equal(shippedVersionFor().data, shippedVersion('v1.37'));
  const K8S_1_35 = shippedVersion('v1.35')!;
  assert.equal(shippedVersionFor('v1.35').data, K8S_1_35);
  assert.match(K8S_1_35.serverVersion, /^v1\.35\.\d+$/);
  assert.match(K8S_1_35.producedBy, /gen-rbac-bootstrap\.ts from k8s\.io\/kubernetes v1\.35\.\d+: bootstrappolicy/);
  const names = (kind: string) => K8S_1_35.objects.filter((o) => o.kind === kind).map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`);
  for (const n of ['cluster-admin', 'admin', 'edit', 'view', 'system:discovery', 'system:basic-user', 'system:public-info-viewer', 'system:node', 'system:auth-delegator', 'system:aggregate-to-edit', 'system:controller:replicaset-controller']) {
    assert.ok(names('ClusterRole').includes(`/${n}`), `ClusterRole ${n}`);
  }
  for (const n of ['cluster-admin', 'system:basic-user', 'system:discovery', 'system:public-info-viewer', 'system:controller:replicaset-controller']) assert.ok(names('ClusterRoleBinding').includes(`/${n}`), `ClusterRoleBinding ${n}`);
  assert.ok(names('Role').includes('kube-system/extension-apiserver-authentication-reader'));
  for (const o of K8S_1_35.objects) assert.equal(o.metadata.labels?.['kubernetes.io/bootstrapping'], 'rbac-defaults', o.metadata.name);
  // edit is aggregated: the server stores the selectors, the rules come from the aggregate-to roles
  const edit = K8S_1_35.objects.find((o) => o.kind === 'ClusterRole' && o.metadata.name === 'edit')!;
  assert.ok(edit.aggregationRule?.clusterRoleSelectors.some((s) => s.matchLabels?.['rbac.authorization.k8s.io/aggregate-to-edit'] === 'true'));
});

test('--kube-version: v1.N, 1.N and v1.N.P name the same minor; minors outside the shipped ones use the nearest shipped policy', () => {
  assert.equal(kubeMinorOf('v1.35'), 35);
  assert.equal(kubeMinorOf('1.35.4'), 35);
  assert.equal(kubeMinorOf('v1.29.3-eks.1'), 29);
  for (const bad of ['v2.0', 'latest', '1', 'v1.x']) assert.equal(kubeMinorOf(bad), undefined, bad);
  assert.deepEqual(shippedVersionFor('v1.35.4').exact, true);
  const older = shippedVersionFor('v1.29');
  assert.equal(older.exact, false);
  assert.equal(older.requested, 'v1.29');
  assert.equal(older.data, shippedVersion('v1.30'));
  const newer = shippedVersionFor('v1.38');
  assert.equal(newer.exact, false);
  assert.equal(newer.data, shippedVersion('v1.37'));
});

test('the built-in edit resolves with its full aggregated rules, and extends to the input\'s aggregate-to-edit roles', async () => {
  const { loadInventory } = await import('../../src/scan.js');
  const { inventory } = await loadInventory([SHOP]);
  const index = rbacIndexOf(inventory);
  const sa = { user: 'system:serviceaccount:shop:ci-deployer', groups: ['system:serviceaccounts', 'system:serviceaccounts:shop', 'system:authenticated'] };
  const ask = (verb: string, apiGroup: string, resource: string, namespace: string, subresource = '') => authorize(index, { ...sa, verb, apiGroup, resource, subresource, namespace, name: '' }).allowed;
  // edit (from system:aggregate-to-edit and system:aggregate-to-view)
  assert.equal(ask('create', '', 'pods', 'shop'), true);
  assert.equal(ask('create', '', 'pods', 'shop', 'exec'), true);
  assert.equal(ask('get', '', 'secrets', 'shop'), true);
  assert.equal(ask('create', 'apps', 'deployments', 'shop'), true);
  assert.equal(ask('create', 'networking.k8s.io', 'networkpolicies', 'shop'), true);
  assert.equal(ask('get', 'policy', 'poddisruptionbudgets', 'shop'), true);
  // edit does not manage RBAC (admin does), and only in its namespace
  assert.equal(ask('create', 'rbac.authorization.k8s.io', 'roles', 'shop'), false);
  assert.equal(ask('create', '', 'pods', 'other'), false);
  // the operator's aggregate-to-edit role extends the built-in edit
  assert.equal(ask('create', 'example.com', 'widgets', 'shop'), true);
  assert.equal(index.missingRoles.map((m) => m.role).join(','), 'ClusterRole//legacy-metrics-reader');
  // a live cluster (or a repository) that defines the role wins over the built-in
  const own = new Inventory([
    { object: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'edit' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] }, origin: { source: 'own.yaml', documentIndex: 0, itemPointer: '', line: 1, column: 1 } },
    { object: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b', namespace: 'shop' }, subjects: [{ kind: 'User', name: 'u' }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' } }, origin: { source: 'own.yaml', documentIndex: 1, itemPointer: '', line: 9, column: 1 } },
  ]);
  const ownIndex = rbacIndexOf(own);
  assert.equal(authorize(ownIndex, { user: 'u', groups: ['system:authenticated'], verb: 'create', apiGroup: '', resource: 'pods', namespace: 'shop', name: '' }).allowed, false);
  assert.equal(authorize(ownIndex, { user: 'u', groups: ['system:authenticated'], verb: 'get', apiGroup: '', resource: 'configmaps', namespace: 'shop', name: '' }).allowed, true);
});

test('who-can create pods -A lists the subject bound to the built-in edit, and says edit was assumed', async () => {
  const r = await json(['rbac', 'who-can', 'create', 'pods', SHOP, '-A']);
  const deployer = r.subjects.find((s: Json) => s.kind === 'ServiceAccount' && s.name === 'ci-deployer');
  assert.deepEqual(deployer?.grants.map((g: Json) => [g.binding, g.role, g.namespace]), [['RoleBinding/shop/ci-deployer-edit', 'ClusterRole//edit', 'shop']]);
  assert.ok(r.assumedBuiltIns.includes('ClusterRole//edit'));
  assert.equal(r.builtInPolicy, 'v1.37');
  // viewers cannot create pods
  assert.ok(!labels(r.subjects).includes('group:storefront-devs'));
  const text = await runCli(['rbac', 'who-can', 'create', 'pods', SHOP, '-A']);
  assert.match(text.out, /RoleBinding\/shop\/ci-deployer-edit → ClusterRole\/\/edit: /);
  assert.match(text.out, /^assumed from the Kubernetes v1\.37 bootstrap policy \(not in the input\): .*ClusterRole\/\/edit/m);
  // the missing role that no policy defines is still named, once
  assert.equal(text.err.match(/legacy-metrics-reader/g)?.length, 1);
});

test('bootstrap bindings count for groups: every authenticated user can review its own access and read /version', async () => {
  const alice = await json(['rbac', 'can', 'user:alice', SHOP]);
  const ssar = alice.clusterWide.resources.find((p: Json) => p.apiGroup === 'authorization.k8s.io' && p.resource === 'selfsubjectaccessreviews');
  assert.deepEqual(ssar?.verbs, ['create']);
  assert.ok(ssar.from.includes('ClusterRoleBinding//system:basic-user'));
  assert.ok(alice.assumedBuiltIns.includes('ClusterRoleBinding//system:basic-user'));
  assert.ok(alice.assumedBuiltIns.includes('ClusterRole//system:basic-user'));
  const version = await json(['rbac', 'who-can', 'get', '/version', SHOP]);
  assert.deepEqual(labels(version.subjects).filter((l) => l.startsWith('group:system:')).sort(), ['group:system:authenticated', 'group:system:masters', 'group:system:unauthenticated']);
});

test('rbac can shows the permissions a built-in role gives, per namespace', async () => {
  const r = await json(['rbac', 'can', 'sa:shop/ci-deployer', SHOP]);
  const shop = r.namespaces.find((n: Json) => n.namespace === 'shop');
  const pods = shop.resources.find((p: Json) => p.apiGroup === '' && p.resource === 'pods');
  assert.ok(pods.verbs.includes('create') && pods.verbs.includes('delete'), JSON.stringify(pods));
  assert.ok(shop.resources.some((p: Json) => p.apiGroup === 'example.com' && p.resource === 'widgets' && p.verbs.includes('create')));
  assert.ok(r.assumedBuiltIns.includes('ClusterRole//edit'));
  const text = await runCli(['rbac', 'can', 'sa:shop/ci-deployer', SHOP]);
  assert.match(text.out, /namespace shop \(in addition\):/);
  assert.match(text.out, /assumed from the Kubernetes v1\.37 bootstrap policy/);
});

test('rbac risky reports the bindings to built-in roles, and says the role was assumed', async () => {
  const r = await runCli(['rbac', 'risky', SHOP, '-f', 'json']);
  const report = JSON.parse(r.out);
  const findings: Json[] = report.findings;
  const onDeployer = findings.filter((f) => JSON.stringify(f).includes('ci-deployer-edit'));
  // the grant to create workloads and impersonation; the first names what it stands for (secrets, tokens, exec, ...)
  assert.deepEqual(onDeployer.map((f) => f.controlId).sort(), ['KOR-0205', 'KOR-0208'], `findings on the edit binding: ${onDeployer.map((f) => f.controlId ?? f.control).join(', ')}`);
  assert.ok(onDeployer.find((f) => f.controlId === 'KOR-0208').related.length >= 3);
  for (const f of onDeployer) assert.match(f.message, /ClusterRole "edit" \(built-in, assumed from the Kubernetes v1\.37 bootstrap policy: not in the input\)/);
  const pretty = await runCli(['rbac', 'risky', SHOP]);
  assert.match(pretty.out, /ci-deployer-edit/);
  assert.doesNotMatch(pretty.out, /posture 100%/i);
});

test('paths and rbac agree: the attack graph resolves the same built-in edit', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kordon-rbac-bootstrap-'));
  const graph = path.join(dir, 'graph.json');
  const r = await runCli(['paths', SHOP, '--from', 'sa:shop/ci-deployer', '--graph-json', graph]);
  assert.ok(r.code === 0 || r.code === 1, r.err);
  const edges: Json[] = JSON.parse(readFileSync(graph, 'utf8')).edges;
  const readSecrets = edges.find((e) => e.kind === 'read-secrets');
  assert.deepEqual(readSecrets?.evidence.map((e: Json) => e.object), ['RoleBinding/shop/ci-deployer-edit', 'built-in//edit']);
});

test('escalations follow the bootstrap bindings: admin in kube-system becomes cluster-admin through a controller\'s service account', async () => {
  const r = await json(['rbac', 'escalations', 'user:oncall', 'test/corpus/rbac/kube-system-admin']);
  const admin = r.paths.find((p: Json) => p.clusterAdmin);
  assert.ok(admin, JSON.stringify(r.paths.map((p: Json) => p.target)));
  assert.deepEqual(admin.steps.map((s: Json) => s.action), ['impersonate', 'escalate-role']);
  assert.match(admin.steps[0].description, /kube-system\/clusterrole-aggregation-controller/);
  // each grant once, though escalate and update are both allowed by the same rule
  assert.deepEqual(admin.steps[1].grants.map((g: Json) => g.binding), ['ClusterRoleBinding//system:controller:clusterrole-aggregation-controller']);
  for (const k of ['ClusterRole//admin', 'ClusterRole//system:controller:clusterrole-aggregation-controller', 'ClusterRoleBinding//system:controller:clusterrole-aggregation-controller']) assert.ok(r.assumedBuiltIns.includes(k), k);
  const text = await runCli(['rbac', 'escalations', 'user:oncall', 'test/corpus/rbac/kube-system-admin']);
  assert.match(text.out, /assumed from the Kubernetes v1\.37 bootstrap policy \(not in the input\): ClusterRole\/\/admin, /);
});

test('an impersonation finding names what may be impersonated (edit: service accounts only)', async () => {
  const r = await runCli(['rbac', 'risky', SHOP, '-f', 'json']);
  const f = JSON.parse(r.out).findings.find((x: Json) => x.controlId === 'KOR-0205');
  assert.match(f.message, /gives ServiceAccount shop\/ci-deployer impersonation of service accounts in namespace "shop" through ClusterRole "edit"/);
});

test('an input problem is printed once, and the answer still covers the rest of the input (exit 3)', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kordon-rbac-broken-'));
  const broken = path.join(dir, 'broken.yaml');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(broken, 'apiVersion: v1\nkind: Pod\nmetadata: {name: [\n');
  const r = await runCli(['rbac', 'who-can', 'create', 'pods', broken, SHOP]);
  assert.equal(r.code, 3);
  // the problem is said once, in the answer itself (computed from partial input), not again on stderr
  assert.equal((r.out + r.err).split(broken).length - 1, 1, r.out + r.err);
  assert.match(r.out, /computed from partial input/);
  assert.match(r.out, /ServiceAccount shop\/ci-deployer/);
});
