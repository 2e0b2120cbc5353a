import { defineControl } from '../../engine/types.js';
import { CONTAINER_KIND_LABEL, isBatchWorkload, isLongRunning } from '../support/pod.js';

export default defineControl({
  id: 'KOR-0120',
  name: 'readiness-probe-missing',
  title: 'Container without a readiness probe',
  description:
    'A readiness probe tells Kubernetes when a container can take traffic. Without one the pod is added to Service endpoints as soon as its containers start, and stays there while it is overloaded or shutting down: clients see errors during rollouts and partial failures. Judged for long-running containers (regular containers and native sidecars) of workloads that are not Jobs or CronJobs.',
  layer: 'container',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'medium',
  frameworks: {},
  remediation: 'Add a `readinessProbe` that succeeds only when the container can serve requests.',
  messages: { missing: '{{kind}} "{{name}}" has no readiness probe (receives traffic before it is ready).' },
  targets: 'container',
  check({ container, containerKind, object }, ctx) {
    if (!isLongRunning(container, containerKind) || isBatchWorkload(object.kind)) return;
    if (object.kind === 'Pod' && (object['spec'] as { restartPolicy?: string } | undefined)?.restartPolicy === 'Never') return;
    if (container.readinessProbe) return;
    ctx.report('missing', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name }, '');
  },
});
