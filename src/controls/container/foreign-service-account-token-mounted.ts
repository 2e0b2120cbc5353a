import { defineControl } from '../../engine/types.js';
import { referencesOf } from '../support/references.js';

export default defineControl({
  id: 'KOR-0161',
  name: 'foreign-service-account-token-mounted',
  title: 'Pod uses the long-lived token of another service account',
  description:
    'A Secret of type `kubernetes.io/service-account-token` holds a non-expiring token of the service account named in its `kubernetes.io/service-account.name` annotation. A pod that mounts or reads such a Secret for a service account other than its own acts with that account\'s permissions while RBAC reviews of the pod\'s own account show nothing, and the token outlives the pod. The pod\'s own account (given a role of its own) or a projected token is the visible way.',
  layer: 'container',
  dimensions: ['Security'],
  guard: 'authentication',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'high',
  effort: 'medium',
  frameworks: { nsa: ['service-account-tokens'], cis: ['5.1.6'], mitre: ['T1550.001', 'T1078.004'] },
  remediation: 'Run the pod as the service account whose permissions it needs (serviceAccountName), or grant its own account the narrow permissions; then delete the token Secret.',
  messages: { foreign: 'The pod (service account "{{own}}") uses the token Secret "{{secret}}" of service account "{{other}}" in {{where}}.' },
  targets: 'podSpec',
  check({ podSpec, object }, ctx) {
    const ns = ctx.inventory.namespaceOf(object) ?? 'default';
    const own = podSpec.serviceAccountName || podSpec.serviceAccount || 'default';
    const seen = new Set<string>();
    for (const ref of referencesOf(podSpec, 'Secret')) {
      if (seen.has(ref.name)) continue;
      const secret = ctx.inventory.get('Secret', ns, ref.name)?.object;
      if (!secret || secret['type'] !== 'kubernetes.io/service-account-token') continue;
      const other = secret.metadata.annotations?.['kubernetes.io/service-account.name'];
      if (typeof other !== 'string' || other === '' || other === own) continue;
      seen.add(ref.name);
      ctx.report('foreign', { own, secret: ref.name, other, where: ref.where }, ref.pointer);
    }
  },
});
