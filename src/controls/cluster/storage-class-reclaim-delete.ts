import { defineControl } from '../../engine/types.js';

export default defineControl({
  id: 'KOR-0715',
  name: 'storage-class-reclaim-delete',
  title: 'Volumes are deleted with their claim',
  description:
    'A StorageClass whose `reclaimPolicy` is Delete (the default when unset) deletes the disk of every volume it provisioned as soon as its PersistentVolumeClaim is deleted: an `helm uninstall`, a deleted namespace or a mistaken `kubectl delete pvc` destroys the data with no way back but backups. The same holds for a PersistentVolume whose `persistentVolumeReclaimPolicy` is Delete. Classes and volumes meant for scratch data can be excepted.',
  layer: 'cluster',
  dimensions: ['Storage & Backup', 'Disaster Recovery'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: {},
  remediation: 'Use `reclaimPolicy: Retain` for classes holding data that matters (and clean released volumes up deliberately), or make sure backups cover every volume of the class.',
  messages: {
    storageClass: 'StorageClass "{{name}}" has reclaimPolicy {{policy}}: deleting a claim deletes its disk.',
    volume: 'PersistentVolume "{{name}}" has persistentVolumeReclaimPolicy Delete: deleting its claim deletes the disk.',
  },
  targets: 'object',
  kinds: ['StorageClass', 'PersistentVolume'],
  check(object, ctx) {
    const name = object.metadata.name ?? '';
    if (object.kind === 'StorageClass') {
      const p = object['reclaimPolicy'];
      if (p === undefined || p === 'Delete') ctx.report('storageClass', { name, policy: p === undefined ? 'unset (Delete)' : 'Delete' }, p === undefined ? '' : '/reclaimPolicy');
      return;
    }
    const spec = object['spec'] as { persistentVolumeReclaimPolicy?: unknown } | undefined;
    if (spec?.persistentVolumeReclaimPolicy === 'Delete') ctx.report('volume', { name }, '/spec/persistentVolumeReclaimPolicy');
  },
});
