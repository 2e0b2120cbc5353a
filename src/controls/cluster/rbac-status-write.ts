import { riskyGrantControl } from '../../rbac/risk-control.js';
import { CAPABILITIES } from '../../rbac/risk.js';

export default riskyGrantControl({
  id: 'KOR-0217',
  name: 'rbac-status-write',
  title: 'Status of nodes, pods or services writable',
  description:
    'Writing nodes/status, pods/status or services/status lets a subject falsify what the control plane sees: mark nodes ready or pods healthy, or redirect load balancer addresses.',
  severity: 'medium',
  effort: 'medium',
  frameworks: { mitre: ['T1565.001'] },
  remediation: 'Remove update and patch on status subresources; only the components that own them (kubelet, controllers) need them.',
  capability: CAPABILITIES.writeStatus,
});
