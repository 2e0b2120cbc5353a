import { defineControl } from '../../engine/types.js';
import { isVpa, vpaActs, vpaTarget } from '../support/vpa.js';
import { asRecord, objectsIn } from '../support/workloads.js';

function hpaResources(hpa: Record<string, unknown>, apiVersion: string): string[] {
  const spec = asRecord(hpa['spec']) ?? {};
  if (apiVersion === 'autoscaling/v1') return ['cpu'];
  const metrics = spec['metrics'];
  if (metrics === undefined || (Array.isArray(metrics) && metrics.length === 0)) return ['cpu'];
  return (Array.isArray(metrics) ? metrics : [])
    .map((m) => asRecord(asRecord(m)?.['resource']) ?? asRecord(asRecord(m)?.['containerResource']))
    .map((r) => r?.['name'])
    .filter((n): n is string => n === 'cpu' || n === 'memory');
}

export default defineControl({
  id: 'KOR-0758',
  name: 'vpa-conflicts-with-hpa',
  title: 'VerticalPodAutoscaler and HorizontalPodAutoscaler fight over CPU or memory',
  description:
    'A VerticalPodAutoscaler that changes pods (updateMode Auto, Recreate or InPlaceOrRecreate) and a HorizontalPodAutoscaler scaling on CPU or memory of the same workload work against each other: the VPA raises requests, utilization drops, the HPA removes replicas, utilization rises, and so on; the VPA documentation says not to combine them on the same resource. A VPA in Off or Initial mode, or one limited to other resources by `controlledResources`, is not reported.',
  layer: 'cluster',
  dimensions: ['Scalability'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: {},
  remediation: 'Scale the workload on custom or external metrics in the HPA, or set the VPA to `updateMode: "Off"` (recommendations only), or restrict the VPA\'s `controlledResources` to the resources the HPA does not use.',
  messages: { conflict: 'VerticalPodAutoscaler "{{name}}" and HorizontalPodAutoscaler "{{hpa}}" both act on {{resource}} of {{target}}: they undo each other.' },
  targets: 'object',
  kinds: ['VerticalPodAutoscaler'],
  check(object, ctx) {
    if (!isVpa(object) || !vpaActs(object)) return;
    const target = vpaTarget(object);
    if (!target) return;
    const ns = ctx.inventory.namespaceOf(object) ?? 'default';
    const policies = asRecord(asRecord(object['spec'])?.['resourcePolicy'])?.['containerPolicies'];
    const controlled = new Set<string>();
    let limited = false;
    for (const p of Array.isArray(policies) ? policies : []) {
      const cr = asRecord(p)?.['controlledResources'];
      if (Array.isArray(cr)) {
        limited = true;
        for (const r of cr) if (typeof r === 'string') controlled.add(r);
      }
    }
    for (const hpa of objectsIn(ctx.inventory, 'HorizontalPodAutoscaler', ns)) {
      const ref = asRecord(asRecord(hpa.object['spec'])?.['scaleTargetRef']);
      if (ref?.['kind'] !== target.kind || ref?.['name'] !== target.name) continue;
      const shared = hpaResources(hpa.object as unknown as Record<string, unknown>, hpa.object.apiVersion).filter((r) => !limited || controlled.has(r));
      if (shared.length === 0) continue;
      ctx.report('conflict', { name: object.metadata.name ?? '', hpa: hpa.object.metadata.name ?? '', resource: [...new Set(shared)].sort().join(' and '), target: `${target.kind} "${target.name}"` }, '/spec/targetRef');
    }
  },
});
