import { defineControl } from '../../engine/types.js';
import { RBAC_KINDS } from '../../rbac/risk-control.js';
import { boundSubjects, describeScope } from '../../rbac/risk.js';

const UNAUTHENTICATED = new Set(['system:anonymous', 'system:unauthenticated']);

/** Anything bound to unauthenticated callers, beyond the cluster's own bootstrap policy. */
export default defineControl({
  id: 'KOR-0220',
  name: 'rbac-anonymous-binding',
  title: 'Permissions granted to unauthenticated requests',
  description:
    'A binding whose subject is the user system:anonymous or the group system:unauthenticated gives its role to anyone who can reach the API server, without credentials. The bootstrap policy already grants them the few discovery endpoints they need.',
  layer: 'cluster',
  dimensions: ['Security'],
  guard: 'authorization',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'critical',
  effort: 'low',
  frameworks: { nsa: ['authentication-authorization'], mitre: ['T1078.001'] },
  remediation: 'Remove system:anonymous and system:unauthenticated from the binding\'s subjects; bind named users, groups or service accounts instead.',
  messages: { anonymous: '{{kind}} "{{binding}}" gives {{subject}} (every unauthenticated caller) {{role}} {{scope}}.' },
  targets: 'inventory',
  kinds: RBAC_KINDS,
  check(inv, ctx) {
    for (const { binding: b, subject: s } of boundSubjects(inv)) {
      if (s.kind === 'ServiceAccount' || !UNAUTHENTICATED.has(s.name)) continue;
      ctx.report('anonymous', { kind: b.kind, binding: b.name, subject: `${s.kind} ${s.name}`, role: `${b.roleRef.kind} "${b.roleRef.name}"`, scope: describeScope(b) }, `/subjects/${s.index}`, { object: b.item! });
    }
  },
});
