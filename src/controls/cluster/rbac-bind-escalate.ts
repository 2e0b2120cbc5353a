import { riskyGrantControl } from '../../rbac/risk-control.js';
import { CAPABILITIES } from '../../rbac/risk.js';

export default riskyGrantControl({
  id: 'KOR-0206',
  name: 'rbac-bind-escalate',
  title: 'bind or escalate on roles allowed',
  description:
    'The bind verb lets a subject create bindings to roles it does not hold; escalate lets it edit roles to contain permissions it does not have. Both switch off the API server\'s privilege-escalation check.',
  severity: 'critical',
  effort: 'medium',
  frameworks: { nsa: ['rbac'], cis: ['5.1.8'], mitre: ['T1098'] },
  remediation: 'Remove the bind and escalate verbs, or restrict them with resourceNames to roles whose permissions are acceptable to hand out.',
  capability: CAPABILITIES.bindOrEscalate,
});
