import { riskyGrantControl } from '../../rbac/risk-control.js';
import { CAPABILITIES } from '../../rbac/risk.js';

export default riskyGrantControl({
  id: 'KOR-0215',
  name: 'rbac-admission-config-write',
  title: 'Admission webhooks or policies can be changed',
  description:
    'Write access to webhook configurations or admission policies lets a subject disable the policies that guard the cluster, or route every object (secrets included) to a webhook it controls.',
  severity: 'high',
  effort: 'medium',
  frameworks: { cis: ['5.1.12'], mitre: ['T1562.001'] },
  remediation: 'Restrict writes on admissionregistration.k8s.io resources to the operators that install admission controllers.',
  capability: CAPABILITIES.writeAdmission,
});
