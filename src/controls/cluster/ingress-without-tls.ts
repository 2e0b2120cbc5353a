import { defineControl } from '../../engine/types.js';
import { asArray } from '../support/pod.js';

interface IngressSpec {
  tls?: Array<{ hosts?: string[]; secretName?: string }>;
  rules?: Array<{ host?: string }>;
  defaultBackend?: unknown;
  backend?: unknown;
}

/** Does a TLS host entry (possibly a wildcard) cover the rule host? */
function covers(tlsHost: string, host: string): boolean {
  if (tlsHost === host) return true;
  if (tlsHost.startsWith('*.')) {
    const suffix = tlsHost.slice(1);
    return host.endsWith(suffix) && !host.slice(0, -suffix.length).includes('.');
  }
  return false;
}

export default defineControl({
  id: 'KOR-0136',
  name: 'ingress-without-tls',
  title: 'Ingress serves hosts without TLS',
  description:
    'An Ingress host not listed in `spec.tls` is served over plain HTTP: credentials, session cookies and data cross the network readable and modifiable by anyone on the path. An Ingress with no `tls` section at all serves every host, and its default backend, in clear text. (A TLS entry without hosts applies to the controller\'s default certificate and is counted as covering every host.) The temporary Ingress cert-manager creates to answer an ACME HTTP-01 challenge is plain HTTP by design and not reported.',
  layer: 'cluster',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: { nsa: ['encryption'], mitre: ['T1557', 'T1040'] },
  remediation: 'Add a `spec.tls` entry listing every host with a certificate Secret (for example issued by cert-manager), and redirect HTTP to HTTPS.',
  messages: {
    noTls: 'Ingress "{{name}}" has no TLS section: it serves {{hosts}} over plain HTTP.',
    hostWithoutTls: 'Ingress "{{name}}" serves host "{{host}}" without TLS.',
  },
  targets: 'object',
  kinds: ['Ingress'],
  check(object, ctx) {
    const spec = object['spec'] as IngressSpec | undefined;
    if (!spec) return;
    // cert-manager's HTTP-01 solver: the ACME challenge is answered over plain HTTP by design
    if (object.metadata.labels?.['acme.cert-manager.io/http01-solver'] === 'true') return;
    const name = object.metadata.name ?? '';
    const tls = Array.isArray(spec.tls) ? spec.tls : [];
    const rules = Array.isArray(spec.rules) ? spec.rules : [];
    if (tls.length === 0) {
      const hosts = [...new Set(rules.map((r) => (r?.host ? `"${r.host}"` : 'every host')))];
      if (hosts.length === 0 && !spec.defaultBackend && !spec.backend) return;
      ctx.report('noTls', { name, hosts: hosts.length ? hosts.join(', ') : 'its default backend' }, '/spec');
      return;
    }
    if (tls.some((t) => !Array.isArray(t?.hosts) || t.hosts.length === 0)) return;
    const tlsHosts = tls.flatMap((t) => asArray<unknown>(t?.hosts)).filter((h): h is string => typeof h === 'string');
    rules.forEach((r, i) => {
      if (typeof r?.host !== 'string' || r.host === '') return;
      if (!tlsHosts.some((h) => covers(h, r.host!))) ctx.report('hostWithoutTls', { name, host: r.host }, `/spec/rules/${i}/host`);
    });
  },
});
