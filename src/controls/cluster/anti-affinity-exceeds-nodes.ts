import { defineControl } from '../../engine/types.js';
import { podSpecOf } from '../../inventory/podspec.js';
import { compileSelector } from '../../network/selector.js';
import { schedulableWorkerNodes } from '../support/nodes.js';
import { asRecord, declaredReplicas, hasController, hpaMax, hpasTargeting, podLabelsOf, specOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0779',
  name: 'anti-affinity-exceeds-nodes',
  title: 'Required anti-affinity allows fewer pods than the workload wants',
  description:
    'A required pod anti-affinity on `kubernetes.io/hostname` that selects the workload\'s own pods allows one pod per node. With more replicas (or an autoscaler maximum) than schedulable worker nodes, the extra pods stay Pending for good: a rollout with a surge cannot start its new pods, and the autoscaler cannot add capacity in a peak. Judged where the inputs hold the cluster\'s Nodes (a live cluster or a snapshot); cordoned and control-plane nodes are not counted.',
  layer: 'cluster',
  dimensions: ['Scalability', 'Architecture'],
  phases: ['deploy', 'runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: {},
  remediation: 'Use `preferredDuringSchedulingIgnoredDuringExecution` anti-affinity or a topology spread constraint with `maxSkew: 1` instead of the required rule, or keep replicas (and maxReplicas) at most the number of nodes.',
  messages: { exceeds: '{{kind}} "{{name}}" wants up to {{replicas}} pods ({{why}}) but its required anti-affinity allows one per node and {{nodes}} node(s) are schedulable: the rest stay Pending.' },
  targets: 'object',
  kinds: ['Deployment', 'StatefulSet', 'ReplicaSet'],
  check(object, ctx) {
    if (hasController(object)) return;
    const nodes = schedulableWorkerNodes(ctx.inventory);
    if (nodes.length === 0) return;
    const ps = podSpecOf(object);
    if (!ps) return;
    const terms = asRecord(asRecord(ps.spec['affinity'])?.['podAntiAffinity'])?.['requiredDuringSchedulingIgnoredDuringExecution'];
    if (!Array.isArray(terms)) return;
    const labels = podLabelsOf(object);
    const index = terms.findIndex((t) => {
      const r = asRecord(t);
      return r?.['topologyKey'] === 'kubernetes.io/hostname' && compileSelector(r['labelSelector'])(labels);
    });
    if (index < 0) return;
    const declared = declaredReplicas(object);
    const max = Math.max(0, ...hpasTargeting(ctx.inventory, object).map((h) => hpaMax(h.object) ?? 0));
    const surge = object.kind === 'Deployment' && asRecord(specOf(object)['strategy'])?.['type'] !== 'Recreate';
    const [wanted, why] = max > declared ? [max, 'the autoscaler\'s maxReplicas'] : [declared, 'its replicas'];
    if (wanted <= nodes.length && !(surge && wanted === nodes.length && wanted > 0)) return;
    const reportWhy = wanted > nodes.length ? why : `${why}, plus a rolling-update surge`;
    ctx.report('exceeds', { kind: object.kind, name: object.metadata.name ?? '', replicas: wanted > nodes.length ? wanted : wanted + 1, why: reportWhy, nodes: nodes.length }, `${ps.pointer}/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/${index}`);
  },
});
