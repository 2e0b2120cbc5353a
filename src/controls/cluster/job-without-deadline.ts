import { defineControl } from '../../engine/types.js';
import { asRecord, hasController, specOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0729',
  name: 'job-without-deadline',
  title: 'Job may run forever',
  description:
    'A Job (or a CronJob\'s job template) without `activeDeadlineSeconds` has no upper bound on its run time: a run hung on a lock or a network call holds its pod, resources and (for a CronJob with concurrencyPolicy Forbid) every later run, and nothing alerts. Jobs made by a CronJob are judged through the CronJob.',
  layer: 'cluster',
  dimensions: ['Applications'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: {},
  remediation: 'Set `activeDeadlineSeconds` on the Job spec (for a CronJob: `spec.jobTemplate.spec.activeDeadlineSeconds`) to a generous multiple of the usual run time.',
  messages: { missing: '{{kind}} "{{name}}" sets no activeDeadlineSeconds: a hung run is never stopped.' },
  targets: 'object',
  kinds: ['Job', 'CronJob'],
  check(object, ctx) {
    if (object.kind === 'Job') {
      if (hasController(object) || specOf(object)['activeDeadlineSeconds'] !== undefined) return;
      ctx.report('missing', { kind: 'Job', name: object.metadata.name ?? '' }, '/spec');
      return;
    }
    const jobSpec = asRecord(asRecord(specOf(object)['jobTemplate'])?.['spec']);
    if (jobSpec?.['activeDeadlineSeconds'] !== undefined) return;
    ctx.report('missing', { kind: 'CronJob', name: object.metadata.name ?? '' }, jobSpec ? '/spec/jobTemplate/spec' : '/spec');
  },
});
