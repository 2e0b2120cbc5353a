import { defineControl } from '../../engine/types.js';
import { asRecord, specOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0776',
  name: 'hpa-scale-up-disabled',
  title: 'Autoscaler may never scale up',
  description:
    '`behavior.scaleUp.selectPolicy: Disabled` stops the autoscaler from ever adding replicas: under load the workload stays at its current size and degrades, while the HorizontalPodAutoscaler suggests elasticity that is not there. It is sometimes set during an incident and forgotten.',
  layer: 'cluster',
  dimensions: ['Scalability'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Remove `behavior.scaleUp.selectPolicy: Disabled`, or delete the autoscaler if the workload should have a fixed size.',
  messages: { disabled: 'HorizontalPodAutoscaler "{{name}}" has scale-up disabled: it never adds replicas.' },
  cel: { expression: "!has(object.spec.behavior) || !has(object.spec.behavior.scaleUp) || !has(object.spec.behavior.scaleUp.selectPolicy) || object.spec.behavior.scaleUp.selectPolicy != 'Disabled'", message: 'Autoscalers must be able to scale up.' },
  targets: 'object',
  kinds: ['HorizontalPodAutoscaler'],
  check(object, ctx) {
    const up = asRecord(asRecord(specOf(object)['behavior'])?.['scaleUp']);
    if (!up) return;
    if (up['selectPolicy'] === 'Disabled') ctx.report('disabled', { name: object.metadata.name ?? '' }, '/spec/behavior/scaleUp/selectPolicy');
  },
});
