import { riskyGrantControl } from '../../rbac/risk-control.js';
import { CAPABILITIES } from '../../rbac/risk.js';

export default riskyGrantControl({
  id: 'KOR-0211',
  name: 'rbac-pod-ephemeral-containers',
  title: 'Ephemeral containers can be added to pods',
  description:
    'update or patch on pods/ephemeralcontainers lets a subject start a new container inside a running pod, sharing its namespaces, volumes and service account.',
  severity: 'high',
  effort: 'low',
  frameworks: { mitre: ['T1609'] },
  remediation: 'Grant pods/ephemeralcontainers only just in time for debugging.',
  capability: CAPABILITIES.ephemeralContainers,
});
