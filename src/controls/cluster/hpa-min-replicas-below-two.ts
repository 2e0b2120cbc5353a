import { defineControl } from '../../engine/types.js';
import { hpaMax, hpaMin, specOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0705',
  name: 'hpa-min-replicas-below-two',
  title: 'HorizontalPodAutoscaler can scale down to one replica',
  description:
    'An autoscaler with `minReplicas` unset or 1 scales its workload down to a single pod when load is low, exactly when nobody watches: one eviction, node failure or crash is then an outage, and a PodDisruptionBudget cannot protect a single replica. Autoscalers that are meant to scale to zero (minReplicas 0, behind the HPAScaleToZero feature) are not reported.',
  layer: 'cluster',
  dimensions: ['Scalability', 'Disaster Recovery'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  fixable: true,
  frameworks: {},
  remediation: 'Set `spec.minReplicas` to 2 or more (and `maxReplicas` above it).',
  messages: { low: 'HorizontalPodAutoscaler "{{name}}" allows {{target}} to run {{min}} replica (minReplicas {{how}}).' },
  targets: 'object',
  kinds: ['HorizontalPodAutoscaler'],
  check(object, ctx) {
    const spec = specOf(object);
    const min = hpaMin(object);
    if (min !== 1) return;
    const ref = spec['scaleTargetRef'] as { kind?: unknown; name?: unknown } | undefined;
    const target = ref && typeof ref === 'object' ? `${String(ref.kind ?? '')} "${String(ref.name ?? '')}"` : 'its target';
    const set = spec['minReplicas'] !== undefined;
    const max = hpaMax(object);
    const fix = max !== undefined && max >= 2 ? { fix: [{ op: set ? ('replace' as const) : ('add' as const), path: '/spec/minReplicas', value: 2 }] } : {};
    ctx.report('low', { name: object.metadata.name ?? '', target, min, how: set ? 'is 1' : 'unset, default 1' }, set ? '/spec/minReplicas' : '/spec', fix);
  },
});
