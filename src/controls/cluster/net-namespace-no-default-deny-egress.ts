import { defineControl } from '../../engine/types.js';
import { namespacesWithoutDefaultDeny } from '../support/network.js';

/** Namespaces that use NetworkPolicies but leave some pods' egress open by default. */
export default defineControl({
  id: 'KOR-0301',
  name: 'net-namespace-no-default-deny-egress',
  title: 'Namespace with NetworkPolicies but no egress default deny',
  description:
    'Egress is open unless a policy covering Egress selects the pod. Without an egress default deny (empty podSelector, policyType Egress, no allow-all rule), a compromised pod can exfiltrate data, reach the cloud metadata endpoint for node credentials, and move laterally to any service. Namespaces with no NetworkPolicy at all are reported by KOR-0137.',
  layer: 'cluster',
  dimensions: ['Security'],
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
    for (const { ns, open, total } of namespacesWithoutDefaultDeny(inventory, 'egress')) {
      if (open === 0) ctx.report('allCoveredToday', { namespace: ns.namespace }, ns.pointer, { object: ns.anchor });
      else ctx.report('missing', { namespace: ns.namespace, open, total }, ns.pointer, { object: ns.anchor });
    }
  },
});
