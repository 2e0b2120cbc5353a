import { defineControl } from '../../engine/types.js';
import { asRecord } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0739',
  name: 'pod-unschedulable',
  title: 'Pod cannot be scheduled',
  description:
    'A pod whose PodScheduled condition is False with reason Unschedulable fits on no node: not enough CPU or memory for its requests, no node matching its selectors, affinity or tolerations, or its volumes bound to another zone. The workload runs below its replica count until capacity is added or the pod\'s demands change. Judged on pods read with their status from a cluster or a snapshot.',
  layer: 'cluster',
  dimensions: ['Scalability', 'Monitoring & Health Checks'],
  phases: ['runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: {},
  remediation: 'Read the condition\'s message (`kubectl describe pod`): add nodes or let the cluster autoscaler do so, lower the requests, or relax the node selector, affinity or topology constraints.',
  messages: { pending: 'Pod "{{name}}" cannot be scheduled on any node.' },
  targets: 'object',
  kinds: ['Pod'],
  check(object, ctx) {
    const status = asRecord(object['status']);
    const conditions = status?.['conditions'];
    if (!Array.isArray(conditions)) return;
    conditions.forEach((c, i) => {
      const r = asRecord(c);
      if (r?.['type'] === 'PodScheduled' && r['status'] === 'False' && r['reason'] === 'Unschedulable') ctx.report('pending', { name: object.metadata.name ?? '' }, `/status/conditions/${i}`);
    });
  },
});
