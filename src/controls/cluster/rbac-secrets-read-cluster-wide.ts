import { riskyGrantControl } from '../../rbac/risk-control.js';
import { CAPABILITIES } from '../../rbac/risk.js';

export default riskyGrantControl({
  id: 'KOR-0201',
  supersedes: { object: ['KOR-0202'] },
  name: 'rbac-secrets-read-cluster-wide',
  title: 'Secrets readable cluster-wide',
  description:
    'A ClusterRoleBinding that allows get, list or watch on secrets lets its subjects read every Secret of every namespace: service account tokens, registry credentials, TLS keys and application passwords. list and watch return the values too, not only names.',
  severity: 'high',
  effort: 'medium',
  frameworks: { nsa: ['rbac'], cis: ['5.1.2'], mitre: ['T1552.007'] },
  remediation: 'Grant secret access with RoleBindings in the namespaces that need it, restricted with resourceNames to the secrets the workload uses.',
  capability: CAPABILITIES.readSecrets,
  filter: { scope: 'cluster' },
});
