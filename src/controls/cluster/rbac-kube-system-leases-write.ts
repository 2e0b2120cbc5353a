import { riskyGrantControl } from '../../rbac/risk-control.js';
import type { Capability } from '../../rbac/risk.js';

const WRITE_LEASES: Capability = {
  label: 'write access to leases (create, update, patch or delete)',
  probes: ['create', 'update', 'patch', 'delete'].map((verb) => ({ verb, apiGroup: 'coordination.k8s.io', resource: 'leases' })),
};

export default riskyGrantControl({
  id: 'KOR-0238',
  name: 'rbac-kube-system-leases-write',
  title: 'Control-plane leases can be written',
  description:
    'Leases in kube-system decide which kube-controller-manager and kube-scheduler instance is the leader, and the leases in kube-node-lease are the kubelets\' heartbeats. A subject that can write them can hold leadership so that no controller or scheduler acts (nothing is scheduled, no Deployment rolls), or keep a dead node looking alive so that its pods are never replaced. Controllers of add-ons keep their own leases in their own namespaces.',
  severity: 'medium',
  effort: 'low',
  frameworks: { mitre: ['T1499', 'T1489'] },
  remediation: 'Grant lease write access in the add-on\'s own namespace only (with `resourceNames` of its lease); keep kube-system and kube-node-lease leases to the control plane and kubelets.',
  capability: WRITE_LEASES,
  filter: { namespaces: ['kube-system', 'kube-node-lease'] },
});
