import { defineControl } from '../../engine/types.js';

export default defineControl({
  id: 'KOR-0139',
  name: 'ingress-default-backend',
  title: 'Ingress declares a default backend',
  description:
    'An Ingress `spec.defaultBackend` (`spec.backend` in the removed beta API) receives every request that matches no rule, for any host and path the controller is reachable under. Scanners and attackers probing the load balancer by IP or random names land on that service, which was usually written for one host and path.',
  layer: 'cluster',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: { nsa: ['network-separation'], mitre: ['T1190'] },
  remediation: 'Remove the default backend and route traffic with explicit host and path rules; let the controller answer unmatched requests with 404.',
  messages: { defaultBackend: 'Ingress "{{name}}" sends every unmatched request to its default backend.' },
  targets: 'object',
  kinds: ['Ingress'],
  check(object, ctx) {
    const spec = object['spec'] as { defaultBackend?: unknown; backend?: unknown } | undefined;
    if (!spec) return;
    const field = spec.defaultBackend ? 'defaultBackend' : spec.backend ? 'backend' : undefined;
    if (field) ctx.report('defaultBackend', { name: object.metadata.name ?? '' }, `/spec/${field}`);
  },
  cel: { expression: '!has(object.spec.defaultBackend)', message: 'Ingresses must not declare a default backend.' },
});
