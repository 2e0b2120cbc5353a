import { defineControl, type Severity } from '../../engine/types.js';

/** Names and addresses of the cloud instance metadata services. */
const METADATA = /^(?:169\.254\.169\.254|169\.254\.170\.2|100\.100\.100\.200|fd00:ec2::254|metadata\.google\.internal|metadata\.goog|metadata|instance-data(?:\.ec2\.internal)?)$/i;
const LOOPBACK = /^(?:localhost|localhost\.localdomain|127(?:\.\d{1,3}){3}|::1|0\.0\.0\.0|0)$/i;
const LINK_LOCAL = /^169\.254\.\d{1,3}\.\d{1,3}$/;

function targetOf(name: string): { what: string; severity: Severity } | undefined {
  const n = name.trim().replace(/\.$/, '');
  if (METADATA.test(n)) return { what: 'the cloud instance metadata service', severity: 'high' };
  if (LINK_LOCAL.test(n)) return { what: 'a link-local address (where cloud metadata and node-local agents listen)', severity: 'high' };
  if (LOOPBACK.test(n)) return { what: 'the loopback address of whoever resolves it (an ingress controller, a proxy)', severity: 'medium' };
  return undefined;
}

export default defineControl({
  id: 'KOR-0236',
  name: 'service-external-name-sensitive-target',
  title: 'ExternalName Service points at the metadata service or loopback',
  description:
    'An ExternalName Service is a DNS alias, and ingress controllers and meshes that route to it connect to the name from their own pods. Pointed at `169.254.169.254`, `metadata.google.internal` or `localhost`, it turns an Ingress rule into a request forgery: the internet reaches the cloud metadata service (and the node\'s cloud credentials) or the controller\'s own admin ports through the controller. The API server accepts such names (it refuses loopback and link-local addresses only in Endpoints).',
  layer: 'cluster',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'high',
  effort: 'low',
  frameworks: { nsa: ['protecting-sensitive-cloud-infrastructure'], mitre: ['T1552.005', 'T1090'] },
  remediation: 'Delete the Service (or point it at the real external host); restrict who may create Services of type ExternalName with an admission policy, and block the metadata address in the ingress controller\'s egress.',
  messages: { target: 'Service "{{name}}" is an ExternalName alias for {{target}}, {{what}}.' },
  severityTable: [
    { case: 'cloud metadata name or link-local address', severity: 'high', reason: 'Cloud credentials of the node are one request away.' },
    { case: 'loopback', severity: 'medium', reason: 'Admin and metrics ports of the proxy that follows the alias become reachable.' },
  ],
  targets: 'object',
  kinds: ['Service'],
  check(object, ctx) {
    const spec = object['spec'] as { type?: unknown; externalName?: unknown } | undefined;
    if (!spec || spec.type !== 'ExternalName' || typeof spec.externalName !== 'string') return;
    const t = targetOf(spec.externalName);
    if (t) ctx.report('target', { name: object.metadata.name ?? '', target: spec.externalName.trim(), what: t.what }, '/spec/externalName', { severity: t.severity });
  },
});
