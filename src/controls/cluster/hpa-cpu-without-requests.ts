import { defineControl } from '../../engine/types.js';
import { containersOf, podSpecOf } from '../../inventory/podspec.js';
import { asRecord, specOf } from '../support/workloads.js';
import { hasResource } from '../support/pod.js';

/** The resource names an HPA scales on by utilization (autoscaling/v2 with no metrics: 80% CPU; v1: targetCPUUtilizationPercentage). */
function utilizationResources(hpa: Record<string, unknown>, apiVersion: string): string[] {
  const spec = asRecord(hpa['spec']) ?? {};
  if (apiVersion === 'autoscaling/v1') return ['cpu'];
  const metrics = spec['metrics'];
  if (metrics === undefined || (Array.isArray(metrics) && metrics.length === 0)) return ['cpu'];
  if (!Array.isArray(metrics)) return [];
  const out: string[] = [];
  for (const m of metrics) {
    const r = asRecord(m);
    const res = asRecord(r?.['resource']) ?? asRecord(r?.['containerResource']);
    if (!res || typeof res['name'] !== 'string') continue;
    if (asRecord(res['target'])?.['type'] === 'Utilization') out.push(res['name']);
  }
  return out;
}

export default defineControl({
  id: 'KOR-0757',
  name: 'hpa-cpu-without-requests',
  title: 'Autoscaler scales on utilization of a resource the pods do not request',
  description:
    'Utilization is measured against the containers\' requests: an autoscaler targeting CPU (or memory) utilization of a workload whose containers do not all request that resource cannot compute it ("missing request for cpu"), reports FailedGetResourceMetric and never scales. An autoscaling/v2 autoscaler without metrics scales on 80% CPU utilization. Judged where the autoscaler\'s target is in the inputs.',
  layer: 'cluster',
  dimensions: ['Scalability'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Set requests for the resource the autoscaler measures on every container of the target (sidecars included), or scale on an absolute `AverageValue` target instead.',
  messages: { missing: 'HorizontalPodAutoscaler "{{name}}" scales {{target}} on {{resource}} utilization, but container "{{container}}" requests no {{resource}}: the autoscaler cannot compute it and never scales.' },
  targets: 'object',
  kinds: ['HorizontalPodAutoscaler'],
  check(object, ctx) {
    const ref = asRecord(specOf(object)['scaleTargetRef']);
    if (!ref || typeof ref['kind'] !== 'string' || typeof ref['name'] !== 'string') return;
    const target = ctx.inventory.get(ref['kind'], ctx.inventory.namespaceOf(object) ?? 'default', ref['name']);
    const ps = target ? podSpecOf(target.object) : undefined;
    if (!ps) return;
    for (const resource of utilizationResources(object as unknown as Record<string, unknown>, object.apiVersion)) {
      const lacking = containersOf(ps).find((c) => c.kind !== 'ephemeralContainer' && (c.kind === 'container' || c.container.restartPolicy === 'Always') && !hasResource(c.container.resources, 'requests', resource));
      if (!lacking) continue;
      ctx.report('missing', { name: object.metadata.name ?? '', target: `${ref['kind']} "${ref['name']}"`, resource, container: lacking.container.name }, '/spec/scaleTargetRef');
    }
  },
});
