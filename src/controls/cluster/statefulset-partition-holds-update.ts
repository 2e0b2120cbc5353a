import { defineControl } from '../../engine/types.js';
import { asRecord, declaredReplicas, hasController, specOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0797',
  name: 'statefulset-partition-holds-update',
  title: 'StatefulSet partition keeps pods on the old revision',
  description:
    'A StatefulSet rolling update with `partition: N` updates only the pods with an ordinal of N or more; the others keep the previous template. It is the tool for a canary, but left in place after the canary it means part of the set never gets the new image or configuration, and a partition at or above the replica count updates no pod at all. Judged on StatefulSets whose partition is above 0.',
  layer: 'cluster',
  dimensions: ['CI/CD', 'Applications'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  fixable: true,
  frameworks: {},
  remediation: 'Finish the staged rollout: lower `updateStrategy.rollingUpdate.partition` to 0 once the canary pods are healthy.',
  messages: {
    partial: 'StatefulSet "{{name}}" has partition {{partition}}: pods with ordinals 0 to {{last}} keep the previous revision.',
    none: 'StatefulSet "{{name}}" has partition {{partition}} with {{replicas}} replica(s): no pod receives template changes.',
  },
  cel: { expression: "!has(object.spec.updateStrategy) || (has(object.spec.updateStrategy.type) && object.spec.updateStrategy.type == 'OnDelete') || !has(object.spec.updateStrategy.rollingUpdate) || !has(object.spec.updateStrategy.rollingUpdate.partition) || object.spec.updateStrategy.rollingUpdate.partition <= 0", message: 'StatefulSets must not hold pods on the previous revision (rollingUpdate.partition 0).' },
  targets: 'object',
  kinds: ['StatefulSet'],
  check(object, ctx) {
    if (hasController(object)) return;
    const strategy = asRecord(specOf(object)['updateStrategy']);
    if (strategy?.['type'] === 'OnDelete') return;
    const partition = asRecord(strategy?.['rollingUpdate'])?.['partition'];
    if (typeof partition !== 'number' || !Number.isInteger(partition) || partition <= 0) return;
    const replicas = declaredReplicas(object);
    const fix = { fix: [{ op: 'replace' as const, path: '/spec/updateStrategy/rollingUpdate/partition', value: 0 }] };
    if (partition >= replicas) ctx.report('none', { name: object.metadata.name ?? '', partition, replicas }, '/spec/updateStrategy/rollingUpdate/partition', fix);
    else ctx.report('partial', { name: object.metadata.name ?? '', partition, last: partition - 1 }, '/spec/updateStrategy/rollingUpdate/partition', fix);
  },
});
