import { riskyGrantControl } from '../../rbac/risk-control.js';
import type { Capability } from '../../rbac/risk.js';

const WRITE_APISERVICES: Capability = {
  label: 'write access to API services (apiregistration.k8s.io)',
  probes: ['create', 'update', 'patch', 'delete'].map((verb) => ({ verb, apiGroup: 'apiregistration.k8s.io', resource: 'apiservices' })),
};

export default riskyGrantControl({
  id: 'KOR-0233',
  name: 'rbac-apiservice-write',
  title: 'API services can be registered or changed',
  description:
    'An APIService tells the API server to send every request for an API group and version to a Service of the cluster (aggregation, as metrics-server does). A subject that can create or change one can route a whole API group to a server it controls: it receives the requests of every client, with their impersonation headers, can answer them as it likes, and with `insecureSkipTLSVerify` nothing checks who answers. Deleting one takes the group away (metrics for autoscaling, for example).',
  severity: 'high',
  effort: 'low',
  frameworks: { nsa: ['rbac', 'network-separation'], mitre: ['T1557', 'T1562.001'] },
  remediation: 'Keep write access to apiservices to the cluster installer; remove it from every other role.',
  capability: WRITE_APISERVICES,
});
