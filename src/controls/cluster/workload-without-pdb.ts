import { defineControl } from '../../engine/types.js';
import { brokenPdbFor, hasController, leastReplicas, pdbsSelecting, REPLICATED_KINDS } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0701',
  name: 'workload-without-pdb',
  title: 'Replicated workload without a PodDisruptionBudget',
  description:
    'A PodDisruptionBudget tells voluntary disruptions (node drains for upgrades, the cluster autoscaler removing a node, evictions) how many pods of a workload may be down at once. Without one, a drain may evict every replica of a Deployment or StatefulSet at the same time. Judged for workloads that run at least two replicas (a budget cannot help a single replica); the budget must live in the workload\'s namespace and select its pods. A budget that was written for the workload but selects nothing (its name, or a selector one label value off) is KOR-0703\'s finding, which names the workload: one mistake, one finding.',
  layer: 'cluster',
  dimensions: ['Disaster Recovery', 'Architecture'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: {},
  remediation: 'Add a PodDisruptionBudget (policy/v1) in the workload\'s namespace whose selector matches its pod labels, with `maxUnavailable: 1` (or a `minAvailable` below the replica count).',
  messages: { missing: '{{kind}} "{{name}}" runs {{replicas}} or more replicas but no PodDisruptionBudget selects its pods: a drain may take them all down at once.' },
  targets: 'object',
  kinds: REPLICATED_KINDS as string[],
  check(object, ctx) {
    if (hasController(object)) return;
    const replicas = leastReplicas(ctx.inventory, object);
    if (replicas < 2) return;
    if (pdbsSelecting(ctx.inventory, object).length > 0) return;
    if (brokenPdbFor(ctx.inventory, object)) return; // KOR-0703 reports the budget's selector, naming this workload
    ctx.report('missing', { kind: object.kind, name: object.metadata.name ?? '', replicas }, '/spec/template/metadata');
  },
});
