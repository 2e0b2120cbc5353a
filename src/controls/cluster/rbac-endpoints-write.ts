import { riskyGrantControl } from '../../rbac/risk-control.js';
import type { Capability } from '../../rbac/risk.js';

const WRITE_ENDPOINTS: Capability = {
  label: 'write access to endpoints or endpoint slices',
  probes: ['create', 'update', 'patch'].flatMap((verb) => [
    { verb, apiGroup: '', resource: 'endpoints' },
    { verb, apiGroup: 'discovery.k8s.io', resource: 'endpointslices' },
  ]),
};

export default riskyGrantControl({
  id: 'KOR-0232',
  name: 'rbac-endpoints-write',
  title: 'Endpoints or EndpointSlices can be written',
  description:
    'Endpoints and EndpointSlices say where a Service\'s traffic goes. A subject that can write them can point a Service at any address: pods of other namespaces, the node, the cloud metadata service (CVE-2021-25740), or a machine of its own to intercept what clients send. Kubernetes removed this right from the built-in `edit` and `admin` roles for that reason; controllers maintain these objects from Service selectors.',
  severity: 'medium',
  effort: 'low',
  frameworks: { nsa: ['rbac'], mitre: ['T1557'] },
  remediation: 'Remove create, update and patch on endpoints and endpointslices from roles; use Services with selectors, and give the few controllers that manage endpoints their own role.',
  capability: WRITE_ENDPOINTS,
});
