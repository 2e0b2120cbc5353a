import { defineControl } from '../../engine/types.js';
import { rbacIndexOf } from '../../rbac/model.js';
import { RBAC_KINDS, roleText } from '../../rbac/risk-control.js';
import { CAPABILITIES, describeSubjects, grantOf, isBootstrapBinding, isFullWildcard } from '../../rbac/risk.js';

/** Patch nodes (cordon) plus evict or delete pods: drain nodes at will. */
export default defineControl({
  id: 'KOR-0219',
  name: 'rbac-node-disruption',
  title: 'Nodes can be cordoned and drained',
  description:
    'A subject that can patch nodes (cordon, taint) and evict or delete pods can drain any node: it takes workloads down, or herds them onto a node it controls. Node patch is cluster-scoped, so only ClusterRoleBindings give it.',
  layer: 'cluster',
  dimensions: ['Security'],
  guard: 'authorization',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: { mitre: ['T1499', 'T1489'] },
  remediation: 'Keep node patch and pod eviction for cluster operators and the autoscaler; split them across identities otherwise.',
  messages: { drain: 'ClusterRoleBinding "{{binding}}" gives {{subjects}} the right to cordon nodes and to evict or delete pods through {{role}}.' },
  targets: 'inventory',
  kinds: RBAC_KINDS,
  check(inv, ctx) {
    const index = rbacIndexOf(inv);
    for (const b of index.clusterRoleBindings) {
      if (!b.role || isBootstrapBinding(b) || !b.subjects.some((s) => !s.unmatchable) || b.role.rules.some(isFullWildcard)) continue;
      const cordon = grantOf(b, CAPABILITIES.cordonNodes, index.builtInVersion);
      const evict = grantOf(b, CAPABILITIES.evictPods, index.builtInVersion);
      if (!cordon || cordon.namedOnly || !evict) continue;
      ctx.report('drain', { binding: b.name, subjects: describeSubjects(b.subjects), role: roleText(b.role, index.builtInVersion) }, '/roleRef', { object: b.item! });
    }
  },
});
