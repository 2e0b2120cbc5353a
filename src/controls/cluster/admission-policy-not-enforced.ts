import { defineControl } from '../../engine/types.js';
import { asArray } from '../support/pod.js';

export default defineControl({
  id: 'KOR-0254',
  name: 'admission-policy-not-enforced',
  title: 'ValidatingAdmissionPolicy bound without Deny',
  description:
    'A ValidatingAdmissionPolicyBinding decides what a failed validation does: `Deny` rejects the request, `Warn` only returns a warning to the client, `Audit` only annotates the audit event. A binding without Deny lets every violating object in, which is right while a policy is rolled out and wrong once it is meant to protect: the policy looks in place in reviews and dashboards while enforcing nothing. Rolling out with Warn or Audit first is good practice; this control lists what is still in that state.',
  layer: 'cluster',
  dimensions: ['Security'],
  guard: 'admission',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: { cis: ['5.2.1'], nsa: ['pod-security-enforcement'], mitre: ['T1562.001'] },
  remediation: 'Once the warnings or audit annotations show no legitimate violations, add `Deny` to `validationActions`.',
  messages: { noDeny: 'ValidatingAdmissionPolicyBinding "{{name}}" applies policy "{{policy}}" with {{actions}} only: violations are admitted.' },
  targets: 'object',
  kinds: ['ValidatingAdmissionPolicyBinding'],
  check(object, ctx) {
    const spec = object['spec'] as { policyName?: unknown; validationActions?: unknown } | undefined;
    if (!spec || typeof spec !== 'object') return;
    const actions = asArray<unknown>(spec.validationActions).filter((a): a is string => typeof a === 'string');
    if (actions.length === 0 || actions.includes('Deny')) return;
    ctx.report('noDeny', { name: object.metadata.name ?? '', policy: typeof spec.policyName === 'string' ? spec.policyName : '?', actions: actions.join(' and ') }, '/spec/validationActions');
  },
});
