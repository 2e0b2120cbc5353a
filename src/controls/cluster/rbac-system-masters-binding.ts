import { defineControl } from '../../engine/types.js';
import { SUPERUSER_GROUP } from '../../rbac/model.js';
import { RBAC_KINDS } from '../../rbac/risk-control.js';
import { boundSubjects, describeScope } from '../../rbac/risk.js';

/** CIS 5.1.7: system:masters bypasses RBAC; a binding naming it shows the group is in use. */
export default defineControl({
  id: 'KOR-0225',
  name: 'rbac-system-masters-binding',
  title: 'Binding names the system:masters group',
  description:
    'Members of system:masters are allowed every request before RBAC is consulted, and membership (a client certificate organisation) cannot be revoked short of rotating the cluster CA. A binding to the group grants nothing more, but shows that identities in it are expected: they should not exist outside break-glass use.',
  layer: 'cluster',
  dimensions: ['Security'],
  guard: 'authorization',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: { nsa: ['rbac'], cis: ['5.1.7'], mitre: ['T1078'] },
  remediation: 'Remove system:masters from the binding; give administrators a named group bound to a role, and keep system:masters certificates for break-glass access only.',
  messages: { masters: '{{kind}} "{{binding}}" names Group system:masters (allowed everything regardless of RBAC) {{scope}}.' },
  targets: 'inventory',
  kinds: RBAC_KINDS,
  check(inv, ctx) {
    for (const { binding: b, subject: s } of boundSubjects(inv)) {
      if (s.kind !== 'Group' || s.name !== SUPERUSER_GROUP) continue;
      ctx.report('masters', { kind: b.kind, binding: b.name, scope: describeScope(b) }, `/subjects/${s.index}`, { object: b.item! });
    }
  },
});
