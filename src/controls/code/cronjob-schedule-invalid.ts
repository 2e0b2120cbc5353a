import { defineControl } from '../../engine/types.js';
import { parseCron } from '../support/cron.js';
import { hasController, specOf } from '../support/workloads.js';

const ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

export default defineControl({
  id: 'KOR-0787',
  name: 'cronjob-schedule-invalid',
  title: 'CronJob schedule or time zone the API server rejects',
  description:
    'The API server refuses a CronJob whose `schedule` is not a valid cron expression (five fields, or a descriptor such as `@daily`), that puts a time zone into the schedule (`TZ=` or `CRON_TZ=`, refused for new CronJobs since Kubernetes 1.27: use `spec.timeZone`), or whose `timeZone` is empty, `Local` or not shaped like an IANA name. The pipeline\'s apply fails, or a chart renders a manifest no cluster accepts. The schedule is read as Kubernetes reads it (robfig/cron\'s standard parser); checked against a real kube-apiserver in the test suite.',
  layer: 'code',
  dimensions: ['CI/CD', 'Applications'],
  phases: ['develop', 'deploy'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Write a five-field cron expression (minute hour day-of-month month day-of-week) and put the time zone in `spec.timeZone` as an IANA name such as `Europe/Berlin`.',
  messages: {
    schedule: 'CronJob "{{name}}" has schedule "{{schedule}}" that the API server rejects: {{reason}}.',
    tz: 'CronJob "{{name}}" sets a time zone inside its schedule: the API server rejects TZ= and CRON_TZ= (use spec.timeZone).',
    zone: 'CronJob "{{name}}" has timeZone "{{zone}}", which the API server rejects ({{reason}}).',
  },
  targets: 'object',
  kinds: ['CronJob'],
  check(object, ctx) {
    if (hasController(object)) return;
    const spec = specOf(object);
    const name = object.metadata.name ?? '';
    const schedule = spec['schedule'];
    if (typeof schedule === 'string') {
      if (schedule.includes('TZ')) ctx.report('tz', { name }, '/spec/schedule');
      else {
        try {
          parseCron(schedule);
        } catch (e) {
          ctx.report('schedule', { name, schedule, reason: (e as Error).message }, '/spec/schedule');
        }
      }
    }
    const zone = spec['timeZone'];
    if (typeof zone !== 'string') return;
    let reason: string | undefined;
    if (zone === '') reason = 'empty';
    else if (zone.toLowerCase() === 'local') reason = 'it must name an explicit zone';
    else if (zone.split('/').some((p) => p === '.' || p === '..' || p.startsWith('-') || !ZONE_PART.test(p))) reason = 'not a zone name';
    if (reason) ctx.report('zone', { name, zone, reason }, '/spec/timeZone');
  },
});
