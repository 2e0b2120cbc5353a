import { defineControl } from '../../engine/types.js';
import { asRecord, objectsIn, specOf } from '../support/workloads.js';

/** Built-in kinds an HPA scales (custom resources with a scale subresource may be installed elsewhere). */
const SCALABLE = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);

export default defineControl({
  id: 'KOR-0706',
  name: 'hpa-target-missing',
  title: 'HorizontalPodAutoscaler targets a workload that does not exist',
  description:
    'An autoscaler whose `scaleTargetRef` names a Deployment, StatefulSet, ReplicaSet or ReplicationController that is not in its namespace scales nothing (its status says FailedGetScale): usually the workload was renamed and the autoscaler left behind, so the workload runs at a fixed size nobody chose. Judged for built-in target kinds, where the inputs hold at least one workload of the autoscaler\'s namespace (a repository holding only autoscalers is not judged).',
  layer: 'cluster',
  dimensions: ['Scalability'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Point `spec.scaleTargetRef` at the workload\'s current kind and name (same namespace), or delete the autoscaler.',
  messages: { missing: 'HorizontalPodAutoscaler "{{name}}" targets {{kind}} "{{target}}", which is not in namespace "{{namespace}}": it scales nothing.' },
  targets: 'object',
  kinds: ['HorizontalPodAutoscaler'],
  check(object, ctx) {
    const ref = asRecord(specOf(object)['scaleTargetRef']);
    if (!ref || typeof ref['kind'] !== 'string' || typeof ref['name'] !== 'string' || !SCALABLE.has(ref['kind'])) return;
    const ns = ctx.inventory.namespaceOf(object) ?? 'default';
    if (ctx.inventory.get(ref['kind'], ns, ref['name'])) return;
    const hasWorkloads = [...SCALABLE].some((k) => objectsIn(ctx.inventory, k, ns).length > 0);
    if (!hasWorkloads) return;
    ctx.report('missing', { name: object.metadata.name ?? '', kind: ref['kind'], target: ref['name'], namespace: ns }, '/spec/scaleTargetRef/name');
  },
});
