import { defineControl } from '../../engine/types.js';
import { specOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0727',
  name: 'cronjob-without-starting-deadline',
  title: 'CronJob without a starting deadline',
  description:
    'Without `startingDeadlineSeconds` the CronJob controller counts every schedule missed since the last run (while the controller was down, the CronJob suspended, or the cluster restored from a backup); after more than 100 missed schedules it refuses to start the CronJob at all ("too many missed start times") until someone edits it. A deadline limits the look-back and lets a late run start or be skipped cleanly.',
  layer: 'cluster',
  dimensions: ['Applications', 'Disaster Recovery'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: {},
  remediation: 'Set `spec.startingDeadlineSeconds` to how late a run may still start (for example a fraction of the schedule\'s interval, at least 10 seconds).',
  messages: { missing: 'CronJob "{{name}}" has no startingDeadlineSeconds: after 100 missed schedules it stops running.' },
  targets: 'object',
  kinds: ['CronJob'],
  check(object, ctx) {
    if (typeof specOf(object)['startingDeadlineSeconds'] === 'number') return;
    ctx.report('missing', { name: object.metadata.name ?? '' }, '/spec');
  },
});
