import { defineControl } from '../../engine/types.js';
import { declaredReplicas, hasController, leastReplicas, objectsIn, podsSelectedBy, REPLICATED_KINDS, specOf } from '../support/workloads.js';

/** `0`, `"0"`, `"0%"`. */
function isZero(v: unknown): boolean {
  return v === 0 || v === '0' || v === '0%';
}

export default defineControl({
  id: 'KOR-0702',
  name: 'pdb-allows-no-disruption',
  title: 'PodDisruptionBudget allows no disruption',
  description:
    'A PodDisruptionBudget with `maxUnavailable: 0`, `minAvailable: 100%`, or a `minAvailable` at or above the replica count of every workload it selects never lets a pod be evicted: node drains hang, cluster upgrades and the autoscaler\'s scale-down stall until someone deletes the budget by hand. The replica count is read from the Deployments and StatefulSets of the namespace the budget selects (their autoscaler\'s minReplicas when one targets them); a budget selecting none of them is judged only on its own fields.',
  layer: 'cluster',
  dimensions: ['Disaster Recovery', 'Architecture'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Allow at least one pod to be down: `maxUnavailable: 1` (or a percentage above 0), or a `minAvailable` below the replica count.',
  messages: {
    zero: 'PodDisruptionBudget "{{name}}" sets {{field}}: {{value}}: no pod it selects can ever be evicted, so node drains block.',
    allReplicas: 'PodDisruptionBudget "{{name}}" requires minAvailable {{value}} while {{workloads}} runs {{replicas}}: no pod can be evicted, so node drains block.',
  },
  targets: 'object',
  kinds: ['PodDisruptionBudget'],
  check(object, ctx) {
    const spec = specOf(object);
    const name = object.metadata.name ?? '';
    if (spec['maxUnavailable'] !== undefined && isZero(spec['maxUnavailable'])) {
      ctx.report('zero', { name, field: 'maxUnavailable', value: String(spec['maxUnavailable']) }, '/spec/maxUnavailable');
      return;
    }
    const min = spec['minAvailable'];
    if (min === '100%') {
      ctx.report('zero', { name, field: 'minAvailable', value: '100%' }, '/spec/minAvailable');
      return;
    }
    if (typeof min !== 'number' || min <= 0) return;
    const ns = ctx.inventory.namespaceOf(object) ?? 'default';
    const selected = REPLICATED_KINDS.flatMap((k) => podsSelectedBy(objectsIn(ctx.inventory, k, ns), spec['selector'])).filter((w) => !hasController(w.object) && declaredReplicas(w.object) > 0);
    if (selected.length === 0) return;
    const replicas = selected.reduce((n, w) => n + leastReplicas(ctx.inventory, w.object), 0);
    if (min < replicas) return;
    const workloads = selected.map((w) => `${w.object.kind} "${w.object.metadata.name ?? ''}"`).sort().join(', ');
    ctx.report('allReplicas', { name, value: min, workloads, replicas }, '/spec/minAvailable');
  },
});
