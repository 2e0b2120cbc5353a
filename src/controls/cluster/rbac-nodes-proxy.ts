import { riskyGrantControl } from '../../rbac/risk-control.js';
import { CAPABILITIES } from '../../rbac/risk.js';

export default riskyGrantControl({
  id: 'KOR-0213',
  name: 'rbac-nodes-proxy',
  title: 'Kubelet API reachable through nodes/proxy',
  description:
    'nodes/proxy gives access to the kubelet API of every node: it can run commands in any pod on the node, and its requests bypass admission and are not audited as pod operations.',
  severity: 'critical',
  effort: 'medium',
  frameworks: { cis: ['5.1.10'], mitre: ['T1609'] },
  remediation: 'Remove nodes/proxy from roles; monitoring agents can read metrics through nodes/metrics and nodes/stats instead.',
  capability: CAPABILITIES.nodesProxy,
});
