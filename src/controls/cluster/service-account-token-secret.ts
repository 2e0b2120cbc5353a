import { defineControl } from '../../engine/types.js';

export default defineControl({
  id: 'KOR-0145',
  name: 'service-account-token-secret',
  title: 'Long-lived service account token Secret',
  description:
    'A Secret of type `kubernetes.io/service-account-token` holds a token that never expires and is not bound to a pod: whoever reads the Secret (or finds a copy in a backup, a log or a repository) can act as the service account until the Secret is deleted. Since Kubernetes 1.24 pods get short-lived projected tokens and such Secrets are only created on purpose; the TokenRequest API issues expiring tokens for the remaining uses.',
  layer: 'cluster',
  dimensions: ['Security'],
  guard: 'authentication',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: { nsa: ['service-account-tokens'], cis: ['5.1.6'], mitre: ['T1528', 'T1552.007'] },
  remediation: 'Delete the Secret and obtain short-lived tokens with the TokenRequest API (`kubectl create token`, projected service account token volumes).',
  messages: { token: 'Secret "{{name}}" is a non-expiring token for service account "{{account}}".' },
  targets: 'object',
  kinds: ['Secret'],
  check(object, ctx) {
    if (object['type'] !== 'kubernetes.io/service-account-token') return;
    const account = object.metadata.annotations?.['kubernetes.io/service-account.name'] ?? '?';
    ctx.report('token', { name: object.metadata.name ?? '', account }, '/type');
  },
  cel: { expression: "!has(object.type) || object.type != 'kubernetes.io/service-account-token'", message: 'Service account token Secrets are not allowed; use the TokenRequest API.' },
});
