import { defineControl, type Severity } from '../../engine/types.js';
import { describeRule, normalizeRule } from '../../rbac/match.js';
import { ruleGrants, type Probe } from '../../rbac/risk.js';
import type { PolicyRule } from '../../rbac/types.js';

const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const p = (verb: string, apiGroup: string, resource: string, subresource?: string): Probe => ({ verb, apiGroup, resource, ...(subresource ? { subresource } : {}) });

/**
 * What each built-in role must not receive through aggregation. `view` is read-only and leaves
 * out Secrets and every way into a pod; `edit` and `admin` leave out role escalation and
 * impersonation of users and groups.
 */
const FORBIDDEN: Record<'view' | 'edit' | 'admin', { severity: Severity; check: (r: PolicyRule) => string | undefined }> = {
  view: {
    severity: 'high',
    check: (r) => {
      if (['get', 'list', 'watch'].some((v) => ruleGrants(r, p(v, '', 'secrets')))) return 'read access to Secrets';
      if (['exec', 'attach', 'portforward'].some((s) => ruleGrants(r, p('create', '', 'pods', s)))) return 'a way into pods (exec, attach or port-forward)';
      if (r.verbs.some((v) => v === '*' || WRITE_VERBS.includes(v))) return 'write verbs';
      return undefined;
    },
  },
  edit: {
    severity: 'medium',
    check: (r) => escalation(r),
  },
  admin: {
    severity: 'medium',
    check: (r) => escalation(r),
  },
};

function escalation(r: PolicyRule): string | undefined {
  if (['roles', 'clusterroles'].some((res) => ruleGrants(r, p('escalate', 'rbac.authorization.k8s.io', res)) || ruleGrants(r, p('bind', 'rbac.authorization.k8s.io', res)))) return 'bind or escalate on roles';
  if (ruleGrants(r, p('impersonate', '', 'users')) || ruleGrants(r, p('impersonate', '', 'groups'))) return 'impersonation of users or groups';
  if (r.verbs.includes('*') && r.resources.includes('*') && r.apiGroups.includes('*')) return 'every verb on every resource';
  return undefined;
}

export default defineControl({
  id: 'KOR-0234',
  name: 'rbac-aggregated-role-widens-builtin',
  title: 'ClusterRole widens a built-in role through aggregation',
  description:
    'A ClusterRole labelled `rbac.authorization.k8s.io/aggregate-to-view` (or `-edit`, `-admin`) adds its rules to that built-in role, and so to everyone already bound to it, without any binding changing. Operators use this to let `view` see their custom resources; a rule that gives `view` Secrets, exec or write verbs, or gives `edit`/`admin` role escalation or impersonation, silently turns those common roles into something much stronger (read-only auditors who can read every Secret). Reported on the ClusterRole\'s rule, whoever is bound.',
  layer: 'cluster',
  dimensions: ['Security'],
  guard: 'authorization',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'high',
  effort: 'low',
  frameworks: { cis: ['5.1.2'], nsa: ['authentication-authorization'], mitre: ['T1098'] },
  remediation: 'Remove the aggregate label, or narrow the rule to the custom resources and read verbs the built-in role is meant to have; bind the stronger rules to the subjects that need them explicitly.',
  messages: { widens: 'ClusterRole "{{role}}" aggregates {{what}} into the built-in "{{target}}" role (rule {{rule}}).' },
  severityTable: [
    { case: 'into view', severity: 'high', reason: 'view is meant to be safe to give widely; Secrets, exec or writes make it a credential-theft role.' },
    { case: 'into edit or admin', severity: 'medium', reason: 'Holders of edit/admin could already change workloads; escalation or impersonation takes them beyond their namespace.' },
  ],
  targets: 'object',
  kinds: ['ClusterRole'],
  check(object, ctx) {
    const labels = object.metadata.labels ?? {};
    const rules = Array.isArray(object['rules']) ? (object['rules'] as unknown[]) : [];
    for (const target of ['view', 'edit', 'admin'] as const) {
      if (labels[`rbac.authorization.k8s.io/aggregate-to-${target}`] !== 'true') continue;
      rules.forEach((raw, i) => {
        const rule = normalizeRule(raw);
        const what = FORBIDDEN[target].check(rule);
        if (what) ctx.report('widens', { role: object.metadata.name ?? '', what, target, rule: describeRule(rule) }, `/rules/${i}`, { severity: FORBIDDEN[target].severity });
      });
    }
  },
});
