import { defineControl } from '../../engine/types.js';
import { hasController, specOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0788',
  name: 'cronjob-failed-history-disabled',
  title: 'Failed CronJob runs are deleted at once',
  description:
    '`failedJobsHistoryLimit: 0` makes the CronJob controller delete each failed Job (and its pods and logs) as soon as it fails: the failure leaves no trace to alert on or debug, and a job that has been failing for weeks looks the same as one that never ran. The default keeps the last failed Job.',
  layer: 'cluster',
  dimensions: ['Monitoring & Health Checks', 'Applications'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  fixable: true,
  frameworks: {},
  remediation: 'Remove `failedJobsHistoryLimit` (default 1) or keep a few failed Jobs, and bound them with `ttlSecondsAfterFinished` in the job template instead.',
  messages: { none: 'CronJob "{{name}}" keeps no failed Job (failedJobsHistoryLimit: 0): failures leave nothing to alert on or debug.' },
  cel: { expression: '!has(object.spec.failedJobsHistoryLimit) || object.spec.failedJobsHistoryLimit != 0', message: 'CronJobs must keep at least one failed Job (failedJobsHistoryLimit above 0).' },
  targets: 'object',
  kinds: ['CronJob'],
  check(object, ctx) {
    if (hasController(object) || specOf(object)['failedJobsHistoryLimit'] !== 0) return;
    ctx.report('none', { name: object.metadata.name ?? '' }, '/spec/failedJobsHistoryLimit', { fix: [{ op: 'replace', path: '/spec/failedJobsHistoryLimit', value: 1 }] });
  },
});
