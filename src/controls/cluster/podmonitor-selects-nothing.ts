import { defineControl } from '../../engine/types.js';
import { mayHoldUnseenPods, workloadsIn } from '../support/workloads.js';
import { monitorScope, workloadsSelected } from '../support/monitors.js';

export default defineControl({
  id: 'KOR-0769',
  name: 'podmonitor-selects-nothing',
  title: 'PodMonitor selects no pods',
  description:
    'A Prometheus Operator PodMonitor scrapes the pods its `selector` (and `namespaceSelector`) match; one that matches no pod scrapes nothing, and the dashboards and alerts built on it stay empty. Judged where the inputs hold workloads in every namespace the monitor looks in, and no custom resource an operator makes pods for there.',
  layer: 'cluster',
  dimensions: ['Monitoring & Health Checks'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Make the PodMonitor\'s `spec.selector` match the pod template labels of the workload to scrape, and its `namespaceSelector` the workload\'s namespace.',
  messages: { nothing: 'PodMonitor "{{name}}" selects no pod in {{where}}: it scrapes nothing.' },
  targets: 'object',
  kinds: ['PodMonitor'],
  check(object, ctx) {
    const scope = monitorScope(object, ctx.inventory);
    // `any` namespace: pods anywhere, which files rarely hold all of
    if (!scope || scope.namespaces === 'any') return;
    const namespaces = scope.namespaces;
    if (namespaces.length === 0 || namespaces.some((n) => workloadsIn(ctx.inventory, n).length === 0 || mayHoldUnseenPods(ctx.inventory, n))) return;
    if (workloadsSelected(namespaces, scope.selector, ctx.inventory).length > 0) return;
    ctx.report('nothing', { name: object.metadata.name ?? '', where: scope.where }, '/spec/selector');
  },
});
