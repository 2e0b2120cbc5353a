import { defineControl } from '../../engine/types.js';
import { RBAC_KINDS } from '../../rbac/risk-control.js';
import { boundSubjects, describeScope } from '../../rbac/risk.js';

/** CIS 5.1.5: the `default` service account is what every pod without serviceAccountName runs as. */
export default defineControl({
  id: 'KOR-0223',
  name: 'rbac-default-service-account-bound',
  title: 'Default service account holds permissions',
  description:
    'Every pod that names no service account runs as its namespace\'s `default` account. Permissions bound to it are handed to every such pod, including ones deployed later for unrelated purposes.',
  layer: 'cluster',
  dimensions: ['Security'],
  guard: 'authorization',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: { cis: ['5.1.5'], mitre: ['T1078.001'] },
  remediation: 'Create a dedicated service account for the workload that needs the permissions, bind the role to it, and set serviceAccountName on its pods.',
  messages: { bound: '{{kind}} "{{binding}}" gives the default service account of namespace "{{namespace}}" {{role}} {{scope}}.' },
  targets: 'inventory',
  kinds: RBAC_KINDS,
  check(inv, ctx) {
    for (const { binding: b, subject: s } of boundSubjects(inv)) {
      if (s.kind !== 'ServiceAccount' || s.name !== 'default' || s.unmatchable) continue;
      ctx.report('bound', { kind: b.kind, binding: b.name, namespace: s.namespace!, role: `${b.roleRef.kind} "${b.roleRef.name}"`, scope: describeScope(b) }, `/subjects/${s.index}`, { object: b.item! });
    }
  },
});
