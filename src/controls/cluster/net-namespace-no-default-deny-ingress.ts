import { defineControl } from '../../engine/types.js';
import { namespacesWithoutDefaultDeny } from '../support/network.js';

/** Namespaces that use NetworkPolicies but leave some pods' ingress open by default. */
export default defineControl({
  id: 'KOR-0300',
  name: 'net-namespace-no-default-deny-ingress',
  title: 'Namespace with NetworkPolicies but no ingress default deny',
  description:
    'A NetworkPolicy isolates only the pods it selects. In a namespace whose policies select some pods but none selects every pod for Ingress, a new or relabelled workload accepts traffic from every pod of the cluster until someone writes a policy for it. An ingress default deny (empty podSelector, policyType Ingress, no allow-all rule) makes "closed" the default. Namespaces with no NetworkPolicy at all are reported by KOR-0137.',
  layer: 'cluster',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: { nsa: ['network-policies'], cis: ['5.3.2'], mitre: ['T1021', 'T1046'] },
  remediation: 'Add a NetworkPolicy with `podSelector: {}` and `policyTypes: [Ingress]` (no ingress rules) to the namespace, and keep the per-workload allow policies.',
  messages: {
    missing: 'Namespace "{{namespace}}" has NetworkPolicies but none denies ingress by default; {{open}} of its {{total}} workload(s) accept traffic from anywhere.',
    allCoveredToday: 'Namespace "{{namespace}}" has no ingress default deny: its workloads are each isolated today, but a new or relabelled one would accept traffic from anywhere.',
  },
  targets: 'inventory',
  kinds: ['Namespace', 'NetworkPolicy'],
  check(inventory, ctx) {
    for (const { ns, open, total } of namespacesWithoutDefaultDeny(inventory, 'ingress')) {
      if (open === 0) ctx.report('allCoveredToday', { namespace: ns.namespace }, ns.pointer, { object: ns.anchor });
      else ctx.report('missing', { namespace: ns.namespace, open, total }, ns.pointer, { object: ns.anchor });
    }
  },
});
