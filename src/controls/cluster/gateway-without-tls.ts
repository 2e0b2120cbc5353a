import { defineControl } from '../../engine/types.js';
import { asArray } from '../support/pod.js';

export default defineControl({
  id: 'KOR-0247',
  name: 'gateway-without-tls',
  title: 'Gateway has no TLS listener',
  description:
    'A Gateway API Gateway whose listeners are all plain HTTP, TCP or UDP serves every route attached to it unencrypted: logins, session cookies and API tokens cross the internet and the cloud network readable and changeable. A Gateway with an HTTPS (or TLS) listener next to an HTTP one is not reported, since the HTTP listener usually redirects. Ingresses are judged by KOR-0136.',
  layer: 'cluster',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: { nsa: ['encryption'], mitre: ['T1040', 'T1557'] },
  remediation: 'Add an HTTPS listener with a certificate (`tls.certificateRefs`, cert-manager can issue it) and redirect the HTTP listener to it with an HTTPRoute RequestRedirect filter.',
  messages: { plain: 'Gateway "{{name}}" has only unencrypted listeners ({{listeners}}).' },
  targets: 'object',
  kinds: ['Gateway'],
  check(object, ctx) {
    if (!object.apiVersion.startsWith('gateway.networking.k8s.io/')) return;
    const listeners = asArray<{ name?: unknown; protocol?: unknown; port?: unknown }>((object['spec'] as { listeners?: unknown } | undefined)?.listeners).filter((l) => l && typeof l === 'object');
    if (listeners.length === 0) return;
    if (listeners.some((l) => l.protocol === 'HTTPS' || l.protocol === 'TLS')) return;
    const list = listeners.map((l) => `${typeof l.name === 'string' ? l.name : '?'} ${typeof l.protocol === 'string' ? l.protocol : '?'}/${typeof l.port === 'number' ? l.port : '?'}`).join(', ');
    ctx.report('plain', { name: object.metadata.name ?? '', listeners: list }, '/spec/listeners');
  },
});
