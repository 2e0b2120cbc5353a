import { defineControl } from '../../engine/types.js';
import { workerNodes, zoneOf } from '../support/nodes.js';

export default defineControl({
  id: 'KOR-0020',
  name: 'nodes-single-zone',
  title: 'All worker nodes in one availability zone',
  description:
    'When every worker node runs in the same zone, a zone outage (power, network, a provider incident) stops every workload at once, whatever their replicas and disruption budgets. Judged from the `topology.kubernetes.io/zone` label of the worker nodes read from a cluster or a snapshot, when there are at least two worker nodes and all carry the label.',
  layer: 'cloud',
  dimensions: ['Disaster Recovery', 'Architecture'],
  phases: ['runtime'],
  severity: 'medium',
  effort: 'high',
  frameworks: {},
  remediation: 'Spread the node pools over at least two (better three) zones of the region, and spread replicas over zones with topology spread constraints.',
  messages: { single: 'All {{count}} worker nodes run in zone "{{zone}}": a zone outage stops every workload.' },
  targets: 'inventory',
  kinds: ['Node'],
  check(inv, ctx) {
    const nodes = workerNodes(inv);
    if (nodes.length < 2) return;
    const zones = nodes.map(zoneOf);
    if (zones.some((z) => z === undefined) || new Set(zones).size !== 1) return;
    ctx.report('single', { count: nodes.length, zone: zones[0]! }, '/metadata/labels', { object: nodes[0]! });
  },
});
