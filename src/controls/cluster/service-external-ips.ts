import { defineControl } from '../../engine/types.js';

export default defineControl({
  id: 'KOR-0135',
  name: 'service-external-ips',
  title: 'Service declares externalIPs',
  description:
    'Nodes route traffic for a Service\'s `spec.externalIPs` to its endpoints, and nothing checks that the creator owns those addresses. Anyone who can create or edit a Service can therefore intercept traffic of the whole cluster to any IP (CVE-2020-8554, a design issue with no patch). Legitimate uses are rare; the DenyServiceExternalIPs admission plugin or a policy should block the field.',
  layer: 'cluster',
  dimensions: ['Security'],
  guard: 'admission',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'high',
  effort: 'low',
  fixable: true,
  frameworks: { nsa: ['network-separation'], mitre: ['T1557'] },
  remediation: 'Remove `spec.externalIPs` and expose the Service with a LoadBalancer or Ingress; enable the DenyServiceExternalIPs admission plugin or an admission policy rejecting the field.',
  messages: { externalIPs: 'Service "{{name}}" claims external IPs {{ips}} (traffic to them from the cluster is redirected to this Service).' },
  targets: 'object',
  kinds: ['Service'],
  check(object, ctx) {
    const ips = (object['spec'] as { externalIPs?: unknown } | undefined)?.externalIPs;
    if (!Array.isArray(ips) || ips.length === 0) return;
    ctx.report('externalIPs', { name: object.metadata.name ?? '', ips: ips.map(String).join(', ') }, '/spec/externalIPs', { fix: [{ op: 'remove', path: '/spec/externalIPs' }] });
  },
  cel: { expression: '!has(object.spec.externalIPs) || size(object.spec.externalIPs) == 0', message: 'Services must not set externalIPs (CVE-2020-8554).' },
});
