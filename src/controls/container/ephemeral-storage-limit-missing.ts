import { defineControl } from '../../engine/types.js';
import { CONTAINER_KIND_LABEL, isLongRunning, runsToCompletion } from '../support/pod.js';
import { resourceOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0746',
  name: 'ephemeral-storage-limit-missing',
  title: 'Container without an ephemeral-storage limit',
  description:
    'Logs, writable layers and emptyDir volumes all use the node\'s disk. A container without an `ephemeral-storage` limit can fill it (a debug log level, a runaway cache): the kubelet then reports DiskPressure and evicts pods of other workloads on the node too. With a limit only the offending pod is evicted. Judged for long-running containers of workloads that do not run to completion.',
  layer: 'container',
  dimensions: ['Scalability', 'Storage & Backup'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'info',
  effort: 'low',
  frameworks: {},
  remediation: 'Set `resources.limits.ephemeral-storage` (and a request) to what the container writes locally, and size emptyDir volumes with `sizeLimit`.',
  messages: { missing: '{{kind}} "{{name}}" has no ephemeral-storage limit: it can fill the node\'s disk and get other pods evicted.' },
  targets: 'container',
  check({ container, containerKind, object, podSpec }, ctx) {
    if (!isLongRunning(container, containerKind) || runsToCompletion(object, podSpec)) return;
    if (resourceOf(container.resources, 'limits', 'ephemeral-storage') !== undefined) return;
    ctx.report('missing', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name }, '');
  },
});
