import { defineControl } from '../../engine/types.js';
import { CONTAINER_KIND_LABEL, isLongRunning, runsToCompletion } from '../support/pod.js';

export default defineControl({
  id: 'KOR-0119',
  name: 'liveness-probe-missing',
  title: 'Container without a liveness probe',
  description:
    'A liveness probe lets the kubelet restart a container that is running but no longer working (deadlocked, wedged on a dependency). Without one a hung process keeps its pod in place and keeps serving errors until someone notices. Judged for long-running containers (regular containers and native sidecars) of workloads that do not run to completion (not Jobs or CronJobs, nor pods with restartPolicy Never or OnFailure, such as a Job\'s or a workflow engine\'s pods read from a cluster).',
  layer: 'container',
  dimensions: ['Monitoring & Health Checks', 'Applications'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'medium',
  frameworks: {},
  remediation: 'Add a `livenessProbe` (HTTP, TCP, gRPC or exec) that fails only when the process cannot recover by itself.',
  messages: { missing: '{{kind}} "{{name}}" has no liveness probe (a hung process is never restarted).' },
  targets: 'container',
  check({ container, containerKind, object, podSpec }, ctx) {
    if (!isLongRunning(container, containerKind) || runsToCompletion(object, podSpec)) return;
    if (container.livenessProbe) return;
    ctx.report('missing', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name }, '');
  },
});
