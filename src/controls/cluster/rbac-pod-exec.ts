import { riskyGrantControl } from '../../rbac/risk-control.js';
import { CAPABILITIES } from '../../rbac/risk.js';

export default riskyGrantControl({
  id: 'KOR-0210',
  name: 'rbac-pod-exec',
  title: 'Commands can be run in pods (exec/attach)',
  description:
    'pods/exec and pods/attach give a shell in running containers: their environment, mounted secrets and service account token become the subject\'s.',
  severity: 'high',
  effort: 'low',
  frameworks: { mitre: ['T1609'] },
  remediation: 'Remove pods/exec and pods/attach from standing roles; grant them just in time for debugging.',
  capability: CAPABILITIES.execPods,
  // exec runs any command in the pod, a tunnel to its ports included: one finding per binding
  supersedes: { object: ['KOR-0212'] },
});
