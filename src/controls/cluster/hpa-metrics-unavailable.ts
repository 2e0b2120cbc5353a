import { defineControl } from '../../engine/types.js';
import { asRecord, statusOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0809',
  name: 'hpa-metrics-unavailable',
  title: 'Autoscaler cannot read its metrics or scale its target',
  description:
    'A HorizontalPodAutoscaler whose ScalingActive condition is False (with a reason such as FailedGetResourceMetric: metrics-server is down, the pods have no requests, a custom metric is missing) or whose AbleToScale condition is False (the target or its scale subresource cannot be read or updated) has stopped autoscaling: the workload stays at its current size whatever the load. Judged on autoscalers read with their status from a cluster or a snapshot; a target scaled to zero on purpose (reason ScalingDisabled) is not reported.',
  layer: 'cluster',
  dimensions: ['Scalability', 'Monitoring & Health Checks'],
  phases: ['runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: {},
  remediation: 'Read the condition\'s message (`kubectl describe hpa`): restore the metrics pipeline (metrics-server, the adapter for custom metrics), give the pods requests for the resources scaled on, or fix the scale target.',
  messages: { inactive: 'HorizontalPodAutoscaler "{{name}}" is not autoscaling: {{type}} is False ({{reason}}).' },
  targets: 'object',
  kinds: ['HorizontalPodAutoscaler'],
  check(object, ctx) {
    const conditions = statusOf(object)['conditions'];
    if (!Array.isArray(conditions)) return;
    conditions.forEach((c, i) => {
      const r = asRecord(c);
      if (!r || r['status'] !== 'False' || (r['type'] !== 'ScalingActive' && r['type'] !== 'AbleToScale') || r['reason'] === 'ScalingDisabled') return;
      ctx.report('inactive', { name: object.metadata.name ?? '', type: String(r['type']), reason: typeof r['reason'] === 'string' ? r['reason'] : 'no reason given' }, `/status/conditions/${i}`);
    });
  },
});
