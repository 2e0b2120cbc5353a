import { defineControl } from '../../engine/types.js';
import { isVelero } from '../support/velero.js';
import { statusOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0819',
  name: 'velero-storage-location-unavailable',
  title: 'Velero cannot reach its backup storage',
  description:
    'A Velero BackupStorageLocation in phase Unavailable cannot be written or read (wrong credentials, a deleted or renamed bucket, an expired key, a network policy or endpoint change): every scheduled backup to it fails, and the backups already there cannot be listed for a restore. Schedules keep firing, so the failure is silent until someone needs a restore. Judged on velero.io BackupStorageLocations read with their status from a cluster or a snapshot.',
  layer: 'cluster',
  dimensions: ['Storage & Backup', 'Disaster Recovery'],
  phases: ['runtime'],
  severity: 'high',
  effort: 'medium',
  frameworks: {},
  remediation: 'Read the location\'s status message and the Velero logs, fix the bucket, credentials or endpoint, then take a backup by hand and alert on the location\'s phase.',
  messages: { unavailable: 'Velero BackupStorageLocation "{{name}}" is Unavailable: backups to it fail and its backups cannot be restored.' },
  targets: 'object',
  kinds: ['BackupStorageLocation'],
  check(object, ctx) {
    if (!isVelero(object) || statusOf(object)['phase'] !== 'Unavailable') return;
    ctx.report('unavailable', { name: object.metadata.name ?? '' }, '/status/phase');
  },
});
