import { defineControl, type Severity } from '../../engine/types.js';
import { authorize } from '../../rbac/authorize.js';
import { rbacIndexOf, userInfoFor } from '../../rbac/model.js';
import type { ResourceRequest } from '../../rbac/types.js';
import { isMirrorPod } from '../support/pod.js';

/**
 * What a mounted token lets an attacker with code execution in the pod do, most severe first.
 * Each power is one authorizer question asked as the service account (its groups included).
 */
interface Power {
  what: string;
  severity: Severity;
  /** `ns`: the pod's namespace; '' a cluster-wide request. */
  request: (ns: string) => Omit<ResourceRequest, 'path'>;
}

const POWERS: Power[] = [
  { what: 'do anything in the cluster (every verb on every resource)', severity: 'critical', request: () => ({ verb: '*', apiGroup: '*', resource: '*', namespace: '' }) },
  { what: 'impersonate any user', severity: 'critical', request: () => ({ verb: 'impersonate', apiGroup: '', resource: 'users', namespace: '' }) },
  { what: 'bind any ClusterRole (bind/escalate)', severity: 'critical', request: () => ({ verb: 'bind', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles', namespace: '' }) },
  { what: 'reach every kubelet API (nodes/proxy)', severity: 'critical', request: () => ({ verb: 'create', apiGroup: '', resource: 'nodes', subresource: 'proxy', namespace: '' }) },
  { what: 'read the Secrets of every namespace', severity: 'high', request: () => ({ verb: 'list', apiGroup: '', resource: 'secrets', namespace: '' }) },
  { what: 'create ClusterRoleBindings', severity: 'high', request: () => ({ verb: 'create', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings', namespace: '' }) },
  { what: 'create pods in every namespace', severity: 'high', request: () => ({ verb: 'create', apiGroup: '', resource: 'pods', namespace: '' }) },
  { what: 'exec into the pods of its namespace', severity: 'medium', request: (ns) => ({ verb: 'create', apiGroup: '', resource: 'pods', subresource: 'exec', namespace: ns }) },
  { what: 'read the Secrets of its namespace', severity: 'medium', request: (ns) => ({ verb: 'list', apiGroup: '', resource: 'secrets', namespace: ns }) },
  { what: 'create pods in its namespace', severity: 'medium', request: (ns) => ({ verb: 'create', apiGroup: '', resource: 'pods', namespace: ns }) },
];

/** `ClusterRoleBinding "name"`, `RoleBinding "ns/name"` from a binding key `Kind/ns/name`. */
function bindingLabel(key: string): string {
  const [kind, ns, ...name] = key.split('/');
  return `${kind === 'built-in' ? 'group' : kind} "${ns ? `${ns}/` : ''}${name.join('/')}"`;
}

export default defineControl({
  id: 'KOR-0159',
  name: 'mounted-token-powerful',
  title: 'Pod mounts a token that holds powerful permissions',
  supersedes: { field: ['KOR-0108'] },
  description:
    'The token a pod mounts is the first thing an attacker with code execution in it uses: everything the service account may do, the attacker may do. This control asks the RBAC authorizer (bindings and aggregated roles of the input, built-in roles assumed where bound but not defined) what the mounted account can do and reports the most powerful thing, from cluster administration down to creating pods in its own namespace. It is the concrete version of "token mounted" (KOR-0108), which it stands for on the same pod.',
  layer: 'container',
  dimensions: ['Security'],
  guard: 'authorization',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'critical',
  effort: 'medium',
  frameworks: { nsa: ['service-account-tokens'], cis: ['5.1.6'], mitre: ['T1528', 'T1078.004'] },
  remediation: 'Give the workload its own ServiceAccount with only the permissions it uses (`kordon rbac can` lists them), and set `automountServiceAccountToken: false` where it does not call the API at all.',
  messages: { powerful: 'The pod mounts the token of service account "{{account}}", which can {{what}} (through {{via}}).' },
  severityTable: [
    { case: 'cluster-admin, impersonation, bind/escalate, nodes/proxy', severity: 'critical', reason: 'The token is the cluster: one request away from every secret and every node.' },
    { case: 'Secrets of every namespace, ClusterRoleBindings, pods in every namespace', severity: 'high', reason: 'Cluster-wide credentials or a privileged pod anywhere, and from there the nodes.' },
    { case: 'exec, Secrets or pod creation in its own namespace', severity: 'medium', reason: 'The other workloads and credentials of the namespace fall with the pod.' },
  ],
  targets: 'podSpec',
  check({ podSpec, object }, ctx) {
    if (podSpec.automountServiceAccountToken === false || isMirrorPod(object)) return;
    const account = podSpec.serviceAccountName || podSpec.serviceAccount || 'default';
    const ns = ctx.inventory.namespaceOf(object) ?? 'default';
    if (podSpec.automountServiceAccountToken !== true && ctx.inventory.get('ServiceAccount', ns, account)?.object['automountServiceAccountToken'] === false) return;
    const index = rbacIndexOf(ctx.inventory);
    const info = userInfoFor({ kind: 'ServiceAccount', name: account, namespace: ns });
    for (const power of POWERS) {
      const decision = authorize(index, { ...info, ...power.request(ns) } as Parameters<typeof authorize>[1]);
      if (!decision.allowed) continue;
      const via = [...new Set(decision.grants.map((g) => bindingLabel(g.binding)))].slice(0, 3).join(', ');
      ctx.report('powerful', { account: `${ns}/${account}`, what: power.what, via }, podSpec.automountServiceAccountToken === true ? '/automountServiceAccountToken' : '', { severity: power.severity });
      return;
    }
  },
});
