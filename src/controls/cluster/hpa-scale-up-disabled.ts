import { defineControl } from '../../engine/types.js';
import { asRecord, specOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0776',
  name: 'hpa-scale-up-disabled',
  title: 'Autoscaler may never scale up',
  description:
    '`behavior.scaleUp.selectPolicy: Disabled` (or scale-up policies that all allow 0 pods or 0 percent) stops the autoscaler from ever adding replicas: under load the workload stays at its current size and degrades, while the HorizontalPodAutoscaler suggests elasticity that is not there. It is sometimes set during an incident and forgotten.',
  layer: 'cluster',
  dimensions: ['Scalability'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Remove `behavior.scaleUp.selectPolicy: Disabled` (or the zero policies), or delete the autoscaler if the workload should have a fixed size.',
  messages: {
    disabled: 'HorizontalPodAutoscaler "{{name}}" has scale-up disabled: it never adds replicas.',
    zero: 'HorizontalPodAutoscaler "{{name}}" has only scale-up policies of 0: it never adds replicas.',
  },
  targets: 'object',
  kinds: ['HorizontalPodAutoscaler'],
  check(object, ctx) {
    const up = asRecord(asRecord(specOf(object)['behavior'])?.['scaleUp']);
    if (!up) return;
    if (up['selectPolicy'] === 'Disabled') {
      ctx.report('disabled', { name: object.metadata.name ?? '' }, '/spec/behavior/scaleUp/selectPolicy');
      return;
    }
    const policies = up['policies'];
    if (Array.isArray(policies) && policies.length > 0 && policies.every((p) => asRecord(p)?.['value'] === 0)) {
      ctx.report('zero', { name: object.metadata.name ?? '' }, '/spec/behavior/scaleUp/policies');
    }
  },
});
