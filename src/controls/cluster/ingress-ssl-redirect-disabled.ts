import { defineControl } from '../../engine/types.js';

const ANNOTATIONS = ['nginx.ingress.kubernetes.io/ssl-redirect', 'nginx.ingress.kubernetes.io/force-ssl-redirect'];

export default defineControl({
  id: 'KOR-0250',
  name: 'ingress-ssl-redirect-disabled',
  title: 'Ingress with TLS also serves plain HTTP',
  description:
    'ingress-nginx redirects HTTP to HTTPS for hosts with TLS, unless `nginx.ingress.kubernetes.io/ssl-redirect: "false"` turns that off. The application is then also served unencrypted on port 80: any link, bookmark or downgrade attack that reaches the http:// address sends cookies, credentials and data in clear text, although the Ingress has a certificate. Ingresses without any TLS are KOR-0136.',
  layer: 'cluster',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  fixable: true,
  frameworks: { nsa: ['encryption'], mitre: ['T1557', 'T1040'] },
  remediation: 'Remove the `ssl-redirect: "false"` annotation (and add HSTS); serve an HTTP endpoint that must stay plain (ACME challenges are handled by the controller) from a separate Ingress.',
  messages: { plain: 'Ingress "{{name}}" has TLS for {{hosts}} but turns the HTTP-to-HTTPS redirect off ({{annotation}}: false).' },
  targets: 'object',
  kinds: ['Ingress'],
  check(object, ctx) {
    const ann = object.metadata.annotations ?? {};
    const key = ANNOTATIONS.find((k) => typeof ann[k] === 'string' && ann[k]!.trim().toLowerCase() === 'false');
    if (!key || ann['nginx.ingress.kubernetes.io/force-ssl-redirect']?.trim().toLowerCase() === 'true') return;
    const tls = (object['spec'] as { tls?: unknown } | undefined)?.tls;
    if (!Array.isArray(tls) || tls.length === 0) return;
    const hosts = tls.flatMap((t) => (t && typeof t === 'object' && Array.isArray((t as { hosts?: unknown }).hosts) ? ((t as { hosts: unknown[] }).hosts.filter((h) => typeof h === 'string') as string[]) : []));
    const pointer = `/metadata/annotations/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    ctx.report('plain', { name: object.metadata.name ?? '', hosts: hosts.length ? hosts.join(', ') : 'its hosts', annotation: key }, pointer, { fix: [{ op: 'remove', path: pointer }] });
  },
});
