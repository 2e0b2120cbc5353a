import { riskyGrantControl } from '../../rbac/risk-control.js';
import type { Capability } from '../../rbac/risk.js';

const WRITE_APF: Capability = {
  label: 'write access to API Priority and Fairness (flowschemas, prioritylevelconfigurations)',
  probes: ['create', 'update', 'patch', 'delete'].flatMap((verb) => [
    { verb, apiGroup: 'flowcontrol.apiserver.k8s.io', resource: 'flowschemas' },
    { verb, apiGroup: 'flowcontrol.apiserver.k8s.io', resource: 'prioritylevelconfigurations' },
  ]),
};

export default riskyGrantControl({
  id: 'KOR-0242',
  name: 'rbac-api-priority-write',
  title: 'API server request priorities can be changed',
  description:
    'FlowSchemas and PriorityLevelConfigurations decide how the API server shares its capacity: which requests queue, which are rejected with 429 under load. A subject that can write them can starve the kubelets, controllers or everyone else of API requests (a denial of service of the whole control plane), or exempt its own flood from limits. They are cluster-scoped: only ClusterRoleBindings give this.',
  severity: 'medium',
  effort: 'low',
  frameworks: { mitre: ['T1499'] },
  remediation: 'Keep API Priority and Fairness objects to cluster administrators; the defaults the API server maintains suit most clusters.',
  capability: WRITE_APF,
});
