import { defineControl } from '../../engine/types.js';
import { apiGroupOf } from '../../inventory/inventory.js';
import { compileSelector } from '../../network/selector.js';
import { asRecord, mayHoldUnseenPods, podLabelsOf, workloadsIn } from '../support/workloads.js';

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
    if (apiGroupOf(object.apiVersion) !== 'monitoring.coreos.com') return;
    const spec = asRecord(object['spec']);
    if (!spec || spec['selector'] === undefined) return;
    const nsSel = asRecord(spec['namespaceSelector']);
    if (nsSel?.['any'] === true) return;
    const own = ctx.inventory.namespaceOf(object) ?? 'default';
    const namespaces = Array.isArray(nsSel?.['matchNames']) ? (nsSel['matchNames'] as unknown[]).filter((n): n is string => typeof n === 'string') : [own];
    if (namespaces.length === 0 || namespaces.some((n) => workloadsIn(ctx.inventory, n).length === 0 || mayHoldUnseenPods(ctx.inventory, n))) return;
    const matches = compileSelector(spec['selector']);
    if (namespaces.some((n) => workloadsIn(ctx.inventory, n).some((w) => matches(podLabelsOf(w.object))))) return;
    ctx.report('nothing', { name: object.metadata.name ?? '', where: `namespace${namespaces.length > 1 ? 's' : ''} ${namespaces.map((n) => `"${n}"`).join(', ')}` }, '/spec/selector');
  },
});
