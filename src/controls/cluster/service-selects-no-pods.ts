import { defineControl } from '../../engine/types.js';
import { mayHoldUnseenPods, podsOfService, serviceSelector, workloadsIn } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0730',
  name: 'service-selects-no-pods',
  title: 'Service selects no pods',
  description:
    'A Service whose selector matches the pods of no workload in its namespace has no endpoints: clients get connection refused or time-outs, usually because a label was renamed on one side only. Services without a selector (endpoints managed by hand, ExternalName) are not judged, nor namespaces where the inputs hold no pod-bearing object or hold custom resources an operator makes pods for (their pods are not in the inputs).',
  layer: 'cluster',
  dimensions: ['Applications', 'Architecture'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Make the Service\'s `spec.selector` match the pod template labels of the workload it fronts, or delete the Service.',
  messages: { nothing: 'Service "{{name}}" selects no pod of namespace "{{namespace}}" ({{selector}}): it has no endpoints.' },
  targets: 'object',
  kinds: ['Service'],
  check(object, ctx) {
    const sel = serviceSelector(object);
    if (!sel || (object['spec'] as { type?: unknown } | undefined)?.type === 'ExternalName') return;
    const ns = ctx.inventory.namespaceOf(object) ?? 'default';
    if (workloadsIn(ctx.inventory, ns).length === 0 || mayHoldUnseenPods(ctx.inventory, ns)) return;
    if (podsOfService(ctx.inventory, object).length > 0) return;
    const selector = Object.entries(sel).map(([k, v]) => `${k}=${v}`).sort().join(',');
    ctx.report('nothing', { name: object.metadata.name ?? '', namespace: ns, selector }, '/spec/selector');
  },
});
