import { defineControl } from '../../engine/types.js';
import { webhooksOf } from '../support/admission-webhooks.js';
import { leastReplicas, mayHoldUnseenPods, podsOfService, workloadsIn } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0822',
  name: 'webhook-fail-closed-single-replica',
  title: 'Fail-closed admission webhook served by one pod or none',
  description:
    'An admission webhook with `failurePolicy: Fail` (the default) blocks every request it matches while its backend is unreachable. When the Service behind it selects a single replica (or no pod at all), one node drain, crash or rollout of that pod stops the creation or update of everything the webhook covers, often including the pods that would bring it back. Judged for webhooks whose Service and workloads are in the inputs (not where an operator makes the pods).',
  layer: 'cluster',
  dimensions: ['Architecture', 'Disaster Recovery'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: {},
  remediation: 'Run the webhook\'s backend with at least two replicas spread over nodes and a PodDisruptionBudget, or use `failurePolicy: Ignore` where letting requests through unchecked during an outage is acceptable.',
  messages: {
    single: '{{kind}} "{{config}}" webhook "{{webhook}}" fails closed and its Service "{{service}}" runs {{replicas}} replica(s): one pod\'s outage blocks every request it covers.',
    none: '{{kind}} "{{config}}" webhook "{{webhook}}" fails closed and its Service "{{service}}" selects no pods: every request it covers is refused.',
  },
  targets: 'inventory',
  kinds: ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'],
  check(inv, ctx) {
    for (const w of webhooksOf(inv)) {
      if (w.failurePolicy !== 'Fail' || !w.service) continue;
      const svc = inv.get('Service', w.service.namespace, w.service.name);
      if (!svc || workloadsIn(inv, w.service.namespace).length === 0 || mayHoldUnseenPods(inv, w.service.namespace)) continue;
      const pods = podsOfService(inv, svc.object);
      const base = { kind: w.config.object.kind, config: w.config.object.metadata.name ?? '', webhook: w.name, service: `${w.service.namespace}/${w.service.name}` };
      const pointer = `/webhooks/${w.index}/clientConfig/service`;
      if (pods.length === 0) {
        ctx.report('none', base, pointer, { object: w.config });
        continue;
      }
      const replicas = pods.reduce((n, p) => n + (p.object.kind === 'Pod' ? 1 : leastReplicas(inv, p.object)), 0);
      if (replicas <= 1 && !pods.some((p) => p.object.kind === 'DaemonSet')) ctx.report('single', { ...base, replicas }, pointer, { object: w.config });
    }
  },
});
