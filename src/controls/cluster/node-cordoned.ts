import { defineControl } from '../../engine/types.js';
import { specOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0807',
  name: 'node-cordoned',
  title: 'Node is cordoned',
  description:
    'A node with `spec.unschedulable: true` (cordoned, usually by `kubectl drain` for maintenance) takes no new pods. Left cordoned after the maintenance it silently shrinks the cluster: pods pile onto the other nodes, the autoscaler adds nodes it does not need, and the node still costs money. Judged on nodes read from a cluster or a snapshot.',
  layer: 'cluster',
  dimensions: ['Scalability', 'Monitoring & Health Checks'],
  phases: ['runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: {},
  remediation: 'Finish the maintenance and `kubectl uncordon` the node, or drain and remove it from the cluster.',
  messages: { cordoned: 'Node "{{name}}" is cordoned: it takes no new pods.' },
  targets: 'object',
  kinds: ['Node'],
  check(object, ctx) {
    if (specOf(object)['unschedulable'] !== true) return;
    ctx.report('cordoned', { name: object.metadata.name ?? '' }, '/spec/unschedulable');
  },
});
