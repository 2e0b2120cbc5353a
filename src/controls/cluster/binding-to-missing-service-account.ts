import { defineControl } from '../../engine/types.js';
import { rbacIndexOf } from '../../rbac/model.js';
import { roleText } from '../../rbac/risk-control.js';
import { isBootstrapBinding } from '../../rbac/risk.js';

export default defineControl({
  id: 'KOR-0251',
  name: 'binding-to-missing-service-account',
  title: 'Binding grants permissions to a ServiceAccount that does not exist',
  description:
    'A RoleBinding or ClusterRoleBinding keeps naming a ServiceAccount after it is deleted (or when it was never created). Whoever can create ServiceAccounts in that namespace (the built-in `edit` and `admin` roles can) creates one with that name and inherits the binding\'s permissions, cluster-wide for a ClusterRoleBinding: a quiet privilege escalation. Judged where the namespace\'s ServiceAccounts are known: a live cluster or snapshot, or manifests that define other ServiceAccounts of that namespace (a ServiceAccount manifest without a namespace counts as present in any).',
  layer: 'cluster',
  dimensions: ['Security'],
  guard: 'authorization',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: { nsa: ['authentication-authorization'], mitre: ['T1098', 'T1078'] },
  remediation: 'Remove the subject from the binding (or the binding itself) when its ServiceAccount is gone; create bindings together with their ServiceAccounts in one release so they are deleted together.',
  messages: { missing: '{{kind}} "{{binding}}" binds {{role}} to ServiceAccount "{{account}}", which does not exist in namespace "{{namespace}}".' },
  targets: 'inventory',
  kinds: ['RoleBinding', 'ClusterRoleBinding', 'ServiceAccount'],
  check(inv, ctx) {
    const known = new Map<string, boolean>();
    const namespaceKnown = (ns: string): boolean => {
      let k = known.get(ns);
      if (k === undefined) {
        // only accounts that name their namespace tell what the namespace holds
        const accounts = inv.byKind('ServiceAccount').filter((o) => o.object.metadata.namespace === ns);
        k = accounts.length > 0;
        known.set(ns, k);
      }
      return k;
    };
    const index = rbacIndexOf(inv);
    for (const b of index.bindings) {
      if (!b.item || !b.role || isBootstrapBinding(b)) continue;
      for (const s of b.subjects) {
        if (s.kind !== 'ServiceAccount' || s.unmatchable || !s.namespace) continue;
        if (!namespaceKnown(s.namespace) || inv.get('ServiceAccount', s.namespace, s.name)) continue;
        // a manifest without a namespace is applied into one chosen at apply time: it may be this one
        if (inv.byKind('ServiceAccount').some((o) => !o.object.metadata.namespace && o.object.metadata.name === s.name)) continue;
        ctx.report('missing', { kind: b.kind, binding: b.name, role: roleText(b.role, index.builtInVersion), account: s.name, namespace: s.namespace }, `/subjects/${s.index}`, { object: b.item });
      }
    }
  },
});
