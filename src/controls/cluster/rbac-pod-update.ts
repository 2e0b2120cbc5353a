import { riskyGrantControl } from '../../rbac/risk-control.js';
import { CAPABILITIES } from '../../rbac/risk.js';

export default riskyGrantControl({
  id: 'KOR-0209',
  name: 'rbac-pod-update',
  title: 'Pods can be updated or patched',
  description:
    'update or patch on pods lets a subject change the image of running containers, and the labels that select which Service and NetworkPolicy apply to a pod.',
  severity: 'medium',
  effort: 'medium',
  frameworks: { mitre: ['T1610'] },
  remediation: 'Remove update and patch on pods; change workloads through their controllers instead.',
  capability: CAPABILITIES.modifyPods,
});
