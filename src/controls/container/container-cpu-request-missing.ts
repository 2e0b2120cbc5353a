import { defineControl } from '../../engine/types.js';
import { celAllContainers, celHas, POD_SPEC } from '../support/cel.js';
import { CONTAINER_KIND_LABEL, hasResource } from '../support/pod.js';

export default defineControl({
  id: 'KOR-0103',
  name: 'container-cpu-request-missing',
  title: 'Container without a CPU request',
  description:
    'Without `resources.requests.cpu` (or a limit, from which the API server defaults the request) the scheduler places the pod as if it needed no CPU: nodes get overcommitted, and the pod is among the first evicted under pressure (with no request at all it gets the BestEffort quality of service class). Ephemeral containers cannot declare resources and are not judged.',
  layer: 'container',
  dimensions: ['Scalability'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: { nsa: ['resource-policies'], mitre: ['T1499'] },
  remediation: 'Set `resources.requests.cpu` on every container, sized from observed usage.',
  messages: { missing: '{{kind}} "{{name}}" has no CPU request.' },
  targets: 'container',
  check({ container, containerKind, podSpec }, ctx) {
    if (containerKind === 'ephemeralContainer') return;
    if (hasResource(podSpec['resources'], 'requests', 'cpu') || hasResource(podSpec['resources'], 'limits', 'cpu')) return;
    if (hasResource(container.resources, 'requests', 'cpu') || hasResource(container.resources, 'limits', 'cpu')) return;
    ctx.report('missing', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name }, container.resources?.requests ? '/resources/requests' : container.resources ? '/resources' : '');
  },
  cel: {
    expression: `(${celHas(POD_SPEC, ['resources', 'requests'])} && 'cpu' in ${POD_SPEC}.resources.requests) || (${celHas(POD_SPEC, ['resources', 'limits'])} && 'cpu' in ${POD_SPEC}.resources.limits) || (${celAllContainers("has(c.resources) && ((has(c.resources.requests) && 'cpu' in c.resources.requests) || (has(c.resources.limits) && 'cpu' in c.resources.limits))", ['containers', 'initContainers'])})`,
    message: 'Every container must set resources.requests.cpu.',
  },
});
