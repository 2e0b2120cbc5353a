import { defineControl } from '../../engine/types.js';
import { isVpa, vpaTarget } from '../support/vpa.js';
import { objectsIn } from '../support/workloads.js';

const BUILT_IN = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob']);

export default defineControl({
  id: 'KOR-0759',
  name: 'vpa-target-missing',
  title: 'VerticalPodAutoscaler targets a workload that does not exist',
  description:
    'A VerticalPodAutoscaler whose `targetRef` names a workload absent from its namespace recommends and changes nothing: the workload it was written for (usually renamed) runs with requests nobody sizes. Judged for built-in workload kinds, where the inputs hold at least one workload of the VPA\'s namespace.',
  layer: 'cluster',
  dimensions: ['Scalability'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: {},
  remediation: 'Point `spec.targetRef` at the workload\'s current kind and name, or delete the VerticalPodAutoscaler.',
  messages: { missing: 'VerticalPodAutoscaler "{{name}}" targets {{kind}} "{{target}}", which is not in namespace "{{namespace}}".' },
  targets: 'object',
  kinds: ['VerticalPodAutoscaler'],
  check(object, ctx) {
    if (!isVpa(object)) return;
    const t = vpaTarget(object);
    if (!t || !BUILT_IN.has(t.kind)) return;
    const ns = ctx.inventory.namespaceOf(object) ?? 'default';
    if (ctx.inventory.get(t.kind, ns, t.name)) return;
    if (![...BUILT_IN].some((k) => objectsIn(ctx.inventory, k, ns).length > 0)) return;
    ctx.report('missing', { name: object.metadata.name ?? '', kind: t.kind, target: t.name, namespace: ns }, '/spec/targetRef/name');
  },
});
