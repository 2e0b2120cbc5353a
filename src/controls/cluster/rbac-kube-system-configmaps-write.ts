import { riskyGrantControl } from '../../rbac/risk-control.js';
import type { Capability } from '../../rbac/risk.js';

const WRITE_CONFIGMAPS: Capability = {
  label: 'write access to configmaps (create, update, patch or delete)',
  probes: ['create', 'update', 'patch', 'delete'].map((verb) => ({ verb, apiGroup: '', resource: 'configmaps' })),
};

export default riskyGrantControl({
  id: 'KOR-0227',
  name: 'rbac-kube-system-configmaps-write',
  title: 'ConfigMaps writable in kube-system',
  description:
    'kube-system holds the ConfigMaps the cluster\'s own components read their configuration from: `coredns` (the Corefile: who can write it can answer any name in the cluster with an address of its choice, and send every service call to itself), `kube-proxy` (how Services are routed), `aws-auth` on EKS (which IAM identities are which Kubernetes users and groups, `system:masters` included) and the kubeadm configuration. Write access there (a RoleBinding in kube-system, or a ClusterRoleBinding) is a path to intercepting traffic or to cluster administration.',
  severity: 'high',
  effort: 'medium',
  frameworks: { nsa: ['authentication-authorization'], mitre: ['T1557', 'T1098'] },
  remediation: 'Keep write access to ConfigMaps in kube-system to the cluster\'s installer or GitOps controller; give other subjects read access at most, or `resourceNames` of the ConfigMaps they own.',
  capability: WRITE_CONFIGMAPS,
  filter: { namespaces: ['kube-system'] },
});
