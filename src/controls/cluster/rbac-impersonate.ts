import { riskyGrantControl } from '../../rbac/risk-control.js';
import { CAPABILITIES } from '../../rbac/risk.js';

export default riskyGrantControl({
  id: 'KOR-0205',
  name: 'rbac-impersonate',
  title: 'Impersonation allowed',
  description:
    'The impersonate verb on users, groups, service accounts or user extras lets a subject send requests as someone else, including members of system:masters: a direct path to cluster-admin.',
  severity: 'critical',
  effort: 'medium',
  frameworks: { cis: ['5.1.8'], mitre: ['T1078'] },
  remediation: 'Remove the impersonate verb, or restrict it with resourceNames to specific, unprivileged identities.',
  capability: CAPABILITIES.impersonate,
});
