/** Node topology for the availability controls: zones and node pools, workers only. */
import type { Inventory } from '../../inventory/inventory.js';
import type { InventoryObject } from '../../inventory/types.js';

const CONTROL_PLANE = ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'];

/** Label keys cloud providers and node provisioners put the node pool in. */
export const POOL_LABELS: readonly string[] = [
  'cloud.google.com/gke-nodepool',
  'eks.amazonaws.com/nodegroup',
  'alpha.eksctl.io/nodegroup-name',
  'karpenter.sh/nodepool',
  'kubernetes.azure.com/agentpool',
  'agentpool',
  'doks.digitalocean.com/node-pool',
  'node.kubernetes.io/pool',
  'cluster.x-k8s.io/deployment-name',
];

const workers = new WeakMap<Inventory, readonly InventoryObject[]>();
const schedulable = new WeakMap<Inventory, readonly InventoryObject[]>();

/**
 * Nodes that run workloads (not control-plane nodes), sorted by id. Worked out once per inventory:
 * the per-workload controls ask for every workload, and a cluster has thousands of both.
 */
export function workerNodes(inv: Inventory): readonly InventoryObject[] {
  let nodes = workers.get(inv);
  if (!nodes) {
    nodes = inv
      .byKind('Node')
      .filter((n) => !CONTROL_PLANE.some((l) => n.object.metadata.labels?.[l] !== undefined))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    workers.set(inv, nodes);
  }
  return nodes;
}

/** The worker nodes new pods can be scheduled on: not cordoned (`spec.unschedulable`). */
export function schedulableWorkerNodes(inv: Inventory): readonly InventoryObject[] {
  let nodes = schedulable.get(inv);
  if (!nodes) {
    nodes = workerNodes(inv).filter((n) => {
      const spec = n.object['spec'];
      return !(typeof spec === 'object' && spec !== null && (spec as Record<string, unknown>)['unschedulable'] === true);
    });
    schedulable.set(inv, nodes);
  }
  return nodes;
}

export function zoneOf(node: InventoryObject): string | undefined {
  const l = node.object.metadata.labels ?? {};
  return l['topology.kubernetes.io/zone'] ?? l['failure-domain.beta.kubernetes.io/zone'];
}

export function poolOf(node: InventoryObject): string | undefined {
  const l = node.object.metadata.labels ?? {};
  for (const k of POOL_LABELS) if (typeof l[k] === 'string') return `${k}=${l[k]}`;
  return undefined;
}
