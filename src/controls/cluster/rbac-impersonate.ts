import { riskyGrantControl } from '../../rbac/risk-control.js';
import { CAPABILITIES } from '../../rbac/risk.js';

export default riskyGrantControl({
  id: 'KOR-0205',
  name: 'rbac-impersonate',
  title: 'Impersonation allowed',
  description:
    'The impersonate verb lets a subject send requests as someone else. On users or groups (or service accounts cluster-wide, among them the controllers of kube-system) it includes members of system:masters: a direct path to cluster-admin. On the service accounts of one namespace only (what the built-in `edit` and `admin` roles grant) it gives what those service accounts can do, as creating a pod that runs as them would.',
  severity: 'critical',
  severityTable: [
    { case: 'users, groups, user extras or uids', severity: 'critical', reason: 'Anyone, members of system:masters included.' },
    { case: 'service accounts, cluster-wide', severity: 'critical', reason: 'Every service account, the controllers in kube-system included.' },
    { case: 'service accounts of one namespace (RoleBinding)', severity: 'high', reason: 'The permissions of that namespace\'s service accounts, no more than running a pod as them gives.' },
  ],
  severityOf: (g) => (g.scope === 'namespace' && g.matches.every((m) => m.probe.resource === 'serviceaccounts') ? 'high' : 'critical'),
  effort: 'medium',
  frameworks: { nsa: ['rbac'], cis: ['5.1.8'], mitre: ['T1078'] },
  remediation: 'Remove the impersonate verb, or restrict it with resourceNames to specific, unprivileged identities.',
  capability: CAPABILITIES.impersonate,
});
