import { defineControl } from '../../engine/types.js';
import { podSpecOf } from '../../inventory/podspec.js';
import { asRecord, hasController, leastReplicas, REPLICATED_KINDS } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0704',
  name: 'replicas-without-spread',
  title: 'Replicas not spread over nodes or zones',
  description:
    'Replicas only protect against a node or zone failure when they run on different nodes or zones. Without pod anti-affinity or topology spread constraints the scheduler may place every replica of a Deployment or StatefulSet on the same node, and losing that node takes them all. Judged for workloads with at least two replicas; either a podAntiAffinity term (required or preferred) or a topologySpreadConstraints entry counts.',
  layer: 'cluster',
  dimensions: ['Disaster Recovery', 'Architecture'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: {},
  remediation: 'Add `topologySpreadConstraints` over `kubernetes.io/hostname` (and `topology.kubernetes.io/zone`) selecting the workload\'s pods, or a preferred `podAntiAffinity` on the hostname.',
  messages: { unspread: '{{kind}} "{{name}}" runs {{replicas}} or more replicas without pod anti-affinity or topology spread constraints: they may all land on one node.' },
  targets: 'object',
  kinds: REPLICATED_KINDS as string[],
  check(object, ctx) {
    if (hasController(object)) return;
    const replicas = leastReplicas(ctx.inventory, object);
    if (replicas < 2) return;
    const ps = podSpecOf(object);
    if (!ps) return;
    const anti = asRecord(asRecord(ps.spec['affinity'])?.['podAntiAffinity']);
    const hasAnti = anti !== undefined && ['requiredDuringSchedulingIgnoredDuringExecution', 'preferredDuringSchedulingIgnoredDuringExecution'].some((k) => Array.isArray(anti[k]) && (anti[k] as unknown[]).length > 0);
    const spread = ps.spec['topologySpreadConstraints'];
    if (hasAnti || (Array.isArray(spread) && spread.length > 0)) return;
    ctx.report('unspread', { kind: object.kind, name: object.metadata.name ?? '', replicas }, ps.pointer);
  },
});
