import { defineControl } from '../../engine/types.js';
import { CONTAINER_KIND_LABEL, isBatchWorkload, isLongRunning } from '../support/pod.js';

export default defineControl({
  id: 'KOR-0119',
  name: 'liveness-probe-missing',
  title: 'Container without a liveness probe',
  description:
    'A liveness probe lets the kubelet restart a container that is running but no longer working (deadlocked, wedged on a dependency). Without one a hung process keeps its pod in place and keeps serving errors until someone notices. Judged for long-running containers (regular containers and native sidecars) of workloads that are not Jobs or CronJobs.',
  layer: 'container',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'medium',
  frameworks: {},
  remediation: 'Add a `livenessProbe` (HTTP, TCP, gRPC or exec) that fails only when the process cannot recover by itself.',
  messages: { missing: '{{kind}} "{{name}}" has no liveness probe (a hung process is never restarted).' },
  targets: 'container',
  check({ container, containerKind, object }, ctx) {
    if (!isLongRunning(container, containerKind) || isBatchWorkload(object.kind)) return;
    if (object.kind === 'Pod' && (object['spec'] as { restartPolicy?: string } | undefined)?.restartPolicy === 'Never') return;
    if (container.livenessProbe) return;
    ctx.report('missing', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name }, '');
  },
});
