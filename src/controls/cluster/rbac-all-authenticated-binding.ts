import { defineControl } from '../../engine/types.js';
import { RBAC_KINDS } from '../../rbac/risk-control.js';
import { boundSubjects, describeScope } from '../../rbac/risk.js';

/** Bindings to everyone who has any credential: every user, and every pod's service account. */
const BROAD_GROUPS: Record<string, string> = {
  'system:authenticated': 'every authenticated user and service account',
  'system:serviceaccounts': 'every service account of every namespace',
};

export default defineControl({
  id: 'KOR-0221',
  name: 'rbac-all-authenticated-binding',
  title: 'Permissions granted to every authenticated identity',
  description:
    'Binding a role to system:authenticated or system:serviceaccounts gives it to every identity with a credential, including the service account token of every pod: one compromised workload anywhere holds the permission. In managed clusters, system:authenticated can even include any account of the cloud provider.',
  layer: 'cluster',
  dimensions: ['Security'],
  guard: 'authorization',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'high',
  effort: 'low',
  frameworks: { nsa: ['authentication-authorization'], mitre: ['T1078'] },
  remediation: 'Bind the role to the users, groups or service accounts that need it instead of a group everyone belongs to.',
  messages: { broad: '{{kind}} "{{binding}}" gives Group {{group}} ({{who}}) {{role}} {{scope}}.' },
  targets: 'inventory',
  kinds: RBAC_KINDS,
  check(inv, ctx) {
    for (const { binding: b, subject: s } of boundSubjects(inv)) {
      const who = s.kind === 'Group' ? BROAD_GROUPS[s.name] : undefined;
      if (!who) continue;
      ctx.report('broad', { kind: b.kind, binding: b.name, group: s.name, who, role: `${b.roleRef.kind} "${b.roleRef.name}"`, scope: describeScope(b) }, `/subjects/${s.index}`, { object: b.item! });
    }
  },
});
