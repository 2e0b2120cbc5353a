import { defineControl } from '../../engine/types.js';
import { brokenPdbFor, mayHoldUnseenPods, podsSelectedBy, specOf, workloadsIn } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0703',
  name: 'pdb-selects-nothing',
  title: 'PodDisruptionBudget selects no pods',
  description:
    'A PodDisruptionBudget whose selector matches none of the pods of its namespace protects nothing: the workload it was written for (usually after a label was renamed, or in another namespace) is evicted freely during drains. A budget without a selector selects no pod in policy/v1. When the budget was evidently written for one workload (it bears its name, or its selector is one label value off the workload\'s pod labels), the finding names that workload, and KOR-0701 does not report the workload again. Judged where the inputs hold pod-bearing objects in the budget\'s namespace and no custom resource an operator makes pods for (whose pods the inputs do not show).',
  layer: 'cluster',
  dimensions: ['Disaster Recovery'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Make the budget\'s `spec.selector` match the pod template labels of the workload it protects, in the same namespace, or delete the budget.',
  messages: {
    nothing: 'PodDisruptionBudget "{{name}}" selects no pod of the {{count}} of namespace "{{namespace}}": it protects nothing.',
    intended: 'PodDisruptionBudget "{{name}}" selects no pod: it was evidently written for {{kind}} "{{workload}}" ({{why}}), which it does not protect; a drain may take all its replicas down at once.',
    noSelector: 'PodDisruptionBudget "{{name}}" has no selector: in policy/v1 it selects no pod and protects nothing.',
  },
  targets: 'object',
  kinds: ['PodDisruptionBudget'],
  check(object, ctx) {
    const name = object.metadata.name ?? '';
    const sel = specOf(object)['selector'];
    if ((sel === undefined || sel === null) && object.apiVersion === 'policy/v1') {
      ctx.report('noSelector', { name }, '/spec');
      return;
    }
    const ns = ctx.inventory.namespaceOf(object) ?? 'default';
    const workloads = workloadsIn(ctx.inventory, ns);
    if (workloads.length === 0 || mayHoldUnseenPods(ctx.inventory, ns)) return;
    if (podsSelectedBy(workloads, sel).length > 0) return;
    const meant = workloads.find((w) => brokenPdbFor(ctx.inventory, w.object)?.object === object);
    if (meant) {
      const why = meant.object.metadata.name === name ? 'it bears its name' : 'its selector is one label value off the pod labels';
      ctx.report('intended', { name, kind: meant.object.kind, workload: meant.object.metadata.name ?? '', why }, '/spec/selector');
      return;
    }
    ctx.report('nothing', { name, count: workloads.length === 1 ? '1 workload' : `${workloads.length} workloads`, namespace: ns }, '/spec/selector');
  },
});
