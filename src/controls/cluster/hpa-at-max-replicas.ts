import { defineControl } from '../../engine/types.js';
import { hpaMax, statusOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0741',
  name: 'hpa-at-max-replicas',
  title: 'Autoscaler is at its maximum',
  description:
    'A HorizontalPodAutoscaler whose current replicas equal its `maxReplicas`, while its desired count is at least as high, cannot add capacity: any further load degrades the workload. A ceiling reached in normal operation means the maximum (or the cluster) is too small. Judged on autoscalers read with their status from a cluster or a snapshot.',
  layer: 'cluster',
  dimensions: ['Scalability', 'Monitoring & Health Checks'],
  phases: ['runtime'],
  severity: 'low',
  effort: 'medium',
  frameworks: {},
  remediation: 'Raise `spec.maxReplicas` (checking that the cluster and the workload\'s dependencies can carry it), or make each replica handle more load.',
  messages: { max: 'HorizontalPodAutoscaler "{{name}}" runs at its maximum of {{max}} replicas (desired {{desired}}): it cannot scale further.' },
  targets: 'object',
  kinds: ['HorizontalPodAutoscaler'],
  check(object, ctx) {
    const max = hpaMax(object);
    const status = statusOf(object);
    const current = status['currentReplicas'];
    const desired = status['desiredReplicas'];
    if (max === undefined || typeof current !== 'number' || typeof desired !== 'number') return;
    if (current < max || desired < max) return;
    ctx.report('max', { name: object.metadata.name ?? '', max, desired }, '/status/currentReplicas');
  },
});
