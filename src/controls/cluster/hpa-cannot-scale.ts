import { defineControl } from '../../engine/types.js';
import { hpaMax, hpaMin, specOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0708',
  name: 'hpa-cannot-scale',
  title: 'HorizontalPodAutoscaler without room to scale',
  description:
    'An autoscaler whose `maxReplicas` is not above its `minReplicas` (default 1) never changes the replica count: the workload cannot absorb load peaks, and the object only suggests an elasticity that is not there.',
  layer: 'cluster',
  dimensions: ['Scalability'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: {},
  remediation: 'Set `spec.maxReplicas` above `spec.minReplicas` to the most replicas the workload and cluster can carry.',
  messages: { flat: 'HorizontalPodAutoscaler "{{name}}" has maxReplicas {{max}} and minReplicas {{min}}: it can never scale.' },
  targets: 'object',
  kinds: ['HorizontalPodAutoscaler'],
  check(object, ctx) {
    const max = hpaMax(object);
    if (max === undefined) return;
    const min = hpaMin(object);
    if (max > min) return;
    ctx.report('flat', { name: object.metadata.name ?? '', max, min }, specOf(object)['maxReplicas'] !== undefined ? '/spec/maxReplicas' : '/spec');
  },
});
