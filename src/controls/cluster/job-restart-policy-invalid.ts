import { defineControl } from '../../engine/types.js';
import { podSpecOf } from '../../inventory/podspec.js';

export default defineControl({
  id: 'KOR-0748',
  name: 'job-restart-policy-invalid',
  title: 'Job pod template with restartPolicy Always',
  description:
    'The pods of a Job (and of a CronJob\'s job template) must have `restartPolicy` Never or OnFailure; unset it defaults to Always, which the API server rejects for Jobs. The manifest fails to apply, or (for a CronJob) every scheduled run fails to create its Job.',
  layer: 'cluster',
  dimensions: ['CI/CD', 'Applications'],
  phases: ['develop', 'deploy'],
  severity: 'medium',
  effort: 'low',
  fixable: true,
  frameworks: {},
  remediation: 'Set the pod template\'s `restartPolicy` to `OnFailure` (retry in place) or `Never` (a new pod per retry).',
  messages: { invalid: '{{kind}} "{{name}}" pod template has restartPolicy {{policy}}: Jobs only accept Never or OnFailure.' },
  targets: 'object',
  kinds: ['Job', 'CronJob'],
  check(object, ctx) {
    const ps = podSpecOf(object);
    if (!ps) return;
    const policy = ps.spec['restartPolicy'];
    if (policy === 'Never' || policy === 'OnFailure') return;
    if (policy !== undefined && policy !== 'Always') return; // another value is a schema error, said by the API
    ctx.report('invalid', { kind: object.kind, name: object.metadata.name ?? '', policy: policy === undefined ? 'unset (Always)' : 'Always' }, policy === undefined ? ps.pointer : `${ps.pointer}/restartPolicy`, {
      fix: [{ op: policy === undefined ? 'add' : 'replace', path: `${ps.pointer}/restartPolicy`, value: 'OnFailure' }],
    });
  },
});
