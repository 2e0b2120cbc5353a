import { riskyGrantControl } from '../../rbac/risk-control.js';
import { CAPABILITIES } from '../../rbac/risk.js';

export default riskyGrantControl({
  id: 'KOR-0216',
  name: 'rbac-crd-write',
  title: 'Custom resource definitions can be changed',
  description:
    'Write access to CustomResourceDefinitions lets a subject delete the resources that hold policies and configuration of operators (deleting a CRD deletes every object of it), or change their schemas.',
  severity: 'medium',
  effort: 'medium',
  frameworks: { mitre: ['T1562.001'] },
  remediation: 'Restrict CRD changes to the pipeline that installs operators.',
  capability: CAPABILITIES.writeCrds,
});
