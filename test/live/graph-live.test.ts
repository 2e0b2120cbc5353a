/**
 * Live: the realistic scenario loaded into a real API server and read back with
 * `readCluster` gives the same attack paths as the manifests. The server adds its own
 * objects (the bootstrap RBAC policy with the real `edit` and `cluster-admin` roles, defaults
 * in every spec); the paths must not change.
 *
 * Namespaces get a per-run prefix so concurrent live tests and earlier runs cannot interfere.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { acquireControlPlane, apiRequest, type ControlPlaneInfo } from '../support/controlplane.js';
import { applyObjects } from '../support/apply.js';
import { Inventory } from '../../src/inventory/inventory.js';
import type { K8sObject, Origin } from '../../src/inventory/types.js';
import { compareObjects, readCluster } from '../../src/sources/cluster/read.js';
import { buildSecurityGraph } from '../../src/graph/build.js';
import { findAttackPaths, resolveStart } from '../../src/graph/paths.js';
import { loadScenario, stepLines, targets } from '../unit/graph-support.js';

const RUN = randomBytes(3).toString('hex');
const WEB = `graph${RUN}-web`;
const PAYMENTS = `graph${RUN}-payments`;

let cp: ControlPlaneInfo & { kubeconfigFor(user: string): string };
let release: () => Promise<void>;
let objects: K8sObject[];

/** The scenario with its namespaces renamed (every exact string value "web" / "payments"). */
function renamed(o: K8sObject): K8sObject {
  return JSON.parse(JSON.stringify(o).replace(/"web"/g, JSON.stringify(WEB)).replace(/"payments"/g, JSON.stringify(PAYMENTS))) as K8sObject;
}

function summary(inv: Inventory): Array<{ category: string; cost: number; to: string; steps: string[] }> {
  return findAttackPaths(buildSecurityGraph(inv), { max: 1000 }).paths.map((p) => ({ category: p.category, cost: p.cost, to: p.to, steps: stepLines(p) }));
}

before(async () => {
  ({ cp, release } = await acquireControlPlane());
  const inv = await loadScenario('realistic');
  objects = inv.objects.map((o) => renamed(o.object));
  await applyObjects(cp, structuredClone(objects));
});

after(async () => {
  await release();
});

test('the live read of the realistic scenario finds the same attack paths as its manifests', async () => {
  const read: Array<{ object: K8sObject; origin: Origin }> = [];
  const r = await readCluster({ kubeconfig: cp.adminKubeconfig, namespaces: [WEB, PAYMENTS, 'kube-system'], onObject: (object, origin) => void read.push({ object, origin }) });
  assert.deepEqual(r.problems.filter((p) => p.severity === 'error'), []);
  read.sort((a, b) => compareObjects(a.object, b.object));
  const live = new Inventory(read);
  assert.ok(live.get('ClusterRole', undefined, 'edit'), 'the server’s own edit role is read');

  const fromFiles = summary(new Inventory(objects.map((object, i) => ({ object, origin: { source: 'realistic', documentIndex: i, itemPointer: '', line: 1, column: 1 } }))));
  const fromCluster = summary(live);
  assert.equal(fromFiles.length, 2);
  for (const p of fromFiles) assert.ok(fromCluster.some((q) => JSON.stringify(q) === JSON.stringify(p)), `live read misses: ${p.category} → ${p.to}`);
  const admin = fromCluster.find((p) => p.category === 'cluster-admin')!;
  assert.deepEqual(admin, fromFiles.find((p) => p.category === 'cluster-admin'));
  assert.ok(admin.steps.includes(`ServiceAccount ${WEB}/storefront -create-pods-> service accounts in namespace ${WEB}`));
  assert.ok(admin.steps.at(-1)!.startsWith(`ServiceAccount ${WEB}/ci-deployer -is-cluster-admin->`));
});

test('node placement read from the cluster: taints keep pods off nodes unless tolerated', async () => {
  const ns = `graph${RUN}-place`;
  const cpNode = `graph${RUN}-cp`;
  const worker = `graph${RUN}-worker`;
  const privileged = { name: 'c', image: 'registry.example.com/x:1', securityContext: { privileged: true } };
  await applyObjects(cp, [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    { apiVersion: 'v1', kind: 'Node', metadata: { name: cpNode, labels: { 'node-role.kubernetes.io/control-plane': '' } }, spec: { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } },
    { apiVersion: 'v1', kind: 'Node', metadata: { name: worker, labels: { [`graph${RUN}/pool`]: 'general' } } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'plain', namespace: ns }, spec: { automountServiceAccountToken: false, containers: [privileged] } },
    { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: ns }, spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { automountServiceAccountToken: false, tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }], containers: [privileged] } } } },
  ]);
  const read: Array<{ object: K8sObject; origin: Origin }> = [];
  try {
    await readCluster({ kubeconfig: cp.adminKubeconfig, namespaces: [ns], onObject: (object, origin) => void read.push({ object, origin }) });
  } finally {
    // the nodes are cluster-wide: other tests sharing the control plane must not see them
    for (const n of [cpNode, worker]) await apiRequest(cp, 'admin', 'DELETE', `/api/v1/nodes/${n}`);
  }
  read.sort((a, b) => compareObjects(a.object, b.object));
  const inv = new Inventory(read);
  // the API server adds the condition taint node.kubernetes.io/not-ready to new nodes (no kubelet
  // runs here): such taints come and go with the node's health and keep no pod off in the model
  const taints = (inv.get('Node', undefined, worker)?.object['spec'] as { taints?: Array<{ key: string }> } | undefined)?.taints ?? [];
  assert.ok(taints.some((t) => t.key === 'node.kubernetes.io/not-ready'), JSON.stringify(taints));
  const bg = buildSecurityGraph(inv);
  const nodesFrom = (container: string): string[] => {
    const out: string[] = [];
    for (const pool of targets(bg, container, 'container-escape')) out.push(...targets(bg, pool, 'node-in-pool'));
    return out.sort();
  };
  // the API server added its default tolerations (not-ready, unreachable): they change nothing
  const plain = nodesFrom(`Pod/${ns}/plain#container:c`);
  assert.ok(plain.includes(`Node//${worker}`), plain.join(', '));
  assert.equal(plain.includes(`Node//${cpNode}`), false, 'a pod without the toleration reaches the control-plane node');
  const agent = nodesFrom(`DaemonSet/${ns}/agent#container:c`);
  assert.ok(agent.includes(`Node//${cpNode}`) && agent.includes(`Node//${worker}`), agent.join(', '));
  // and so the control plane is reached only through the workload that tolerates its taint
  const toControlPlane = (from: string) => findAttackPaths(bg, { max: 50, from: resolveStart(bg.graph, from) }).paths.filter((p) => p.category === 'control-plane').map(stepLines);
  assert.ok(toControlPlane(`DaemonSet/${ns}/agent`).length > 0);
  for (const steps of toControlPlane(`Pod/${ns}/plain`)) assert.ok(steps.some((s) => s.includes(`DaemonSet ${ns}/agent`)), steps.join('\n'));
});
