import { riskyGrantControl } from '../../rbac/risk-control.js';
import type { Capability } from '../../rbac/risk.js';

const PROXY: Capability = {
  label: 'HTTP access to pods or services through the API server proxy (pods/proxy, services/proxy)',
  labelOf: (granted) => `HTTP access through the API server proxy (${[...new Set(granted.map((p) => `${p.resource}/proxy`))].join(', ')})`,
  probes: ['get', 'create', 'update', 'patch', 'delete'].flatMap((verb) => [
    { verb, apiGroup: '', resource: 'pods', subresource: 'proxy' },
    { verb, apiGroup: '', resource: 'services', subresource: 'proxy' },
  ]),
};

export default riskyGrantControl({
  id: 'KOR-0231',
  name: 'rbac-pod-service-proxy',
  title: 'Pods or services reachable through the API server proxy',
  description:
    'The `pods/proxy` and `services/proxy` subresources make the API server forward HTTP requests to any port of a pod or service, from the API server\'s own network position: NetworkPolicies do not see the caller, and internal admin endpoints (metrics, debug handlers, databases with HTTP interfaces, unauthenticated dashboards) become reachable to anyone who can reach the API server. Reported for grants in every namespace (ClusterRoleBindings) and in kube-system; within a team\'s own namespace it is the same reach as port-forwarding (KOR-0212).',
  severity: 'medium',
  effort: 'low',
  frameworks: { nsa: ['rbac'], mitre: ['T1090', 'T1021'] },
  remediation: 'Remove pods/proxy and services/proxy from standing roles; expose what must be reached through a Service with its own authentication.',
  capability: PROXY,
  filter: { namespaces: ['kube-system'] },
});
