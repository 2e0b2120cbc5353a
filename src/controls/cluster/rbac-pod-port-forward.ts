import { riskyGrantControl } from '../../rbac/risk-control.js';
import { CAPABILITIES } from '../../rbac/risk.js';

export default riskyGrantControl({
  id: 'KOR-0212',
  name: 'rbac-pod-port-forward',
  title: 'Pods can be port-forwarded',
  description:
    'pods/portforward opens a tunnel to any port of a pod, bypassing Services, Ingresses and NetworkPolicies.',
  severity: 'medium',
  effort: 'low',
  frameworks: { mitre: ['T1090'] },
  remediation: 'Remove pods/portforward from standing roles.',
  capability: CAPABILITIES.portForward,
});
