import { defineControl } from '../../engine/types.js';
import { apiGroupOf } from '../../inventory/inventory.js';
import { asRecord, specOf, statusOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0826',
  name: 'certificate-not-ready',
  title: 'cert-manager Certificate is not ready',
  description:
    'A cert-manager Certificate whose Ready condition is False has no valid certificate in its Secret: the first issuance failed (a DNS or HTTP challenge that cannot complete, an issuer that is not ready, a rate limit) or a renewal failed and the certificate is expiring or expired. The Ingresses and services that use the Secret serve an old, self-signed or no certificate, and clients get TLS errors. Judged on cert-manager.io Certificates read with their status from a cluster or a snapshot.',
  layer: 'cluster',
  dimensions: ['Monitoring & Health Checks', 'Security'],
  phases: ['runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: {},
  remediation: 'Follow the chain with `kubectl describe certificate NAME` (CertificateRequest, Order, Challenge): fix the issuer, the DNS records or the solver\'s access, and alert on the Ready condition and the expiry date.',
  messages: { notReady: 'Certificate "{{name}}" (Secret "{{secret}}") is not ready ({{reason}}): TLS for its names is not served with a valid certificate.' },
  targets: 'object',
  kinds: ['Certificate'],
  check(object, ctx) {
    if (typeof object.apiVersion !== 'string' || apiGroupOf(object.apiVersion) !== 'cert-manager.io') return;
    const conditions = statusOf(object)['conditions'];
    if (!Array.isArray(conditions)) return;
    conditions.forEach((c, i) => {
      const r = asRecord(c);
      if (r?.['type'] !== 'Ready' || r['status'] !== 'False') return;
      const secret = specOf(object)['secretName'];
      ctx.report('notReady', { name: object.metadata.name ?? '', secret: typeof secret === 'string' ? secret : '?', reason: typeof r['reason'] === 'string' ? r['reason'] : 'no reason given' }, `/status/conditions/${i}`);
    });
  },
});
