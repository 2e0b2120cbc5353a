import { defineControl } from '../../engine/types.js';
import { specOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0767',
  name: 'cronjob-suspended',
  title: 'CronJob is suspended',
  description:
    'A CronJob with `spec.suspend: true` starts no runs. It is usually suspended during an incident or a migration and forgotten: the backups, clean-ups or reports it stands for silently stop.',
  layer: 'cluster',
  dimensions: ['Applications', 'Disaster Recovery'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  fixable: true,
  frameworks: {},
  remediation: 'Resume the CronJob (remove `spec.suspend`), or delete it if its work is no longer needed.',
  messages: { suspended: 'CronJob "{{name}}" is suspended: it starts no runs.' },
  targets: 'object',
  kinds: ['CronJob'],
  check(object, ctx) {
    if (specOf(object)['suspend'] !== true) return;
    ctx.report('suspended', { name: object.metadata.name ?? '' }, '/spec/suspend', { fix: [{ op: 'remove', path: '/spec/suspend' }] });
  },
});
