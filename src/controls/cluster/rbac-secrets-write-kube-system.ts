import { riskyGrantControl } from '../../rbac/risk-control.js';
import { CAPABILITIES } from '../../rbac/risk.js';

export default riskyGrantControl({
  id: 'KOR-0203',
  name: 'rbac-secrets-write-kube-system',
  title: 'Secrets writable in kube-system',
  description:
    'Write access to Secrets in kube-system (granted there by a RoleBinding, or everywhere by a ClusterRoleBinding) lets a subject plant bootstrap tokens or replace credentials that control-plane components and add-ons trust.',
  severity: 'high',
  effort: 'medium',
  frameworks: { cis: ['5.1.2'], mitre: ['T1098'] },
  remediation: 'Remove create, update and patch on secrets from roles bound in kube-system or cluster-wide; let only the components that own those secrets write them.',
  capability: CAPABILITIES.writeSecrets,
  filter: { namespaces: ['kube-system'] },
});
