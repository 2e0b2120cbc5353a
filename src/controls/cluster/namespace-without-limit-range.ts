import { defineControl } from '../../engine/types.js';
import { reportNamespacesWithout } from '../support/namespaces.js';

export default defineControl({
  id: 'KOR-0105',
  name: 'namespace-without-limit-range',
  title: 'Namespace without a LimitRange',
  description:
    'A LimitRange gives containers that declare no resources default requests and limits, and caps what one container or pod may ask for. Without one, a single manifest that forgets its limits can take a whole node, and nothing stops a pod from requesting more than the namespace should ever use. Judged for namespaces that hold workloads.',
  layer: 'cluster',
  dimensions: ['Security', 'Scalability'],
  guard: 'admission',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'medium',
  frameworks: { nsa: ['resource-policies'], mitre: ['T1496', 'T1499'] },
  remediation: 'Add a LimitRange to the namespace with default requests and limits (type Container) and maximums suited to its workloads.',
  messages: { missing: 'Namespace "{{namespace}}" runs workloads but has no LimitRange (no default or maximum container resources).' },
  targets: 'inventory',
  kinds: ['Namespace'],
  check(inventory, ctx) {
    reportNamespacesWithout('LimitRange', inventory, ctx);
  },
});
