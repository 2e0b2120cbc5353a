import { defineControl } from '../../engine/types.js';
import { specOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0726',
  name: 'cronjob-concurrency-allowed',
  title: 'CronJob runs may overlap',
  description:
    'With `concurrencyPolicy` unset or Allow, a CronJob starts a new Job on schedule even when the previous one is still running: a slow run (a big backup, a locked table) piles up copies that compete for the same data and resources, and each makes the next slower. Most scheduled tasks are not written to run concurrently with themselves.',
  layer: 'cluster',
  dimensions: ['Applications'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: {},
  remediation: 'Set `spec.concurrencyPolicy: Forbid` (skip a run while one is active) or `Replace` (stop the old run), unless the task is safe to run concurrently.',
  messages: { allowed: 'CronJob "{{name}}" has concurrencyPolicy {{policy}}: a slow run overlaps with the next.' },
  targets: 'object',
  kinds: ['CronJob'],
  check(object, ctx) {
    const p = specOf(object)['concurrencyPolicy'];
    if (p !== undefined && p !== 'Allow') return;
    ctx.report('allowed', { name: object.metadata.name ?? '', policy: p === undefined ? 'unset (Allow)' : 'Allow' }, p === undefined ? '/spec' : '/spec/concurrencyPolicy');
  },
});
