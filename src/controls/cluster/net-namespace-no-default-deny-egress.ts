import { defineControl } from '../../engine/types.js';
import { isDefaultDeny, networkAnalysis } from '../../network/analysis.js';
import { workloadNamespaces } from '../support/namespaces.js';

/** Namespaces that use NetworkPolicies but leave some pods' egress open by default. */
export default defineControl({
  id: 'KOR-0301',
  name: 'net-namespace-no-default-deny-egress',
  title: 'Namespace with NetworkPolicies but no egress default deny',
  description:
    'Egress is open unless a policy covering Egress selects the pod. Without an egress default deny (empty podSelector, policyType Egress, no allow-all rule), a compromised pod can exfiltrate data, reach the cloud metadata endpoint for node credentials, and move laterally to any service. Namespaces with no NetworkPolicy at all are reported by KOR-0137.',
  layer: 'cluster',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: { nsa: ['network-policies'], cis: ['5.3.2'], mitre: ['T1041', 'T1552.005'] },
  remediation: 'Add a NetworkPolicy with `podSelector: {}` and `policyTypes: [Egress]` (no egress rules) to the namespace, then allow DNS and the destinations each workload needs.',
  messages: {
    missing: 'Namespace "{{namespace}}" has NetworkPolicies but none denies egress by default; {{open}} of its {{total}} workload(s) may connect anywhere, the cloud metadata address and the internet included.',
    allCoveredToday: 'Namespace "{{namespace}}" has no egress default deny: its workloads are each isolated today, but a new or relabelled one could connect anywhere.',
  },
  targets: 'inventory',
  kinds: ['Namespace', 'NetworkPolicy'],
  check(inventory, ctx) {
    const net = networkAnalysis(inventory);
    for (const ns of workloadNamespaces(inventory)) {
      const policies = net.policiesIn(ns.namespace);
      if (policies.length === 0) continue; // KOR-0137's finding
      if (policies.some((p) => isDefaultDeny(p, 'egress'))) continue;
      const workloads = net.engine.model.byNamespace.get(ns.namespace) ?? [];
      const isolated = new Set(policies.filter((p) => p.covers.has('egress')).flatMap((p) => net.subjectOf(p).map((w) => w.index)));
      const open = workloads.filter((w) => !isolated.has(w.index)).length;
      if (open === 0) ctx.report('allCoveredToday', { namespace: ns.namespace }, ns.pointer, { object: ns.anchor });
      else ctx.report('missing', { namespace: ns.namespace, open, total: workloads.length }, ns.pointer, { object: ns.anchor });
    }
  },
});
