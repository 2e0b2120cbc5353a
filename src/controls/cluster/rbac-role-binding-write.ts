import { riskyGrantControl } from '../../rbac/risk-control.js';
import { CAPABILITIES } from '../../rbac/risk.js';

export default riskyGrantControl({
  id: 'KOR-0207',
  name: 'rbac-role-binding-write',
  title: 'Roles or role bindings writable',
  description:
    'Write access to roles and bindings lets a subject redistribute every permission it holds to any identity, and change what others may do. Combined with bind or escalate it grants anything.',
  severity: 'high',
  effort: 'medium',
  frameworks: { cis: ['5.1.8'], mitre: ['T1098'] },
  remediation: 'Manage RBAC objects through a reviewed pipeline; remove create, update and patch on roles and bindings from day-to-day identities.',
  capability: CAPABILITIES.writeRbac,
});
