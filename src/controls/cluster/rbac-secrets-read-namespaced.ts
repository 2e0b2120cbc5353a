import { riskyGrantControl } from '../../rbac/risk-control.js';
import { CAPABILITIES } from '../../rbac/risk.js';

export default riskyGrantControl({
  id: 'KOR-0202',
  name: 'rbac-secrets-read-namespaced',
  title: 'Secrets readable in a namespace',
  description:
    'A RoleBinding that allows get, list or watch on secrets lets its subjects read the Secrets of that namespace, including tokens of the namespace\'s service accounts.',
  severity: 'medium',
  effort: 'low',
  frameworks: { cis: ['5.1.2'], mitre: ['T1552.007'] },
  remediation: 'Restrict the rule with resourceNames to the secrets the subjects need, and drop list and watch.',
  capability: CAPABILITIES.readSecrets,
  filter: { scope: 'namespace' },
});
