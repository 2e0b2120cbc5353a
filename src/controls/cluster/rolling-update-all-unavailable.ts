import { defineControl } from '../../engine/types.js';
import { declaredReplicas, hasController, leastReplicas } from '../support/workloads.js';
import { resolveIntOrPercent, rollingUpdateOf } from '../support/rollout.js';

export default defineControl({
  id: 'KOR-0773',
  name: 'rolling-update-all-unavailable',
  title: 'Rolling update may take every replica down at once',
  description:
    'A rolling update whose `maxUnavailable` resolves to the whole replica count (`100%`, or a number at least the replicas) lets the controller stop every old pod before a new one is ready: each rollout is an outage, exactly like Recreate, while the manifest reads like a safe rolling update. Percentages are resolved as the controllers do (rounded down) against the replicas the workload runs with at the least (the autoscaler\'s minReplicas when one targets it). Judged for Deployments, StatefulSets (maxUnavailable applies with the MaxUnavailableStatefulSet feature) and DaemonSets (against 100% only, since the node count is not known from manifests).',
  layer: 'cluster',
  dimensions: ['Applications', 'Disaster Recovery'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  fixable: true,
  frameworks: {},
  remediation: 'Set `maxUnavailable` to a share that leaves replicas serving (the default 25%, or 0 with a `maxSurge` of 1 or more for workloads that must keep full capacity).',
  messages: {
    all: '{{kind}} "{{name}}" allows maxUnavailable {{value}} with {{replicas}} replica(s): a rollout may stop every pod at once.',
    allNodes: 'DaemonSet "{{name}}" allows maxUnavailable {{value}}: a rollout may stop the pod on every node at once.',
  },
  targets: 'object',
  kinds: ['Deployment', 'StatefulSet', 'DaemonSet'],
  check(object, ctx) {
    if (hasController(object)) return;
    const { type, rollingUpdate, pointer } = rollingUpdateOf(object);
    if (type !== 'RollingUpdate') return;
    const raw = rollingUpdate['maxUnavailable'];
    if (raw === undefined) return;
    const at = `${pointer}/rollingUpdate/maxUnavailable`;
    const fix = { fix: [{ op: 'replace' as const, path: at, value: '25%' }] };
    const name = object.metadata.name ?? '';
    if (object.kind === 'DaemonSet') {
      if (typeof raw === 'string' && /^\s*100%\s*$/.test(raw)) ctx.report('allNodes', { name, value: raw }, at, fix);
      return;
    }
    const n = Math.min(leastReplicas(ctx.inventory, object), declaredReplicas(object));
    if (n < 1) return;
    const resolved = resolveIntOrPercent(raw, n, false);
    if (resolved === undefined || resolved < n) return;
    ctx.report('all', { kind: object.kind, name, value: String(raw), replicas: n }, at, fix);
  },
});
