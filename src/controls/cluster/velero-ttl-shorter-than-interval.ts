import { defineControl } from '../../engine/types.js';
import { formatSeconds, longestGapSeconds, parseCron, parseGoDuration } from '../support/cron.js';
import { isVelero } from '../support/velero.js';
import { asRecord, specOf } from '../support/workloads.js';

/** Velero's default backup TTL: 30 days. */
const DEFAULT_TTL = 720 * 3600;

export default defineControl({
  id: 'KOR-0785',
  name: 'velero-ttl-shorter-than-interval',
  title: 'Velero backups expire before the next one is taken',
  description:
    'A Velero Schedule whose backups live (`template.ttl`, default 720h) shorter than the longest time between two of its runs leaves windows with no backup at all: the last one has been garbage-collected and the next has not run yet, and a failed run stretches the window further. The interval is computed from the cron expression as Velero reads it (the longest gap over four years of calendar, so monthly and weekday schedules count their longest month or weekend).',
  layer: 'cluster',
  dimensions: ['Storage & Backup', 'Disaster Recovery'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Keep backups for several intervals: set `template.ttl` to at least two or three times the schedule\'s period (for example `168h` for a daily schedule).',
  messages: { gap: 'Velero Schedule "{{name}}" keeps backups {{ttl}} but runs up to {{gap}} apart: there are times with no backup to restore.' },
  targets: 'object',
  kinds: ['Schedule'],
  check(object, ctx) {
    if (!isVelero(object)) return;
    const spec = specOf(object);
    if (spec['paused'] === true || typeof spec['schedule'] !== 'string') return;
    let gap: number | undefined;
    try {
      gap = longestGapSeconds(parseCron(spec['schedule']));
    } catch {
      return; // Velero refuses the schedule itself (its status says so)
    }
    const rawTtl = asRecord(spec['template'])?.['ttl'];
    const ttl = typeof rawTtl === 'string' ? parseGoDuration(rawTtl) : DEFAULT_TTL;
    if (gap === undefined || ttl === undefined || ttl === 0 || ttl >= gap) return;
    ctx.report('gap', { name: object.metadata.name ?? '', ttl: formatSeconds(ttl), gap: formatSeconds(gap) }, typeof rawTtl === 'string' ? '/spec/template/ttl' : '/spec/schedule');
  },
});
