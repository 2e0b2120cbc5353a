/**
 * Template owners against the real API server: the objects it stores carry its defaults
 * (templates and pods alike, pods more: tolerations, priority, enableServiceLinks, host ports on
 * the host network). A workload and the ReplicaSet and pods running its template must be one
 * set of findings on the workload, with the pod count; a pod changed at creation is judged itself.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { acquireControlPlane, type ControlPlaneInfo } from '../support/controlplane.js';
import { applyObjects } from '../support/apply.js';
import { scanCluster } from '../../src/scan.js';
import type { K8sObject } from '../../src/inventory/types.js';

const NS = 'noise-owners';
let cp: ControlPlaneInfo & { kubeconfigFor(user: string): string };
let release: () => Promise<void>;

const webSpec = () => ({ containers: [{ name: 'web', image: 'registry.example.com/web:1.0', ports: [{ containerPort: 8080 }], securityContext: { privileged: true } }] });
const agentSpec = () => ({ hostNetwork: true, containers: [{ name: 'agent', image: 'registry.example.com/agent:2.0', ports: [{ containerPort: 9100 }] }] });

async function create(obj: K8sObject): Promise<K8sObject> {
  const [r] = await applyObjects(cp, [obj]);
  assert.equal(r!.status, 201, `${obj.kind} ${obj.metadata.name}: ${JSON.stringify(r!.body).slice(0, 300)}`);
  return r!.body as K8sObject;
}
const owner = (o: K8sObject) => [{ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name!, uid: o.metadata.uid!, controller: true }];

before(async () => {
  ({ cp, release } = await acquireControlPlane());
  await create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  const dep = await create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS }, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: webSpec() } } });
  const labels = { app: 'web', 'pod-template-hash': '6d4cf56db6' };
  const rs = await create({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-6d4cf56db6', namespace: NS, labels, ownerReferences: owner(dep) }, spec: { replicas: 3, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: webSpec() } } });
  for (const n of ['a', 'b']) await create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `web-6d4cf56db6-${n}`, namespace: NS, labels, ownerReferences: owner(rs) }, spec: { ...webSpec(), nodeName: 'node-1' } });
  // changed at creation (as a mutating webhook would): runs as root
  const mutated = webSpec();
  (mutated.containers[0]!.securityContext as Record<string, unknown>)['runAsUser'] = 0;
  await create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-6d4cf56db6-m', namespace: NS, labels, ownerReferences: owner(rs) }, spec: { ...mutated, nodeName: 'node-2' } });
  const ds = await create({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: NS }, spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: agentSpec() } } });
  await create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'agent-x7k2p', namespace: NS, labels: { app: 'agent', 'controller-revision-hash': '5b6f8c9d7', 'pod-template-generation': '1' }, ownerReferences: owner(ds) }, spec: { ...agentSpec(), nodeName: 'node-1' } });
});

after(async () => {
  await release();
});

test('the API server defaults both sides: pods running the template are judged at the workload, a changed pod itself', async () => {
  const r = await scanCluster({ kubeconfig: cp.adminKubeconfig, namespaces: [NS] });
  assert.equal(r.summary.problems.errors, 0, JSON.stringify(r.problems));
  const priv = r.findings.filter((f) => f.controlId === 'KOR-0003');
  assert.deepEqual(priv.map((f) => [f.object?.id, f.pods]), [[`Deployment/${NS}/web`, 2]]);
  const on = (id: string) => r.findings.filter((f) => f.object?.id === id).map((f) => f.controlId);
  for (const id of [`ReplicaSet/${NS}/web-6d4cf56db6`, `Pod/${NS}/web-6d4cf56db6-a`, `Pod/${NS}/web-6d4cf56db6-b`, `Pod/${NS}/agent-x7k2p`]) assert.deepEqual(on(id), [], id);
  // the changed pod: what differs (root), not what the Deployment already says (privileged)
  const mutated = on(`Pod/${NS}/web-6d4cf56db6-m`);
  assert.ok(mutated.includes('KOR-0016'), mutated.join(', '));
  assert.ok(!mutated.includes('KOR-0003'));
  // the host-network agent: the API server sets hostPort on the pod (not on the template); the
  // pod still runs the template, and the node port is the workload's one finding
  const agent = r.findings.filter((f) => f.object?.id === `DaemonSet/${NS}/agent` && (f.controlId === 'KOR-0125' || f.controlId === 'KOR-0006'));
  assert.deepEqual(agent.map((f) => [f.controlId, f.pods]), [['KOR-0125', 1]]);
  const stored = await scanCluster({ kubeconfig: cp.adminKubeconfig, namespaces: [NS], dedupe: false });
  assert.ok(stored.findings.some((f) => f.object?.id === `Pod/${NS}/agent-x7k2p` && f.controlId === 'KOR-0006'), 'the pod as stored has the defaulted hostPort');
});
