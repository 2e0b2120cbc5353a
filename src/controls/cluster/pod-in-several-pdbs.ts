import { defineControl } from '../../engine/types.js';
import { hasController, pdbsSelecting } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0810',
  name: 'pod-in-several-pdbs',
  title: 'Pods selected by more than one PodDisruptionBudget',
  description:
    'The eviction API refuses to evict a pod that more than one PodDisruptionBudget selects ("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support"): `kubectl drain`, node upgrades and the cluster autoscaler stall on the node that runs such a pod until someone deletes it by hand. It happens when a chart\'s budget and a platform-wide budget overlap, or two budgets use a common label.',
  layer: 'cluster',
  dimensions: ['Disaster Recovery', 'Architecture'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Keep exactly one PodDisruptionBudget per set of pods: narrow the selectors (for example by `app.kubernetes.io/instance`) or delete the redundant budget.',
  messages: { several: 'The pods of {{kind}} "{{name}}" are selected by {{count}} PodDisruptionBudgets ({{pdbs}}): they cannot be evicted, and drains of their nodes stall.' },
  targets: 'object',
  kinds: ['Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet', 'Job', 'CronJob', 'Pod'],
  check(object, ctx) {
    if (hasController(object)) return;
    const pdbs = pdbsSelecting(ctx.inventory, object);
    if (pdbs.length < 2) return;
    ctx.report('several', { kind: object.kind, name: object.metadata.name ?? '', count: pdbs.length, pdbs: pdbs.map((p) => `"${p.object.metadata.name ?? ''}"`).sort().join(', ') }, '/metadata');
  },
});
