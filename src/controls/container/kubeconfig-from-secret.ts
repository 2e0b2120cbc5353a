import { defineControl } from '../../engine/types.js';
import { CONTAINER_KIND_LABEL, asArray } from '../support/pod.js';

export default defineControl({
  id: 'KOR-0164',
  name: 'kubeconfig-from-secret',
  title: 'Container reads a kubeconfig from a mounted Secret',
  description:
    'A `KUBECONFIG` that points into a Secret volume gives the container static cluster credentials (a client certificate, a long-lived token, sometimes for another cluster or an administrator) instead of its own service account: they do not expire with the pod, RBAC reviews of the pod\'s account do not show them, and every copy of the Secret carries them. Tools that run in the cluster they manage need no kubeconfig at all.',
  layer: 'container',
  dimensions: ['Security'],
  guard: 'authentication',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: { nsa: ['authentication-authorization'], mitre: ['T1552.001', 'T1078'] },
  remediation: 'Use the pod\'s service account (in-cluster configuration) with a role of its own; for another cluster, use short-lived credentials from a workload identity or an external secret store with rotation.',
  messages: { kubeconfig: '{{kind}} "{{name}}" reads its kubeconfig from Secret volume "{{volume}}" (Secret "{{secret}}").' },
  targets: 'container',
  check({ container, containerKind, podSpec }, ctx) {
    const env = asArray<{ name?: unknown; value?: unknown }>(container.env);
    const i = env.findIndex((e) => e && typeof e === 'object' && e.name === 'KUBECONFIG' && typeof e.value === 'string');
    if (i === -1) return;
    const paths = (env[i]!.value as string).split(':').map((p) => p.trim()).filter(Boolean);
    const volumes = asArray<{ name?: unknown; secret?: { secretName?: unknown } }>(podSpec.volumes);
    for (const m of asArray<{ name?: unknown; mountPath?: unknown }>(container.volumeMounts)) {
      if (!m || typeof m.mountPath !== 'string' || typeof m.name !== 'string') continue;
      const base = m.mountPath.replace(/\/+$/, '');
      if (!paths.some((p) => p === base || p.startsWith(`${base}/`))) continue;
      const vol = volumes.find((v) => v && v.name === m.name && v.secret && typeof v.secret === 'object');
      if (!vol) continue;
      ctx.report('kubeconfig', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name, volume: m.name, secret: typeof vol.secret!.secretName === 'string' ? vol.secret!.secretName : '?' }, `/env/${i}`);
      return;
    }
  },
});
