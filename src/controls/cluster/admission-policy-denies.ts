import { defineControl } from '../../engine/types.js';
import { resultItem, vapDryRun } from '../../vap/dry-run.js';
import { rbacAuthorizer } from '../../vap/authorizer.js';

const USER = { username: 'kordon', groups: ['system:authenticated'] };

export default defineControl({
  id: 'KOR-0290',
  name: 'admission-policy-denies',
  title: "Object denied by the input's own ValidatingAdmissionPolicies",
  description:
    "The input carries ValidatingAdmissionPolicies and bindings, and one of them would deny this object when it is created: the deploy fails at the API server (or, with the policy not yet applied, the object breaks the rule the cluster is meant to enforce). Decided as `kordon vap` decides it: the object as written, as a CREATE request, through matchConstraints, the binding's matchResources and params, matchConditions, variables, validations and the binding's validationActions (only `Deny` bindings deny; `Warn` and `Audit` ones allow), with the policy's failurePolicy deciding evaluation errors.",
  dimensions: ['Security', 'CI/CD'],
  layer: 'cluster',
  guard: 'admission',
  phases: ['develop', 'deploy'],
  severity: 'high',
  effort: 'low',
  frameworks: {},
  remediation: 'Change the object so that the policy validation holds, or correct the policy or its binding if the rule is wrong; `kordon vap` lists every decision with its message.',
  messages: { denied: 'ValidatingAdmissionPolicy "{{policy}}" (binding "{{binding}}") would deny this object on create: {{message}}' },
  targets: 'inventory',
  kinds: ['ValidatingAdmissionPolicyBinding'],
  check(inventory, ctx) {
    if (inventory.byKind('ValidatingAdmissionPolicy').length === 0 || inventory.byKind('ValidatingAdmissionPolicyBinding').length === 0) return;
    const report = vapDryRun(inventory, { user: USER, authorize: rbacAuthorizer(inventory, USER) });
    // the policies' own problems (an expression that does not compile, a binding without a policy) are input problems
    for (const p of report.problems) if (p.code === 'config') inventory.addProblem(p);
    for (const r of report.results) {
      if (r.allowed) continue;
      const item = resultItem(r);
      if (!item) continue;
      for (const v of r.violations) ctx.report('denied', { policy: r.policy, binding: r.binding, message: v.message }, '', { object: item });
    }
  },
});
