/**
 * Agents that run on every node as DaemonSets (log shippers, runtime sensors): what the controls
 * asking "does the cluster run one?" share. They judge only a cluster read live or from a
 * snapshot whose kube-system DaemonSets are in the inputs: manifests of one application say
 * nothing about what else runs on the nodes.
 */
import type { Inventory } from '../../inventory/inventory.js';
import { podSpecOf, type Container } from '../../inventory/podspec.js';
import type { InventoryObject } from '../../inventory/types.js';
import { isLive } from './workloads.js';

/** Every container and init container of a DaemonSet's pod template. */
export function daemonSetContainers(d: InventoryObject): Container[] {
  const ps = podSpecOf(d.object);
  if (!ps) return [];
  return [...(Array.isArray(ps.spec.containers) ? ps.spec.containers : []), ...(Array.isArray(ps.spec.initContainers) ? ps.spec.initContainers : [])].filter((c): c is Container => c !== null && typeof c === 'object');
}

/** The lower-cased image of a container ('' when it has none). */
export function imageOf(c: Container): string {
  return typeof c.image === 'string' ? c.image.toLowerCase() : '';
}

/**
 * The kube-system DaemonSet read from a live cluster that a "no agent runs" finding is reported
 * on (the first by id), or undefined when the inputs do not show the cluster's DaemonSets.
 */
export function liveSystemDaemonSet(inv: Inventory): InventoryObject | undefined {
  let first: InventoryObject | undefined;
  for (const d of inv.byKind('DaemonSet')) if (inv.namespaceOf(d.object) === 'kube-system' && isLive(d) && (!first || d.id < first.id)) first = d;
  return first;
}

/** Whether some DaemonSet has a container the predicate accepts. */
export function someDaemonSetRuns(inv: Inventory, accepts: (c: Container) => boolean): boolean {
  return inv.byKind('DaemonSet').some((d) => daemonSetContainers(d).some(accepts));
}
