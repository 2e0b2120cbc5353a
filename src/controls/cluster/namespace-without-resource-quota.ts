import { defineControl } from '../../engine/types.js';
import { reportNamespacesWithout } from '../support/namespaces.js';

export default defineControl({
  id: 'KOR-0106',
  name: 'namespace-without-resource-quota',
  title: 'Namespace without a ResourceQuota',
  description:
    'A ResourceQuota caps the total CPU, memory, storage and object counts a namespace may consume. Without one, a compromised or misconfigured workload (or a user allowed to create pods there) can exhaust the cluster: scale a Deployment to thousands of replicas, claim every volume, fill etcd with objects. Judged for namespaces that hold workloads.',
  layer: 'cluster',
  dimensions: ['Security', 'Scalability'],
  guard: 'admission',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'medium',
  frameworks: { nsa: ['resource-policies'], mitre: ['T1496', 'T1499'] },
  remediation: 'Add a ResourceQuota to the namespace bounding requests.cpu, requests.memory, limits.cpu, limits.memory and object counts (pods, services, persistentvolumeclaims).',
  messages: { missing: 'Namespace "{{namespace}}" runs workloads but has no ResourceQuota (no cap on its total consumption).' },
  targets: 'inventory',
  kinds: ['Namespace'],
  check(inventory, ctx) {
    reportNamespacesWithout('ResourceQuota', inventory, ctx);
  },
});
