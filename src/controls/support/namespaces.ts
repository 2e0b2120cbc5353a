import type { CheckContext } from '../../engine/types.js';
/** Namespace-level helpers for inventory controls. */
import type { Inventory } from '../../inventory/inventory.js';
import { isPodBearing } from '../../inventory/podspec.js';
import type { InventoryObject } from '../../inventory/types.js';
import { operatorPodSources } from './operator-pods.js';

export interface WorkloadNamespace {
  namespace: string;
  /** The Namespace object when the inventory has it, else the first workload (by id) living there. */
  anchor: InventoryObject;
  /** Pointer inside the anchor: the namespace's own metadata, or the workload's namespace field. */
  pointer: string;
}

/**
 * Namespaces holding at least one workload (an object carrying a pod template, or a custom
 * resource an operator makes pods for), sorted by name.
 */
export function workloadNamespaces(inv: Inventory): WorkloadNamespace[] {
  const out: WorkloadNamespace[] = [];
  const operatorPods = operatorPodSources(inv);
  for (const ns of inv.namespaces()) {
    const workloads = inv.inNamespace(ns).filter((o) => isPodBearing(o.object));
    if (workloads.length === 0) workloads.push(...(operatorPods.get(ns) ?? []));
    if (workloads.length === 0) continue;
    const nsObject = inv.get('Namespace', undefined, ns);
    if (nsObject) {
      out.push({ namespace: ns, anchor: nsObject, pointer: '/metadata/name' });
    } else {
      const first = [...workloads].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0]!;
      out.push({ namespace: ns, anchor: first, pointer: first.object.metadata.namespace !== undefined ? '/metadata/namespace' : '/metadata' });
    }
  }
  return out;
}

/** Reports every workload namespace that holds no object of `kind` (LimitRange, ResourceQuota, ...). */
export function reportNamespacesWithout(kind: string, inv: Inventory, ctx: CheckContext<'missing'>): void {
  for (const ns of workloadNamespaces(inv)) {
    if (inv.inNamespace(ns.namespace).some((o) => o.object.kind === kind)) continue;
    ctx.report('missing', { namespace: ns.namespace }, ns.pointer, { object: ns.anchor });
  }
}

/** System namespaces managed by Kubernetes itself. */
export const SYSTEM_NAMESPACES: ReadonlySet<string> = new Set(['kube-system', 'kube-public', 'kube-node-lease']);
