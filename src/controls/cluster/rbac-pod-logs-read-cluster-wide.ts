import { riskyGrantControl } from '../../rbac/risk-control.js';
import type { Capability } from '../../rbac/risk.js';

const READ_LOGS: Capability = {
  label: 'read access to the logs of every pod (pods/log)',
  probes: [{ verb: 'get', apiGroup: '', resource: 'pods', subresource: 'log' }],
};

export default riskyGrantControl({
  id: 'KOR-0241',
  name: 'rbac-pod-logs-read-cluster-wide',
  title: 'Logs of every pod readable',
  description:
    'Application logs carry what developers printed while debugging: request headers with bearer tokens, connection strings, one-time links, personal data. Read access to `pods/log` in every namespace (a ClusterRoleBinding) lets a subject harvest them from all workloads, kube-system included, without touching a Secret. Log collectors read logs from the node, not through this API.',
  severity: 'medium',
  effort: 'low',
  frameworks: { mitre: ['T1552', 'T1005'] },
  remediation: 'Grant pods/log in the namespaces a team owns (RoleBindings) rather than cluster-wide; send logs to a log store with its own access control.',
  capability: READ_LOGS,
  filter: { scope: 'cluster' },
});
