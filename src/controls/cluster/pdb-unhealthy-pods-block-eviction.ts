import { defineControl } from '../../engine/types.js';
import { specOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0750',
  name: 'pdb-unhealthy-pods-block-eviction',
  title: 'PodDisruptionBudget lets unhealthy pods block drains',
  description:
    'With the default `unhealthyPodEvictionPolicy` (IfHealthyBudget), pods that are running but not ready (crash-looping, stuck in start-up) can only be evicted while the budget is met; when the workload is already degraded, the budget is not met, so a node drain waits forever on pods that serve nothing. `AlwaysAllow` lets such pods be evicted. Judged for policy/v1 budgets.',
  layer: 'cluster',
  dimensions: ['Disaster Recovery'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  fixable: true,
  frameworks: {},
  remediation: 'Set `spec.unhealthyPodEvictionPolicy: AlwaysAllow` on the budget (unless the application needs its not-ready pods kept, for example during a data recovery).',
  messages: { policy: 'PodDisruptionBudget "{{name}}" keeps the default unhealthyPodEvictionPolicy: not-ready pods can block node drains.' },
  targets: 'object',
  kinds: ['PodDisruptionBudget'],
  check(object, ctx) {
    if (object.apiVersion !== 'policy/v1') return;
    const v = specOf(object)['unhealthyPodEvictionPolicy'];
    if (v === 'AlwaysAllow') return;
    ctx.report('policy', { name: object.metadata.name ?? '' }, v === undefined ? '/spec' : '/spec/unhealthyPodEvictionPolicy', { fix: [{ op: v === undefined ? 'add' : 'replace', path: '/spec/unhealthyPodEvictionPolicy', value: 'AlwaysAllow' }] });
  },
});
