import { defineControl } from '../../engine/types.js';
import { workloadNamespaces } from '../support/namespaces.js';

export default defineControl({
  id: 'KOR-0137',
  name: 'namespace-without-network-policy',
  title: 'Namespace without any NetworkPolicy',
  description:
    'Kubernetes lets every pod talk to every other pod unless a NetworkPolicy selects it. In a namespace with workloads and no NetworkPolicy, a single compromised pod can reach every service of the namespace and of the cluster, and be reached from all of them. A default-deny policy per namespace, with explicit allows, is the baseline the NSA-CISA guide and CIS 5.3.2 ask for. (Policies of CNI-specific kinds are not considered here.)',
  layer: 'cluster',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: { nsa: ['network-policies'], cis: ['5.3.2'], mitre: ['T1021', 'T1046'] },
  remediation: 'Add a default-deny NetworkPolicy (empty podSelector, policyTypes Ingress and Egress) to the namespace, then allow the flows each workload needs.',
  messages: { missing: 'Namespace "{{namespace}}" runs workloads but has no NetworkPolicy (all traffic to and from its pods is allowed).' },
  targets: 'inventory',
  kinds: ['Namespace'],
  check(inventory, ctx) {
    for (const ns of workloadNamespaces(inventory)) {
      if (inventory.inNamespace(ns.namespace).some((o) => o.object.kind === 'NetworkPolicy')) continue;
      ctx.report('missing', { namespace: ns.namespace }, ns.pointer, { object: ns.anchor });
    }
  },
});
