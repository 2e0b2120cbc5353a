import { riskyGrantControl } from '../../rbac/risk-control.js';
import type { Capability } from '../../rbac/risk.js';

const WRITE_NAMESPACES: Capability = {
  label: 'update or patch access to namespaces',
  probes: ['update', 'patch'].map((verb) => ({ verb, apiGroup: '', resource: 'namespaces' })),
};

export default riskyGrantControl({
  id: 'KOR-0230',
  name: 'rbac-namespace-write',
  title: 'Namespaces can be relabelled',
  description:
    'Pod Security Admission reads its level from the namespace\'s `pod-security.kubernetes.io/enforce` label, and many NetworkPolicies, admission policies and mesh settings select namespaces by label. A subject that can update or patch a namespace can set `enforce: privileged` and then run privileged pods there, or move the namespace into or out of a policy\'s selector. Namespaces are cluster-scoped: only ClusterRoleBindings give this.',
  severity: 'high',
  effort: 'medium',
  frameworks: { cis: ['5.2.1'], nsa: ['pod-security-enforcement'], mitre: ['T1562.001'] },
  remediation: 'Restrict update and patch on namespaces to cluster administrators and the pipeline that creates namespaces (give `resourceNames` where a controller must label its own namespace).',
  capability: WRITE_NAMESPACES,
});
