import { defineControl } from '../../engine/types.js';
import { asRecord, specOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0775',
  name: 'hpa-scale-down-without-stabilization',
  title: 'Autoscaler scales down without a stabilization window',
  description:
    '`behavior.scaleDown.stabilizationWindowSeconds: 0` makes the autoscaler act on every single metric sample: a short dip in load removes replicas at once, the next peak adds them back, and the workload flaps, paying pod start-up time and cold caches on each cycle (the default window is 300 seconds, which keeps the highest recommendation of the last five minutes). Judged on autoscaling/v2 HorizontalPodAutoscalers that set the window to 0.',
  layer: 'cluster',
  dimensions: ['Scalability', 'Applications'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  fixable: true,
  frameworks: {},
  remediation: 'Remove `behavior.scaleDown.stabilizationWindowSeconds` (default 300) or set it to a few minutes, longer than the workload\'s load fluctuations.',
  messages: { flap: 'HorizontalPodAutoscaler "{{name}}" scales down with no stabilization window: replicas follow every dip in load.' },
  cel: { expression: "!has(object.spec.behavior) || !has(object.spec.behavior.scaleDown) || !has(object.spec.behavior.scaleDown.stabilizationWindowSeconds) || object.spec.behavior.scaleDown.stabilizationWindowSeconds != 0 || (has(object.spec.behavior.scaleDown.selectPolicy) && object.spec.behavior.scaleDown.selectPolicy == 'Disabled')", message: 'Autoscalers must scale down with a stabilization window.' },
  targets: 'object',
  kinds: ['HorizontalPodAutoscaler'],
  check(object, ctx) {
    const down = asRecord(asRecord(specOf(object)['behavior'])?.['scaleDown']);
    if (down?.['stabilizationWindowSeconds'] !== 0 || down['selectPolicy'] === 'Disabled') return;
    ctx.report('flap', { name: object.metadata.name ?? '' }, '/spec/behavior/scaleDown/stabilizationWindowSeconds', { fix: [{ op: 'replace', path: '/spec/behavior/scaleDown/stabilizationWindowSeconds', value: 300 }] });
  },
});
