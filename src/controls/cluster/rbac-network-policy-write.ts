import { riskyGrantControl } from '../../rbac/risk-control.js';
import type { Capability } from '../../rbac/risk.js';

const WRITE_NETWORK_POLICIES: Capability = {
  label: 'write access to network policies (create, update, patch or delete)',
  probes: ['create', 'update', 'patch', 'delete', 'deletecollection'].flatMap((verb) => [
    { verb, apiGroup: 'networking.k8s.io', resource: 'networkpolicies' },
    { verb, apiGroup: 'policy.networking.k8s.io', resource: 'adminnetworkpolicies' },
    { verb, apiGroup: 'policy.networking.k8s.io', resource: 'baselineadminnetworkpolicies' },
  ]),
};

export default riskyGrantControl({
  id: 'KOR-0229',
  name: 'rbac-network-policy-write',
  title: 'Network policies can be changed',
  description:
    'NetworkPolicies (and AdminNetworkPolicies) are the cluster\'s segmentation: they keep a compromised pod from reaching databases, the metadata service or other tenants. A subject that can create, change or delete them can open any path it wants (one `allow all` policy, or deleting the default deny), and the change looks like ordinary configuration. Reported for grants in every namespace (ClusterRoleBindings, AdminNetworkPolicies included) and in kube-system; a team writing its own namespace\'s policies is the usual model.',
  severity: 'medium',
  effort: 'medium',
  frameworks: { nsa: ['network-policies'], mitre: ['T1562.007'] },
  remediation: 'Let the deployment pipeline (or GitOps controller) own NetworkPolicies; remove write access to them from application service accounts and standing human roles.',
  capability: WRITE_NETWORK_POLICIES,
  // cluster-wide, or in kube-system: teams owning their namespace's policies is the usual model
  filter: { namespaces: ['kube-system'] },
});
