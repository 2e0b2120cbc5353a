import { defineControl } from '../../engine/types.js';

/** PriorityClasses every cluster has. */
const BUILT_IN = new Set(['system-cluster-critical', 'system-node-critical']);

export default defineControl({
  id: 'KOR-0725',
  name: 'priority-class-unknown',
  title: 'Pod names a PriorityClass that does not exist',
  description:
    'The Priority admission plugin rejects a pod whose `priorityClassName` names no PriorityClass: the workload\'s ReplicaSet or Job then creates no pod at all, and only its events say why. Judged when the inputs hold PriorityClasses (a live cluster, a snapshot, or manifests that define some); the two built-in classes always exist.',
  layer: 'container',
  dimensions: ['Applications'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Create the PriorityClass, or name an existing one in `priorityClassName`.',
  messages: { unknown: '{{kind}} "{{name}}" names PriorityClass "{{class}}", which does not exist: its pods are rejected.' },
  targets: 'podSpec',
  check({ podSpec, object }, ctx) {
    const p = podSpec['priorityClassName'];
    if (typeof p !== 'string' || p === '' || BUILT_IN.has(p)) return;
    const classes = ctx.inventory.byKind('PriorityClass');
    if (classes.length === 0 || classes.some((c) => c.object.metadata.name === p)) return;
    ctx.report('unknown', { kind: object.kind, name: object.metadata.name ?? '', class: p }, '/priorityClassName');
  },
});
