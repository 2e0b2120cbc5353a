/**
 * Attack paths on the realistic scenario (test/fixtures/graph/realistic): an internet-facing
 * storefront whose mounted token, through a permissive `edit` RoleBinding, reaches a
 * cluster-admin service account. Paths are asserted exactly.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Inventory } from '../../src/inventory/inventory.js';
import type { K8sObject } from '../../src/inventory/types.js';
import { buildSecurityGraph, type BuiltGraph } from '../../src/graph/build.js';
import { findAttackPaths, resolveStart } from '../../src/graph/paths.js';
import { graphToJson } from '../../src/graph/export.js';
import { whatIf, applyChanges } from '../../src/graph/what-if.js';
import { scanInventory } from '../../src/scan.js';
import { loadScenario, stepLines } from './graph-support.js';

const ANY_NODE = 'any node (pods without placement constraints)';
const ENTRY = [
  'the internet -exposes-> Ingress web/storefront',
  'Ingress web/storefront -routes-to-> Service web/storefront',
  'Service web/storefront -selects-> Deployment web/storefront',
  'Deployment web/storefront -runs-container-> container web of Deployment web/storefront',
  'container web of Deployment web/storefront -mounts-> service account token of Deployment web/storefront (automounted)',
  'service account token of Deployment web/storefront (automounted) -uses-token-> ServiceAccount web/storefront',
];
const TO_DEPLOYER = ['ServiceAccount web/storefront -create-pods-> service accounts in namespace web', 'service accounts in namespace web -contains-> ServiceAccount web/ci-deployer'];

const EXPECTED = [
  { category: 'node', cost: 3, to: ANY_NODE, steps: [...ENTRY, 'ServiceAccount web/storefront -create-privileged-pod-> every node (kubelet API)', `every node (kubelet API) -contains-> ${ANY_NODE}`] },
  { category: 'cluster-admin', cost: 3, to: 'cluster-admin (full control of the cluster)', steps: [...ENTRY, ...TO_DEPLOYER, 'ServiceAccount web/ci-deployer -is-cluster-admin-> cluster-admin (full control of the cluster)'] },
  // ci-deployer, cluster-admin at no further cost, could also read every Secret and change
  // admission: the cluster-admin path says it, so those paths are not shown again
];

export function summarize(bg: BuiltGraph, max = 20): Array<{ category: string; cost: number; to: string; steps: string[] }> {
  return findAttackPaths(bg, { max }).paths.map((p) => ({ category: p.category, cost: p.cost, to: p.to, steps: stepLines(p) }));
}

describe('attack paths: realistic scenario', () => {
  let inv: Inventory;
  let bg: BuiltGraph;
  before(async () => {
    inv = await loadScenario('realistic');
    bg = buildSecurityGraph(inv);
  });

  it('finds exactly the expected paths, cheapest first', () => {
    const r = findAttackPaths(bg);
    assert.equal(r.total, 2);
    assert.equal(r.shown, 2);
    assert.deepEqual(r.entryPoints, { tried: [{ kind: 'Ingress', count: 1, objects: ['Ingress web/storefront'] }], workloads: 1, text: 'entry points tried: 1 Ingress (reaching 1 workload)' });
    assert.deepEqual(summarize(bg), EXPECTED);
  });

  it('each step carries its evidence: the mounted token, the RoleBinding and the role rule', () => {
    const admin = findAttackPaths(bg).paths.find((p) => p.category === 'cluster-admin')!;
    const token = admin.steps.find((s) => s.edge === 'uses-token')!;
    assert.ok(token.evidence.some((e) => e.object === 'Deployment/web/storefront' && e.role === 'cause'));
    const create = admin.steps.find((s) => s.edge === 'create-pods')!;
    assert.deepEqual(create.evidence.map((e) => e.object), ['RoleBinding/web/storefront-edit', 'built-in//edit']);
    const last = admin.steps.at(-1)!;
    assert.deepEqual(last.evidence.map((e) => [e.object, e.pointer]), [['ClusterRoleBinding//ci-deployer-admin', '/subjects'], ['built-in//cluster-admin', '/rules/0']]);
  });

  it('the payments API (fenced, restricted, no token) is on no path', () => {
    const all = findAttackPaths(bg, { max: 1000 }).paths;
    assert.ok(all.every((p) => p.steps.every((s) => !s.source.includes('payments') && !s.target.includes('payments'))));
  });

  it('--max caps what is shown, total counts all', () => {
    const r = findAttackPaths(bg, { max: 1 });
    assert.equal(r.shown, 1);
    assert.equal(r.total, 2);
    assert.equal(r.paths[0]!.category, 'node');
  });

  it('is deterministic: reversed input order gives byte-identical results', () => {
    const reversed = new Inventory([...inv.objects].reverse().map((o) => ({ object: o.object, origin: o.origin })));
    const other = buildSecurityGraph(reversed);
    assert.equal(JSON.stringify(findAttackPaths(other)), JSON.stringify(findAttackPaths(bg)));
    assert.equal(JSON.stringify(graphToJson(other)), JSON.stringify(graphToJson(bg)));
  });

  it('--from a service account, a workload, a user', () => {
    const g = bg.graph;
    const fromSa = findAttackPaths(bg, { from: resolveStart(g, 'sa:web/ci-deployer') });
    assert.deepEqual(fromSa.paths[0]!.steps.map((s) => s.edge), ['is-cluster-admin']);
    assert.equal(fromSa.paths[0]!.cost, 0);
    assert.deepEqual(resolveStart(g, 'web/storefront').map((v) => g.keys[v]), ['Deployment/web/storefront']);
    assert.deepEqual(resolveStart(g, 'user:nobody'), []);
    // The payments API holds no token and cannot escape, but nothing fences the storefront's ingress.
    const fromPayments = findAttackPaths(bg, { from: resolveStart(g, 'payments/api') });
    assert.equal(fromPayments.total, 2);
    assert.ok(fromPayments.paths.every((p) => p.steps[0]!.edge === 'network-reach' && p.steps[0]!.target === 'Deployment web/storefront'));
  });

  it('exports the whole graph with evidence, sorted, and never a secret value', () => {
    const json = graphToJson(bg);
    assert.deepEqual(json.nodes.map((n) => n.id), [...json.nodes.map((n) => n.id)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    assert.ok(json.nodes.some((n) => n.id === 'cluster-admin' && n.crownJewel === 'cluster-admin'));
    assert.ok(json.edges.some((e) => e.kind === 'bound-by' && e.weight === null));
    const text = JSON.stringify(json);
    assert.ok(!text.includes('cGxhY2Vob2xkZXI='));
    assert.ok(!text.includes('placeholder'));
  });
});

describe('finding priority', () => {
  it('ranks findings on attack paths above the same finding elsewhere, with the reason', async () => {
    const inv = await loadScenario('realistic');
    const r = scanInventory(inv, ['realistic'], { attackPaths: true });
    assert.ok(r.findings.every((f) => f.priority !== undefined), 'every finding has a priority');
    // the storefront's mounted token: "token mounted", or "powerful token" standing for it (docs/deduplication.md)
    const automount = r.findings.filter((f) => f.control === 'service-account-token-automounted' || f.control === 'mounted-token-powerful');
    const store = automount.find((f) => f.object?.id === 'Deployment/web/storefront')!;
    assert.equal(store.priority!.onPaths, 2);
    assert.equal(store.priority!.reason, 'on 2 attack paths from the internet to cluster-admin, a node');
    const sa = r.findings.find((f) => f.control === 'service-account-automount-enabled' && f.object?.id === 'ServiceAccount/web/storefront');
    assert.equal(sa?.priority?.onPaths, 2);
    const off = r.findings.filter((f) => f.object?.id === 'Deployment/payments/api');
    assert.ok(off.length > 0 && off.every((f) => f.priority!.onPaths === 0));
    const ranked = [...r.findings].sort((a, b) => b.priority!.score - a.priority!.score);
    assert.ok(ranked[0]!.priority!.onPaths > 0);
    // Without the option, nothing is computed.
    const plain = scanInventory(inv, ['realistic']);
    assert.ok(plain.findings.every((f) => f.priority === undefined));
  });
});

describe('what-if', () => {
  const change = (yaml: K8sObject): Array<{ object: K8sObject; origin: { source: string; documentIndex: number; itemPointer: string; line: number; column: number } }> => [
    { object: yaml, origin: { source: 'what-if.yaml', documentIndex: 0, itemPointer: '', line: 1, column: 1 } },
  ];

  it('disabling the storefront token removes every path', async () => {
    const inv = await loadScenario('realistic');
    const dep = structuredClone(inv.get('Deployment', 'web', 'storefront')!.object) as K8sObject & { spec: { template: { spec: Record<string, unknown> } } };
    dep.spec.template.spec['automountServiceAccountToken'] = false;
    const r = whatIf(inv, change(dep));
    assert.equal(r.before, 2);
    assert.equal(r.after, 0);
    assert.equal(r.removed.length, 2);
    assert.equal(r.added.length, 0);
    assert.deepEqual(r.changes, { replaced: 1, added: 0, deleted: 0 });
  });

  it('deleting the permissive RoleBinding removes the paths; exposing the payments API opens nothing behind its NetworkPolicy, and moves them without it', async () => {
    const inv = await loadScenario('realistic');
    const del: K8sObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'storefront-edit', namespace: 'web', annotations: { 'kordon.dev/what-if': 'delete' } } };
    const r = whatIf(inv, change(del));
    assert.equal(r.after, 0);
    assert.deepEqual(r.changes, { replaced: 0, added: 0, deleted: 1 });
    const svc: K8sObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api-public', namespace: 'payments' }, spec: { type: 'LoadBalancer', selector: { app: 'payments-api' }, ports: [{ port: 443 }] } };
    // Its NetworkPolicy admits only the storefront: a load balancer in front of it brings no traffic in.
    assert.deepEqual(whatIf(inv, change(svc)).added, []);
    const ingress: K8sObject = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'storefront', namespace: 'web', annotations: { 'kordon.dev/what-if': 'delete' } } };
    const fence: K8sObject = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'api-from-storefront', namespace: 'payments', annotations: { 'kordon.dev/what-if': 'delete' } } };
    // Without the fence, exposed beside the storefront, the API adds no path: its only way on is
    // the storefront, which the internet reaches directly.
    assert.deepEqual(whatIf(inv, [...change(svc), ...change(fence)]).added, []);
    const moved = whatIf(inv, [...change(svc), ...change(fence), ...change(ingress)]);
    assert.equal(moved.changes.added, 1);
    assert.equal(moved.changes.deleted, 2);
    // Exposed instead, the API leads on only by moving laterally to the storefront (web has no ingress policy).
    assert.equal(moved.removed.length, 2);
    assert.equal(moved.added.length, 2);
    for (const p of moved.added) assert.deepEqual(p.steps.slice(0, 3).map((x) => x.edge), ['exposes', 'selects', 'network-reach']);
  });

  it('applyChanges replaces by kind/namespace/name (default namespace included)', () => {
    const o = (name: string, ns?: string): K8sObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(ns ? { namespace: ns } : {}) } });
    const origin = { source: 'x', documentIndex: 0, itemPointer: '', line: 1, column: 1 };
    const r = applyChanges([{ object: o('a'), origin }, { object: o('b', 'x'), origin }], [{ object: o('a', 'default'), origin }, { object: o('c'), origin }]);
    assert.deepEqual(r.objects.map((e) => `${e.object.metadata.namespace ?? ''}/${e.object.metadata.name}`), ['default/a', 'x/b', '/c']);
    assert.equal(r.replaced, 1);
    assert.equal(r.added, 1);
  });
});
