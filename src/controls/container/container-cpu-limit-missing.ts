import { defineControl } from '../../engine/types.js';
import { celAllContainers, celHas, POD_SPEC } from '../support/cel.js';
import { CONTAINER_KIND_LABEL, hasResource } from '../support/pod.js';

/** Containers without a CPU limit can starve their neighbours on the node. */
export default defineControl({
  id: 'KOR-0101',
  name: 'container-cpu-limit-missing',
  title: 'Container without a CPU limit',
  description:
    'A container without `resources.limits.cpu` may use every CPU of its node: a bug, a load spike or a cryptominer in a compromised container then starves the other pods and the node agents. A pod-level CPU limit (`spec.resources.limits.cpu`) also bounds the containers. Ephemeral containers cannot declare resources and are not judged.',
  layer: 'container',
  dimensions: ['Security', 'Scalability'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: { nsa: ['resource-policies'], mitre: ['T1496', 'T1499'] },
  remediation: 'Set `resources.limits.cpu` on every container (or a pod-level `spec.resources.limits.cpu`), sized from observed usage.',
  messages: { missing: '{{kind}} "{{name}}" has no CPU limit.' },
  targets: 'container',
  check({ container, containerKind, podSpec }, ctx) {
    if (containerKind === 'ephemeralContainer') return;
    if (hasResource(podSpec['resources'], 'limits', 'cpu')) return;
    if (hasResource(container.resources, 'limits', 'cpu')) return;
    ctx.report('missing', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name }, container.resources?.limits ? '/resources/limits' : container.resources ? '/resources' : '');
  },
  cel: {
    expression: `(${celHas(POD_SPEC, ['resources', 'limits'])} && 'cpu' in ${POD_SPEC}.resources.limits) || (${celAllContainers("has(c.resources) && has(c.resources.limits) && 'cpu' in c.resources.limits", ['containers', 'initContainers'])})`,
    message: 'Every container must set resources.limits.cpu.',
  },
});
