import { defineControl } from '../../engine/types.js';
import { podMetadataOf } from '../../inventory/podspec.js';
import { hasController } from '../support/workloads.js';

const BLOCKERS: Array<[string, string]> = [
  ['cluster-autoscaler.kubernetes.io/safe-to-evict', 'false'],
  ['karpenter.sh/do-not-disrupt', 'true'],
];

export default defineControl({
  id: 'KOR-0817',
  name: 'eviction-blocked-by-annotation',
  title: 'Pods forbid the node autoscaler to move them',
  description:
    'The pod annotation `cluster-autoscaler.kubernetes.io/safe-to-evict: "false"` (Cluster Autoscaler) or `karpenter.sh/do-not-disrupt: "true"` (Karpenter) keeps the node a pod runs on from being scaled down, consolidated or replaced: a few such pods spread over the cluster pin half-empty nodes forever (cost) and hold back node image upgrades (security fixes). Meant for short batch work that must not be interrupted, not for long-running services, which should use a PodDisruptionBudget instead.',
  layer: 'cluster',
  dimensions: ['Scalability', 'Architecture'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: {},
  remediation: 'Remove the annotation from long-running workloads and protect their availability with replicas and a PodDisruptionBudget; keep it only on Jobs that cannot resume after an interruption.',
  messages: { blocked: '{{kind}} "{{name}}" annotates its pods {{annotation}}: the nodes they run on cannot be scaled down or replaced.' },
  targets: 'object',
  kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Pod'],
  check(object, ctx) {
    if (hasController(object)) return;
    const annotations = podMetadataOf(object).annotations;
    if (!annotations || typeof annotations !== 'object') return;
    const base = object.kind === 'Pod' ? '/metadata/annotations' : '/spec/template/metadata/annotations';
    for (const [key, value] of BLOCKERS) {
      if (annotations[key] !== value) continue;
      ctx.report('blocked', { kind: object.kind, name: object.metadata.name ?? '', annotation: `${key}: "${value}"` }, `${base}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    }
  },
});
