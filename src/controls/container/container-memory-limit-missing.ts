import { defineControl } from '../../engine/types.js';
import { celAllContainers, celHas, POD_SPEC } from '../support/cel.js';
import { CONTAINER_KIND_LABEL, hasResource } from '../support/pod.js';

export default defineControl({
  id: 'KOR-0102',
  supersedes: { field: ['KOR-0101', 'KOR-0103', 'KOR-0104'] },
  name: 'container-memory-limit-missing',
  title: 'Container without a memory limit',
  description:
    'A container without `resources.limits.memory` may grow until the node runs out of memory: the kernel then kills processes of other pods, and a memory leak or a denial-of-service input in one container becomes an outage of the node. A pod-level memory limit (`spec.resources.limits.memory`) also bounds the containers. Ephemeral containers cannot declare resources and are not judged.',
  layer: 'container',
  dimensions: ['Security', 'Scalability', 'Applications'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: { nsa: ['resource-policies'], mitre: ['T1499'] },
  remediation: 'Set `resources.limits.memory` on every container (or a pod-level `spec.resources.limits.memory`), sized from observed usage.',
  messages: { missing: '{{kind}} "{{name}}" has no memory limit.' },
  targets: 'container',
  check({ container, containerKind, podSpec }, ctx) {
    if (containerKind === 'ephemeralContainer') return;
    if (hasResource(podSpec['resources'], 'limits', 'memory')) return;
    if (hasResource(container.resources, 'limits', 'memory')) return;
    ctx.report('missing', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name }, container.resources?.limits ? '/resources/limits' : container.resources ? '/resources' : '');
  },
  cel: {
    expression: `(${celHas(POD_SPEC, ['resources', 'limits'])} && 'memory' in ${POD_SPEC}.resources.limits) || (${celAllContainers("has(c.resources) && has(c.resources.limits) && 'memory' in c.resources.limits", ['containers', 'initContainers'])})`,
    message: 'Every container must set resources.limits.memory.',
  },
});
