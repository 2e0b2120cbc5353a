import { defineControl } from '../../engine/types.js';
import { apiGroupOf } from '../../inventory/inventory.js';

export default defineControl({
  id: 'KOR-0784',
  name: 'snapshot-class-deletes-snapshots',
  title: 'Volume snapshots are deleted with their Kubernetes object',
  description:
    'A VolumeSnapshotClass with `deletionPolicy: Delete` deletes the snapshot in the storage system as soon as its VolumeSnapshot object is deleted: a namespace deletion, a GitOps prune or a cleanup script then destroys the backups at the same moment as the data they protect. `Retain` keeps the storage snapshot (and its VolumeSnapshotContent) until someone removes it on purpose. Judged on snapshot.storage.k8s.io VolumeSnapshotClasses.',
  layer: 'cluster',
  dimensions: ['Storage & Backup', 'Disaster Recovery'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  fixable: true,
  frameworks: {},
  remediation: 'Use `deletionPolicy: Retain` for snapshots that serve as backups (and expire them through the backup tool), keeping Delete only for short-lived snapshots such as clones.',
  messages: { deletes: 'VolumeSnapshotClass "{{name}}" deletes the storage snapshot when its VolumeSnapshot is deleted (deletionPolicy: Delete).' },
  targets: 'object',
  kinds: ['VolumeSnapshotClass'],
  check(object, ctx) {
    if (typeof object.apiVersion !== 'string' || apiGroupOf(object.apiVersion) !== 'snapshot.storage.k8s.io') return;
    if (object['deletionPolicy'] !== 'Delete') return;
    ctx.report('deletes', { name: object.metadata.name ?? '' }, '/deletionPolicy', { fix: [{ op: 'replace', path: '/deletionPolicy', value: 'Retain' }] });
  },
});
