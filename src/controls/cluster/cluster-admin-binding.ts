import { defineControl } from '../../engine/types.js';

interface Subject {
  kind?: string;
  name?: string;
  namespace?: string;
}

export default defineControl({
  id: 'KOR-0141',
  supersedes: { object: ['KOR-0222', 'KOR-0201', 'KOR-0202', 'KOR-0203', 'KOR-0204', 'KOR-0205', 'KOR-0206', 'KOR-0207', 'KOR-0208', 'KOR-0209', 'KOR-0210', 'KOR-0211', 'KOR-0212', 'KOR-0213', 'KOR-0214', 'KOR-0215', 'KOR-0216', 'KOR-0217', 'KOR-0218', 'KOR-0219', 'KOR-0226', 'KOR-0227', 'KOR-0228', 'KOR-0229', 'KOR-0230', 'KOR-0231', 'KOR-0232', 'KOR-0233', 'KOR-0237', 'KOR-0238', 'KOR-0239', 'KOR-0240', 'KOR-0241', 'KOR-0242', 'KOR-0243'] },
  name: 'cluster-admin-binding',
  title: 'Subject bound to cluster-admin',
  description:
    'The `cluster-admin` ClusterRole allows every verb on every resource. Bound with a ClusterRoleBinding it makes the subject owner of the whole cluster; bound with a RoleBinding it gives full control of the namespace, including its Secrets, RBAC and workloads. CIS 5.1.1 asks that it be used only where required. The built-in binding of the `system:masters` group is not reported.',
  layer: 'cluster',
  dimensions: ['Security'],
  guard: 'authorization',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'high',
  effort: 'medium',
  frameworks: { nsa: ['rbac'], cis: ['5.1.1'], mitre: ['T1078', 'T1098'] },
  remediation: 'Bind a narrower role with only the permissions the subject needs; keep cluster-admin for break-glass accounts.',
  messages: {
    cluster: '{{binding}} "{{name}}" grants cluster-admin on the whole cluster to {{subjectKind}} "{{subject}}".',
    namespace: '{{binding}} "{{name}}" grants cluster-admin in namespace "{{namespace}}" to {{subjectKind}} "{{subject}}".',
  },
  targets: 'object',
  kinds: ['ClusterRoleBinding', 'RoleBinding'],
  check(object, ctx) {
    const roleRef = object['roleRef'] as { kind?: string; name?: string } | undefined;
    if (roleRef?.kind !== 'ClusterRole' || roleRef.name !== 'cluster-admin') return;
    const subjects = object['subjects'];
    if (!Array.isArray(subjects)) return;
    const namespace = ctx.inventory.namespaceOf(object);
    (subjects as Subject[]).forEach((s, i) => {
      if (!s || typeof s !== 'object') return;
      if (s.kind === 'Group' && s.name === 'system:masters') return;
      const subject = s.kind === 'ServiceAccount' ? `${s.namespace ?? namespace ?? '?'}/${s.name ?? ''}` : s.name ?? '';
      const data = { binding: object.kind, name: object.metadata.name ?? '', subjectKind: s.kind ?? 'subject', subject };
      if (object.kind === 'ClusterRoleBinding') ctx.report('cluster', data, `/subjects/${i}`);
      else ctx.report('namespace', { ...data, namespace: namespace ?? '' }, `/subjects/${i}`);
    });
  },
  cel: {
    expression: "!(has(object.roleRef) && object.roleRef.kind == 'ClusterRole' && object.roleRef.name == 'cluster-admin') || !has(object.subjects) || object.subjects.all(s, s.kind == 'Group' && s.name == 'system:masters')",
    message: 'Bindings must not grant cluster-admin (except to system:masters).',
  },
});
