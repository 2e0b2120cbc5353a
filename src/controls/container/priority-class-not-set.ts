import { defineControl } from '../../engine/types.js';
import { runsToCompletion } from '../support/pod.js';

/** Long-running workload kinds judged (batch work usually runs at the default priority on purpose). */
const KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

export default defineControl({
  id: 'KOR-0724',
  name: 'priority-class-not-set',
  title: 'Workload without a priority class',
  description:
    'Without `priorityClassName` every pod has priority 0 (or the cluster\'s global default): when the cluster is full, the scheduler cannot preempt batch or best-effort pods to place a critical service, and under node pressure the kubelet evicts by usage rather than by importance. Judged for Deployments, StatefulSets and DaemonSets.',
  layer: 'container',
  dimensions: ['Applications', 'Scalability'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'medium',
  frameworks: {},
  remediation: 'Define a few PriorityClasses (for example critical, standard, batch) and set `priorityClassName` on every long-running workload.',
  messages: { missing: '{{kind}} "{{name}}" sets no priorityClassName: it cannot preempt, nor be ranked, when the cluster is full.' },
  targets: 'podSpec',
  check({ podSpec, object }, ctx) {
    if (!KINDS.has(object.kind) || runsToCompletion(object, podSpec)) return;
    const p = podSpec['priorityClassName'];
    if (typeof p === 'string' && p !== '') return;
    ctx.report('missing', { kind: object.kind, name: object.metadata.name ?? '' }, '');
  },
});
