import { defineControl } from '../../engine/types.js';
import { asArray, isMirrorPod } from '../support/pod.js';

export default defineControl({
  id: 'KOR-0144',
  name: 'pod-without-controller',
  title: 'Pod created without a controller',
  description:
    'A bare Pod is not recreated when its node fails or it is evicted, cannot be updated by a rollout, and escapes policies written for workload controllers. Managing pods through a Deployment, StatefulSet, DaemonSet or Job keeps them self-healing and their changes reviewable. Static (mirror) pods and pods with an owner are not reported.',
  layer: 'container',
  dimensions: ['Security', 'Architecture', 'Disaster Recovery'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: {},
  remediation: 'Wrap the pod template in a Deployment (or StatefulSet, DaemonSet, Job as fits) instead of creating the Pod directly.',
  messages: { bare: 'Pod "{{name}}" is not managed by any controller.' },
  targets: 'object',
  kinds: ['Pod'],
  check(object, ctx) {
    if (asArray(object.metadata.ownerReferences).length > 0) return;
    if (isMirrorPod(object)) return;
    ctx.report('bare', { name: object.metadata.name ?? object.metadata.generateName ?? '' }, '/kind');
  },
  cel: {
    expression: "(has(object.metadata.ownerReferences) && size(object.metadata.ownerReferences) > 0) || (has(object.metadata.annotations) && 'kubernetes.io/config.mirror' in object.metadata.annotations)",
    message: 'Pods must be created by a controller (Deployment, Job, ...).',
  },
});
