import { defineControl } from '../../engine/types.js';

export default defineControl({
  id: 'KOR-0244',
  name: 'apiservice-tls-unverified',
  title: 'Aggregated API served without certificate verification',
  description:
    'An APIService with `insecureSkipTLSVerify: true` makes the API server forward every request for its group and version (with the caller\'s identity in impersonation headers) to a Service whose certificate it does not check. Whoever can answer in that Service\'s place (a pod that wins its selector, a changed Endpoints object, anyone on the path) receives those requests and decides what the cluster\'s clients see for the whole API group. metrics-server\'s manifests ship this way; a `caBundle` fixes it.',
  layer: 'cluster',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: { nsa: ['encryption'], mitre: ['T1557'] },
  remediation: 'Give the aggregated server a certificate from a CA you control (cert-manager\'s CA injector can fill it in) and set `caBundle` with `insecureSkipTLSVerify: false`.',
  messages: { skip: 'APIService "{{name}}" forwards {{group}} requests to Service {{service}} without verifying its certificate.' },
  targets: 'object',
  kinds: ['APIService'],
  check(object, ctx) {
    const spec = object['spec'] as { insecureSkipTLSVerify?: unknown; service?: { name?: unknown; namespace?: unknown } | null; group?: unknown; version?: unknown } | undefined;
    if (!spec || spec.insecureSkipTLSVerify !== true || !spec.service || typeof spec.service !== 'object') return;
    const svc = `${typeof spec.service.namespace === 'string' ? spec.service.namespace : '?'}/${typeof spec.service.name === 'string' ? spec.service.name : '?'}`;
    const group = `${typeof spec.group === 'string' && spec.group ? spec.group : 'core'}/${typeof spec.version === 'string' ? spec.version : '?'}`;
    ctx.report('skip', { name: object.metadata.name ?? '', group, service: svc }, '/spec/insecureSkipTLSVerify');
  },
});
