import { defineControl } from '../../engine/types.js';
import { apiGroupOf } from '../../inventory/inventory.js';
import { asRecord } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0721',
  name: 'volume-snapshot-failed',
  title: 'Volume snapshot failed',
  description:
    'A VolumeSnapshot (snapshot.storage.k8s.io) whose status carries an error, or that is not ready to use while its content reports an error, is no backup: the CSI driver could not cut or upload it. Backup tools that rely on CSI snapshots (Velero, Kasten, the snapshot controller\'s schedules) then have nothing to restore from. Judged on snapshots read with their status (a live cluster or a snapshot file).',
  layer: 'cluster',
  dimensions: ['Storage & Backup', 'Disaster Recovery'],
  phases: ['runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: {},
  remediation: 'Read the snapshot\'s events and its VolumeSnapshotContent (`kubectl describe`), fix the CSI driver or VolumeSnapshotClass, and take the snapshot again.',
  messages: { failed: 'VolumeSnapshot "{{name}}" of claim "{{claim}}" failed{{ready}}: it cannot be restored from.' },
  targets: 'object',
  kinds: ['VolumeSnapshot'],
  check(object, ctx) {
    if (apiGroupOf(object.apiVersion) !== 'snapshot.storage.k8s.io') return;
    const status = asRecord(object['status']);
    if (!status || status['error'] === undefined || status['error'] === null) return;
    const claim = asRecord(asRecord(object['spec'])?.['source'])?.['persistentVolumeClaimName'];
    ctx.report('failed', { name: object.metadata.name ?? '', claim: typeof claim === 'string' ? claim : '?', ready: status['readyToUse'] === true ? ' once (it is marked ready)' : '' }, '/status/error');
  },
});
