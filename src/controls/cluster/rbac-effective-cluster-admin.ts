import { riskyGrantControl } from '../../rbac/risk-control.js';
import { CAPABILITIES } from '../../rbac/risk.js';

export default riskyGrantControl({
  id: 'KOR-0200',
  supersedes: { object: ['KOR-0141', 'KOR-0222', 'KOR-0201', 'KOR-0202', 'KOR-0203', 'KOR-0204', 'KOR-0205', 'KOR-0206', 'KOR-0207', 'KOR-0208', 'KOR-0209', 'KOR-0210', 'KOR-0211', 'KOR-0212', 'KOR-0213', 'KOR-0214', 'KOR-0215', 'KOR-0216', 'KOR-0217', 'KOR-0218', 'KOR-0219', 'KOR-0226', 'KOR-0227', 'KOR-0228', 'KOR-0229', 'KOR-0230', 'KOR-0231', 'KOR-0232', 'KOR-0233', 'KOR-0237', 'KOR-0238', 'KOR-0239', 'KOR-0240', 'KOR-0241', 'KOR-0242', 'KOR-0243'] },
  name: 'rbac-effective-cluster-admin',
  title: 'Binding grants cluster-admin equivalent access',
  description:
    'A ClusterRoleBinding whose role allows every verb on every resource in every API group makes its subjects cluster administrators, whatever the role is called. Such access should be held by very few, audited identities.',
  severity: 'critical',
  effort: 'high',
  frameworks: { nsa: ['rbac'], cis: ['5.1.1'], mitre: ['T1078'] },
  remediation: 'Bind a role that lists only the verbs and resources the subjects need; keep cluster-admin level access for break-glass identities.',
  capability: CAPABILITIES.clusterAdmin,
  filter: { scope: 'cluster', includeFullWildcard: true },
});
