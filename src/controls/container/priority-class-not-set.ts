import { defineControl } from '../../engine/types.js';
import type { Inventory } from '../../inventory/inventory.js';
import { runsToCompletion } from '../support/pod.js';

const defaults = new WeakMap<Inventory, boolean>();

/** The inputs hold a PriorityClass with `globalDefault: true`: admission gives it to pods that name none. */
function hasGlobalDefault(inv: Inventory): boolean {
  let v = defaults.get(inv);
  if (v === undefined) {
    v = inv.byKind('PriorityClass').some((p) => (p.object.apiVersion ?? '').startsWith('scheduling.k8s.io/') && (p.object as { globalDefault?: unknown }).globalDefault === true);
    defaults.set(inv, v);
  }
  return v;
}

/** Long-running workload kinds judged (batch work usually runs at the default priority on purpose). */
const KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

export default defineControl({
  id: 'KOR-0724',
  name: 'priority-class-not-set',
  title: 'Workload without a priority class',
  description:
    'Without `priorityClassName` every pod has priority 0: when the cluster is full, the scheduler cannot preempt batch or best-effort pods to place a critical service, and under node pressure the kubelet evicts by usage rather than by importance. Judged for Deployments, StatefulSets and DaemonSets; not reported when the inputs hold a PriorityClass with `globalDefault: true` (the Priority admission plugin gives it to every pod that names none, so the pods are ranked). A cluster\'s global default that is not in the inputs is not seen: scan it with the cluster\'s PriorityClasses, or accept the finding.',
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
    if (hasGlobalDefault(ctx.inventory)) return;
    ctx.report('missing', { kind: object.kind, name: object.metadata.name ?? '' }, '');
  },
});
