import { defineControl } from '../../engine/types.js';
import { isMirrorPod } from '../support/pod.js';

/**
 * The kubelet mounts the service account token unless the pod says no, or (when the pod is
 * silent) its ServiceAccount says no: the pod's `automountServiceAccountToken` wins over the
 * ServiceAccount's.
 */
export default defineControl({
  id: 'KOR-0108',
  name: 'service-account-token-automounted',
  title: 'Service account token mounted into the pod',
  description:
    'Every container of a pod gets an API token of its service account at /var/run/secrets/kubernetes.io/serviceaccount unless `automountServiceAccountToken: false` is set on the pod, or on its ServiceAccount when the pod does not set it. Most applications never call the Kubernetes API; for them the token only helps an attacker who gained code execution to query and act on the cluster with the account\'s permissions. When the ServiceAccount is not in the scanned inputs, the pod itself must opt out. Static pods (their mirror pods on a live cluster) get no token and are not judged.',
  layer: 'container',
  dimensions: ['Security'],
  guard: 'authentication',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  fixable: true,
  frameworks: { nsa: ['service-account-tokens'], cis: ['5.1.6'], mitre: ['T1528', 'T1552.007'] },
  remediation: 'Set `automountServiceAccountToken: false` in the pod spec (or on its ServiceAccount) unless the application calls the Kubernetes API; mount a projected token explicitly where it does.',
  messages: {
    podTrue: 'The pod sets automountServiceAccountToken: true, mounting the token of service account "{{account}}".',
    inherited: 'The pod mounts the token of service account "{{account}}": neither the pod nor the ServiceAccount sets automountServiceAccountToken: false.',
    unknownAccount: 'The pod mounts the token of service account "{{account}}" (not set to false in the pod; the ServiceAccount is not in the scanned inputs).',
  },
  targets: 'podSpec',
  check({ podSpec, object }, ctx) {
    if (podSpec.automountServiceAccountToken === false) return;
    // a static pod's mirror (kubelet-made, owned by its Node): the kubelet mounts no token into
    // static pods, and the API server refuses mirror pods that name a service account
    if (isMirrorPod(object)) return;
    const account = podSpec.serviceAccountName || podSpec.serviceAccount || 'default';
    const fix = [{ op: 'add' as const, path: '/automountServiceAccountToken', value: false }];
    if (podSpec.automountServiceAccountToken === true) {
      ctx.report('podTrue', { account }, '/automountServiceAccountToken', { fix });
      return;
    }
    const namespace = ctx.inventory.namespaceOf(object);
    const sa = ctx.inventory.get('ServiceAccount', namespace, account);
    if (sa) {
      if (sa.object['automountServiceAccountToken'] === false) return;
      ctx.report('inherited', { account }, '', { fix });
      return;
    }
    ctx.report('unknownAccount', { account }, '', { fix });
  },
});
