import { riskyGrantControl } from '../../rbac/risk-control.js';
import type { Capability } from '../../rbac/risk.js';

const NODE_LIFECYCLE: Capability = {
  label: 'the right to create or delete Node objects',
  labelOf: (granted) => `the right to ${[...new Set(granted.map((p) => (p.verb === 'create' ? 'create' : 'delete')))].join(' and ')} Node objects`,
  probes: [
    { verb: 'create', apiGroup: '', resource: 'nodes' },
    { verb: 'delete', apiGroup: '', resource: 'nodes' },
    { verb: 'deletecollection', apiGroup: '', resource: 'nodes' },
  ],
};

export default riskyGrantControl({
  id: 'KOR-0237',
  name: 'rbac-node-create-delete',
  title: 'Node objects can be created or deleted',
  description:
    'Kubelets register their own Node objects (the Node authorizer and NodeRestriction admission keep each to its own), and the cloud controller deletes those of machines that are gone. A person or workload that can delete Nodes makes the cluster evict every pod of a node at once; one that can create them can register a fake node that the scheduler sends pods to, together with the Secrets and ConfigMaps those pods mount. Nodes are cluster-scoped: only ClusterRoleBindings give this.',
  severity: 'medium',
  effort: 'low',
  frameworks: { nsa: ['authentication-authorization'], mitre: ['T1498', 'T1565'] },
  remediation: 'Leave Node creation to kubelets (system:nodes) and deletion to the cloud controller manager or the node lifecycle tooling; remove both verbs from other roles.',
  capability: NODE_LIFECYCLE,
});
