import { defineControl } from '../../engine/types.js';
import { rbacIndexOf } from '../../rbac/model.js';
import { RBAC_KINDS, roleText } from '../../rbac/risk-control.js';
import { describeScope, describeSubjects, isBootstrapBinding } from '../../rbac/risk.js';

/**
 * Wildcards that are actually granted to someone: a binding whose role (aggregation resolved)
 * has `*` in verbs, apiGroups or resources. The per-object check of role definitions is
 * KOR-0142 (rbac-wildcard-rule); this one follows bindings to what subjects really get.
 */
export default defineControl({
  id: 'KOR-0222',
  supersedes: { object: ['KOR-0201', 'KOR-0202', 'KOR-0203', 'KOR-0204', 'KOR-0205', 'KOR-0206', 'KOR-0207', 'KOR-0208', 'KOR-0209', 'KOR-0210', 'KOR-0211', 'KOR-0212', 'KOR-0213', 'KOR-0214', 'KOR-0215', 'KOR-0216', 'KOR-0217', 'KOR-0218', 'KOR-0219', 'KOR-0226', 'KOR-0227', 'KOR-0228', 'KOR-0229', 'KOR-0230', 'KOR-0231', 'KOR-0232', 'KOR-0233', 'KOR-0237', 'KOR-0238', 'KOR-0239', 'KOR-0240', 'KOR-0241', 'KOR-0242', 'KOR-0243'] },
  name: 'rbac-effective-wildcard',
  title: 'Wildcard permissions granted through a binding',
  description:
    'A `*` in verbs, apiGroups or resources grants today\'s and tomorrow\'s verbs and resources, including custom resources installed later and subresources such as pods/exec. This control follows bindings (and aggregated ClusterRoles) to the wildcards subjects really hold.',
  layer: 'cluster',
  dimensions: ['Security'],
  guard: 'authorization',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: { nsa: ['rbac'], cis: ['5.1.3'], mitre: ['T1078'] },
  remediation: 'List the verbs, API groups and resources the subjects need instead of `*`.',
  messages: { wildcard: '{{kind}} "{{binding}}" gives {{subjects}} wildcard {{fields}} {{scope}} through {{role}} (rules {{rules}}).' },
  targets: 'inventory',
  kinds: RBAC_KINDS,
  check(inv, ctx) {
    const index = rbacIndexOf(inv);
    for (const b of index.bindings) {
      if (!b.role || isBootstrapBinding(b) || !b.subjects.some((s) => !s.unmatchable)) continue;
      const fields = new Set<string>();
      const rules: number[] = [];
      b.role.rules.forEach((rule, i) => {
        const here = [rule.verbs.includes('*') ? 'verbs' : '', rule.apiGroups.includes('*') ? 'apiGroups' : '', rule.resources.includes('*') ? 'resources' : ''].filter(Boolean);
        if (here.length === 0) return;
        for (const f of here) fields.add(f);
        rules.push(i);
      });
      if (rules.length === 0) continue;
      const ordered = ['verbs', 'apiGroups', 'resources'].filter((f) => fields.has(f));
      ctx.report('wildcard', { kind: b.kind, binding: b.name, subjects: describeSubjects(b.subjects), fields: ordered.join(', '), scope: describeScope(b), role: roleText(b.role, index.builtInVersion), rules: rules.join(', ') }, '/roleRef', { object: b.item! });
    }
  },
});
