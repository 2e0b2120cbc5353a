import { defineControl } from '../../engine/types.js';
import { compileSelector } from '../../network/selector.js';
import { interceptsPodCreate, webhooksOf } from '../support/admission-webhooks.js';

export default defineControl({
  id: 'KOR-0823',
  name: 'webhook-intercepts-kube-system',
  title: 'Fail-closed webhook on pod creation also covers kube-system or its own namespace',
  description:
    'A webhook that fails closed on pod creation and whose `namespaceSelector` does not exclude `kube-system` (or the namespace its own backend runs in) can deadlock the cluster: when its backend is down, the pods that would restore it (its own replicas, CoreDNS, the CNI, kube-proxy) cannot be created either, and recovery needs someone to delete the webhook configuration by hand. Judged for webhooks with `failurePolicy: Fail` whose rules cover creating pods; webhooks with `matchConditions` are not judged (their conditions may exclude the namespaces).',
  layer: 'cluster',
  dimensions: ['Disaster Recovery', 'Architecture'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Exclude the system namespaces and the webhook\'s own namespace with a `namespaceSelector` (for example `kubernetes.io/metadata.name NotIn [kube-system, <own namespace>]`), or use `failurePolicy: Ignore`.',
  messages: { covers: '{{kind}} "{{config}}" webhook "{{webhook}}" fails closed on pod creation in {{namespaces}}: if its backend is down, the pods that would restore it cannot start.' },
  targets: 'inventory',
  kinds: ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'],
  check(inv, ctx) {
    for (const w of webhooksOf(inv)) {
      if (w.failurePolicy !== 'Fail' || w.raw['matchConditions'] !== undefined || !interceptsPodCreate(w)) continue;
      const selects = compileSelector(w.raw['namespaceSelector'] ?? {});
      const labelsOf = (ns: string): Record<string, string> => {
        const obj = inv.get('Namespace', undefined, ns);
        const own = obj?.object.metadata.labels;
        return { ...(own && typeof own === 'object' ? own : {}), 'kubernetes.io/metadata.name': ns };
      };
      const namespaces = [...new Set(['kube-system', ...(w.service ? [w.service.namespace] : [])])].filter((ns) => selects(labelsOf(ns)));
      if (namespaces.length === 0) continue;
      ctx.report('covers', { kind: w.config.object.kind, config: w.config.object.metadata.name ?? '', webhook: w.name, namespaces: namespaces.map((n) => `"${n}"`).join(' and ') }, `/webhooks/${w.index}`, { object: w.config });
    }
  },
});
