/** Network checks shared by the namespace default-deny controls. */
import type { Inventory } from '../../inventory/inventory.js';
import { isDefaultDeny, networkAnalysis } from '../../network/analysis.js';
import { workloadNamespaces, type WorkloadNamespace } from './namespaces.js';

/**
 * Namespaces that use NetworkPolicies but have no default deny in one direction: how many of
 * their workloads are open in that direction today (0 = each is isolated by some policy now).
 */
export function namespacesWithoutDefaultDeny(inv: Inventory, dir: 'ingress' | 'egress'): Array<{ ns: WorkloadNamespace; open: number; total: number }> {
  const net = networkAnalysis(inv);
  const out: Array<{ ns: WorkloadNamespace; open: number; total: number }> = [];
  for (const ns of workloadNamespaces(inv)) {
    const policies = net.policiesIn(ns.namespace);
    if (policies.length === 0) continue; // KOR-0137's finding
    if (policies.some((p) => isDefaultDeny(p, dir))) continue;
    const workloads = net.engine.model.byNamespace.get(ns.namespace) ?? [];
    const isolated = new Set(policies.filter((p) => p.covers.has(dir)).flatMap((p) => net.subjectOf(p).map((w) => w.index)));
    out.push({ ns, open: workloads.filter((w) => !isolated.has(w.index)).length, total: workloads.length });
  }
  return out;
}
