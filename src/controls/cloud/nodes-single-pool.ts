import { defineControl } from '../../engine/types.js';
import { poolOf, workerNodes } from '../support/nodes.js';

export default defineControl({
  id: 'KOR-0021',
  name: 'nodes-single-pool',
  title: 'All worker nodes in one node pool',
  description:
    'A single node pool (one machine type, one image, one upgrade unit) is a single point of failure for the cluster: a bad node image or a failed pool upgrade takes every node, and system add-ons compete with applications for the same machines. Judged from the pool labels of managed Kubernetes and node provisioners (GKE, EKS, eksctl, Karpenter, AKS, DigitalOcean, Cluster API) on worker nodes read from a cluster or a snapshot, when there are at least two worker nodes and each carries such a label.',
  layer: 'cloud',
  dimensions: ['Architecture', 'Disaster Recovery'],
  phases: ['runtime'],
  severity: 'low',
  effort: 'medium',
  frameworks: {},
  remediation: 'Add a second node pool (for example one for system add-ons and one for applications), upgrade pools one at a time, and let critical workloads tolerate both.',
  messages: { single: 'All {{count}} worker nodes belong to one node pool ({{pool}}).' },
  targets: 'inventory',
  kinds: ['Node'],
  check(inv, ctx) {
    const nodes = workerNodes(inv);
    if (nodes.length < 2) return;
    const pools = nodes.map(poolOf);
    if (pools.some((p) => p === undefined) || new Set(pools).size !== 1) return;
    ctx.report('single', { count: nodes.length, pool: pools[0]! }, '/metadata/labels', { object: nodes[0]! });
  },
});
