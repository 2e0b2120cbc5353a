import { defineControl } from '../../engine/types.js';
import { isVelero } from '../support/velero.js';
import { asRecord } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0720',
  name: 'velero-schedule-paused',
  title: 'Velero backup schedule is paused',
  description:
    'A Velero Schedule with `spec.paused: true` makes no backups: it is usually paused for maintenance and forgotten, and the newest restorable state silently ages. Backups it made earlier expire by their TTL, so after a while nothing is left to restore.',
  layer: 'cluster',
  dimensions: ['Storage & Backup', 'Disaster Recovery'],
  phases: ['deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  fixable: true,
  frameworks: {},
  remediation: 'Unpause the schedule (`velero schedule unpause <name>`, or remove `spec.paused`), or delete it if another schedule covers its namespaces.',
  messages: { paused: 'Velero Schedule "{{name}}" is paused: it makes no backups.' },
  targets: 'object',
  kinds: ['Schedule'],
  check(object, ctx) {
    if (!isVelero(object) || asRecord(object['spec'])?.['paused'] !== true) return;
    ctx.report('paused', { name: object.metadata.name ?? '' }, '/spec/paused', { fix: [{ op: 'remove', path: '/spec/paused' }] });
  },
});
