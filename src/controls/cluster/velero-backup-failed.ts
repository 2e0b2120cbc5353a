import { defineControl } from '../../engine/types.js';
import type { InventoryObject } from '../../inventory/types.js';
import { isVelero } from '../support/velero.js';
import { asRecord } from '../support/workloads.js';

const FAILED = new Set(['Failed', 'PartiallyFailed', 'FailedValidation']);

function startedAt(b: InventoryObject): string {
  const s = asRecord(b.object['status'])?.['startTimestamp'];
  const c = b.object.metadata['creationTimestamp'];
  return typeof s === 'string' ? s : typeof c === 'string' ? c : '';
}

export default defineControl({
  id: 'KOR-0719',
  name: 'velero-backup-failed',
  title: 'Latest Velero backup failed',
  description:
    'A Velero Backup whose phase is Failed, PartiallyFailed or FailedValidation did not save (all of) what it was meant to: a restore from it would miss data. For backups made by a Schedule (label `velero.io/schedule-name`) only the latest backup of each schedule is judged, since a later success supersedes an earlier failure; backups made by hand are each judged. Judged on Backup objects read from a cluster or a snapshot (status.phase).',
  layer: 'cluster',
  dimensions: ['Storage & Backup', 'Disaster Recovery'],
  phases: ['runtime'],
  severity: 'high',
  effort: 'medium',
  frameworks: {},
  remediation: 'Read the backup\'s logs (`velero backup logs <name>`) and fix the cause (storage location, volume snapshotter, plugin), then run the backup again and check that it completes.',
  messages: { failed: 'Velero Backup "{{name}}"{{schedule}} ended {{phase}}: it cannot be relied on for a restore.' },
  targets: 'inventory',
  kinds: ['Backup'],
  check(inv, ctx) {
    const latest = new Map<string, InventoryObject>();
    const manual: InventoryObject[] = [];
    for (const b of inv.byKind('Backup')) {
      if (!isVelero(b.object)) continue;
      const sched = b.object.metadata.labels?.['velero.io/schedule-name'];
      if (typeof sched !== 'string') {
        manual.push(b);
        continue;
      }
      const key = `${inv.namespaceOf(b.object) ?? ''}/${sched}`;
      const prev = latest.get(key);
      if (!prev || startedAt(b) > startedAt(prev) || (startedAt(b) === startedAt(prev) && b.id > prev.id)) latest.set(key, b);
    }
    for (const b of [...manual, ...latest.values()].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))) {
      const phase = asRecord(b.object['status'])?.['phase'];
      if (typeof phase !== 'string' || !FAILED.has(phase)) continue;
      const sched = b.object.metadata.labels?.['velero.io/schedule-name'];
      ctx.report('failed', { name: b.object.metadata.name ?? '', schedule: typeof sched === 'string' ? ` (latest of Schedule "${sched}")` : '', phase }, '/status/phase', { object: b });
    }
  },
});
