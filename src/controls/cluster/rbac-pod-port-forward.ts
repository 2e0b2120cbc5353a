import { riskyGrantControl } from '../../rbac/risk-control.js';
import { CAPABILITIES } from '../../rbac/risk.js';

export default riskyGrantControl({
  id: 'KOR-0212',
  name: 'rbac-pod-port-forward',
  title: 'Pods can be port-forwarded',
  description:
    'pods/portforward opens a tunnel from the subject\'s machine to any port of a pod, bypassing Services, Ingresses and NetworkPolicies: a database or admin port that the network policies keep private is reachable. Reported once per binding: a binding that also gives exec or attach into the same pods is one KOR-0210 finding naming this one (exec already runs any command inside the pod, a tunnel included), so the built-in `edit` and `admin` roles bound in a namespace are not reported twice. Across every namespace (a ClusterRoleBinding) medium; in one namespace low.',
  severity: 'medium',
  severityTable: [
    { case: 'granted in every namespace (ClusterRoleBinding)', severity: 'medium', reason: 'Every pod\'s private ports are reachable, those of system namespaces included.' },
    { case: 'granted in one namespace (RoleBinding)', severity: 'low', reason: 'Limited to the pods of a namespace the subject works in; the NetworkPolicies of that namespace are bypassed.' },
  ],
  severityOf: (g) => (g.scope === 'cluster' ? 'medium' : 'low'),
  effort: 'low',
  frameworks: { mitre: ['T1090'] },
  remediation: 'Remove pods/portforward from standing roles; grant it just in time, or expose what is needed through a Service that the network policies govern.',
  capability: CAPABILITIES.portForward,
});
