import { defineControl } from '../../engine/types.js';
import { asRecord, hasController, specOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0798',
  name: 'statefulset-deletes-claims',
  title: 'StatefulSet deletes its volumes with it',
  description:
    '`persistentVolumeClaimRetentionPolicy.whenDeleted: Delete` makes the StatefulSet controller delete every claim of its volume claim templates when the StatefulSet is deleted (and `whenScaled: Delete` when it scales down); with the usual Delete reclaim policy the volumes and their data go with them. One mistaken `kubectl delete`, a chart uninstall or a GitOps prune then destroys the data instead of leaving it to re-attach. Judged on StatefulSets with volume claim templates.',
  layer: 'cluster',
  dimensions: ['Storage & Backup', 'Disaster Recovery'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  fixable: true,
  frameworks: {},
  remediation: 'Keep the default `Retain` for `whenDeleted` (and `whenScaled`) unless the data is disposable, and back the volumes up.',
  messages: { deletes: 'StatefulSet "{{name}}" deletes its volume claims {{when}} (persistentVolumeClaimRetentionPolicy): its data goes with it.' },
  cel: { expression: "!has(object.spec.volumeClaimTemplates) || size(object.spec.volumeClaimTemplates) == 0 || !has(object.spec.persistentVolumeClaimRetentionPolicy) || ((!has(object.spec.persistentVolumeClaimRetentionPolicy.whenDeleted) || object.spec.persistentVolumeClaimRetentionPolicy.whenDeleted != 'Delete') && (!has(object.spec.persistentVolumeClaimRetentionPolicy.whenScaled) || object.spec.persistentVolumeClaimRetentionPolicy.whenScaled != 'Delete'))", message: 'StatefulSets must retain their volume claims (persistentVolumeClaimRetentionPolicy Retain).' },
  targets: 'object',
  kinds: ['StatefulSet'],
  check(object, ctx) {
    if (hasController(object)) return;
    const spec = specOf(object);
    if (!Array.isArray(spec['volumeClaimTemplates']) || spec['volumeClaimTemplates'].length === 0) return;
    const policy = asRecord(spec['persistentVolumeClaimRetentionPolicy']);
    if (!policy) return;
    for (const [field, when] of [['whenDeleted', 'when it is deleted'], ['whenScaled', 'when it scales down']] as const) {
      if (policy[field] !== 'Delete') continue;
      ctx.report('deletes', { name: object.metadata.name ?? '', when }, `/spec/persistentVolumeClaimRetentionPolicy/${field}`, { fix: [{ op: 'replace', path: `/spec/persistentVolumeClaimRetentionPolicy/${field}`, value: 'Retain' }] });
    }
  },
});
