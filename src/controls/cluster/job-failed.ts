import { defineControl } from '../../engine/types.js';
import { asRecord, statusOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0766',
  name: 'job-failed',
  title: 'Job failed',
  description:
    'A Job whose Failed condition is True ran out of retries (backoffLimit) or time (activeDeadlineSeconds): the work it stands for (a migration, a backup, a report) did not happen. For a CronJob\'s Jobs the failure of the latest run matters most; each failed Job still present is reported. Judged on Jobs read with their status from a cluster or a snapshot.',
  layer: 'cluster',
  dimensions: ['Monitoring & Health Checks', 'Applications'],
  phases: ['runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: {},
  remediation: 'Read the failed pods\' logs and the Job\'s events, fix the cause, and run the Job again; alert on failed Jobs so that the next failure is seen.',
  messages: { failed: 'Job "{{name}}" failed ({{reason}}).' },
  targets: 'object',
  kinds: ['Job'],
  check(object, ctx) {
    const conditions = statusOf(object)['conditions'];
    if (!Array.isArray(conditions)) return;
    conditions.forEach((c, i) => {
      const r = asRecord(c);
      if (r?.['type'] === 'Failed' && r['status'] === 'True') ctx.report('failed', { name: object.metadata.name ?? '', reason: typeof r['reason'] === 'string' ? r['reason'] : 'no reason given' }, `/status/conditions/${i}`);
    });
  },
});
