import { riskyGrantControl } from '../../rbac/risk-control.js';
import { CAPABILITIES } from '../../rbac/risk.js';

export default riskyGrantControl({
  id: 'KOR-0200',
  name: 'rbac-effective-cluster-admin',
  title: 'Binding grants cluster-admin equivalent access',
  description:
    'A ClusterRoleBinding whose role allows every verb on every resource in every API group makes its subjects cluster administrators, whatever the role is called. Such access should be held by very few, audited identities.',
  severity: 'critical',
  effort: 'high',
  frameworks: { cis: ['5.1.1'], mitre: ['T1078'] },
  remediation: 'Bind a role that lists only the verbs and resources the subjects need; keep cluster-admin level access for break-glass identities.',
  capability: CAPABILITIES.clusterAdmin,
  filter: { scope: 'cluster', includeFullWildcard: true },
});
