import { defineControl } from '../../engine/types.js';
import { isVpa, vpaActs } from '../support/vpa.js';
import { asRecord, specOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0777',
  name: 'vpa-without-max-allowed',
  title: 'VerticalPodAutoscaler resizes pods without an upper bound',
  description:
    'A VerticalPodAutoscaler that applies its recommendations (updateMode Auto, Recreate or InPlaceOrRecreate) and sets no `maxAllowed` in its container policies can raise requests as far as the recommender asks: after a memory leak or a load spike the pods are recreated with requests no node can hold, and they stay Pending. `maxAllowed` (with `minAllowed`) keeps the recommendation within what the nodes and the namespace quota can serve.',
  layer: 'cluster',
  dimensions: ['Scalability'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: {},
  remediation: 'Add `resourcePolicy.containerPolicies` with `maxAllowed` for CPU and memory (for `containerName: "*"` or each container), below the allocatable capacity of the nodes the pods run on.',
  messages: { unbounded: 'VerticalPodAutoscaler "{{name}}" applies recommendations with no maxAllowed: it may resize pods beyond what any node holds.' },
  targets: 'object',
  kinds: ['VerticalPodAutoscaler'],
  check(object, ctx) {
    if (!isVpa(object) || !vpaActs(object)) return;
    const policies = asRecord(specOf(object)['resourcePolicy'])?.['containerPolicies'];
    const bounded = Array.isArray(policies) && policies.some((p) => {
      const r = asRecord(p);
      const max = asRecord(r?.['maxAllowed']);
      return r?.['mode'] !== 'Off' && max !== undefined && Object.keys(max).length > 0;
    });
    if (bounded) return;
    ctx.report('unbounded', { name: object.metadata.name ?? '' }, '/spec');
  },
});
