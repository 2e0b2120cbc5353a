import { defineControl } from '../../engine/types.js';

export default defineControl({
  id: 'KOR-0717',
  name: 'storage-class-no-expansion',
  title: 'StorageClass does not allow volume expansion',
  description:
    'Without `allowVolumeExpansion: true` a claim of the class cannot be resized: when a database volume fills up, the only way out is a new volume and a data copy under pressure, instead of editing the claim\'s size. Judged for classes whose provisioner is a CSI driver or an in-tree plugin that supports expansion (every one except `kubernetes.io/no-provisioner`, local volumes).',
  layer: 'cluster',
  dimensions: ['Storage & Backup', 'Scalability'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  fixable: true,
  frameworks: {},
  remediation: 'Set `allowVolumeExpansion: true` on the StorageClass (the CSI driver must support expansion).',
  messages: { fixed: 'StorageClass "{{name}}" does not allow volume expansion: full volumes cannot be resized in place.' },
  targets: 'object',
  kinds: ['StorageClass'],
  check(object, ctx) {
    if (object['provisioner'] === 'kubernetes.io/no-provisioner') return;
    const v = object['allowVolumeExpansion'];
    if (v === true) return;
    ctx.report('fixed', { name: object.metadata.name ?? '' }, v === undefined ? '' : '/allowVolumeExpansion', { fix: [{ op: v === undefined ? 'add' : 'replace', path: '/allowVolumeExpansion', value: true }] });
  },
});
