/**
 * Risky grants: which bindings give someone a dangerous capability, judged by the effective
 * rules (aggregation resolved, the referenced role looked up, the binding's scope applied).
 *
 * A capability is a set of probe requests; a rule grants a probe for any name (`all`) or only
 * for the names it lists (`named`). A RoleBinding never grants a cluster-scoped resource (its
 * grants only apply to requests in its namespace), so it is ignored for those probes.
 * Bindings of the built-in bootstrap policy (label `kubernetes.io/bootstrapping=rbac-defaults`)
 * are the cluster's own and are not reported.
 *
 * Grants are judged per binding: a capability that needs several requests (create and approve
 * a CSR) is reported when one binding gives all of them.
 */
import { ruleAllows } from './match.js';
import { cmp, subjectLabel, type BindingEntry, type BindingSubject, type RbacIndex, type RoleEntry } from './model.js';
import { isNamespacedResource } from './resources.js';
import type { PolicyRule } from './types.js';

export interface Probe {
  verb: string;
  apiGroup: string;
  resource: string;
  subresource?: string;
}

export type Reach = 'all' | 'named';

export interface Capability {
  /** What it lets you do, completing "gives X ..." (e.g. `read access to secrets`). */
  label: string;
  probes: Probe[];
  /** `any` (default): one probe is enough; `all`: every probe must be granted (by the same binding). */
  mode?: 'any' | 'all';
}

export interface RuleMatch {
  rule: PolicyRule;
  /** Index of the rule in the role's effective rules. */
  index: number;
  probe: Probe;
  reach: Reach;
  names: string[];
}

export interface BindingGrant {
  binding: BindingEntry;
  matches: RuleMatch[];
  scope: 'cluster' | 'namespace';
  /** Restricted to named objects in every matching rule. */
  namedOnly: boolean;
}

export const BOOTSTRAP_LABEL = 'kubernetes.io/bootstrapping';

export function isBootstrapBinding(b: BindingEntry): boolean {
  return b.item?.object.metadata.labels?.[BOOTSTRAP_LABEL] === 'rbac-defaults';
}

/** Does a rule grant a probe, and for which names? */
export function ruleGrants(rule: PolicyRule, probe: Probe): Reach | undefined {
  const req = { verb: probe.verb, apiGroup: probe.apiGroup, resource: probe.resource, subresource: probe.subresource ?? '', name: '' };
  if (ruleAllows(rule, req)) return 'all';
  for (const n of rule.resourceNames) {
    req.name = n;
    if (ruleAllows(rule, req)) return 'named';
  }
  return undefined;
}

export interface GrantFilter {
  scope?: 'cluster' | 'namespace' | 'any';
  /** Only bindings that apply in these namespaces (ClusterRoleBindings apply everywhere). */
  namespaces?: readonly string[];
  includeBootstrap?: boolean;
  /**
   * Report bindings whose role allows everything (`*` verbs on `*` resources in `*` groups).
   * Default false: those are reported once, as cluster-admin equivalents (KOR-0200) or
   * wildcards (KOR-0222), not again by every narrower control.
   */
  includeFullWildcard?: boolean;
}

/** `*` verbs on `*` resources in `*` groups, for any name. */
export function isFullWildcard(rule: PolicyRule): boolean {
  return rule.verbs.includes('*') && rule.apiGroups.includes('*') && rule.resources.includes('*') && rule.resourceNames.length === 0;
}

/** Bindings that give (some subject) a capability, sorted by binding key. */
export function bindingsGranting(index: RbacIndex, cap: Capability, filter: GrantFilter = {}): BindingGrant[] {
  const out: BindingGrant[] = [];
  for (const b of index.bindings) {
    if (!b.role || (!filter.includeBootstrap && isBootstrapBinding(b))) continue;
    if (!b.subjects.some((s) => !s.unmatchable)) continue;
    if (!filter.includeFullWildcard && b.role.rules.some(isFullWildcard)) continue;
    const scope = b.kind === 'ClusterRoleBinding' ? 'cluster' : 'namespace';
    if (filter.scope && filter.scope !== 'any' && filter.scope !== scope) continue;
    if (filter.namespaces && scope === 'namespace' && !filter.namespaces.includes(b.namespace!)) continue;
    const g = grantOf(b, cap);
    if (g) out.push(g);
  }
  return out.sort((a, b) => cmp(a.binding.key, b.binding.key));
}

/** Per capability, per role and scope: the matching rules (roles are shared by many bindings). */
const MATCH_CACHE = new WeakMap<Capability, WeakMap<RoleEntry, { cluster?: RuleMatch[] | null; namespace?: RuleMatch[] | null }>>();

function roleMatches(role: RoleEntry, cap: Capability, scope: 'cluster' | 'namespace'): RuleMatch[] | null {
  let byRole = MATCH_CACHE.get(cap);
  if (!byRole) MATCH_CACHE.set(cap, (byRole = new WeakMap()));
  let entry = byRole.get(role);
  if (!entry) byRole.set(role, (entry = {}));
  const cached = entry[scope];
  if (cached !== undefined) return cached;
  const matches: RuleMatch[] = [];
  const granted = new Set<Probe>();
  for (const probe of cap.probes) {
    if (scope === 'namespace' && !isNamespacedResource(probe.apiGroup, probe.resource)) continue;
    role.rules.forEach((rule, index) => {
      const reach = ruleGrants(rule, probe);
      if (!reach) return;
      granted.add(probe);
      matches.push({ rule, index, probe, reach, names: reach === 'named' ? rule.resourceNames : [] });
    });
  }
  const result = matches.length === 0 || (cap.mode === 'all' && granted.size < cap.probes.length) ? null : matches;
  entry[scope] = result;
  return result;
}

/** The capability as a single binding gives it, or undefined. */
export function grantOf(b: BindingEntry, cap: Capability): BindingGrant | undefined {
  if (!b.role) return undefined;
  const scope = b.kind === 'ClusterRoleBinding' ? 'cluster' : 'namespace';
  const matches = roleMatches(b.role, cap, scope);
  if (!matches) return undefined;
  return { binding: b, matches, scope, namedOnly: matches.every((m) => m.reach === 'named') };
}

/** `User alice, ServiceAccount ci/deployer` (at most 5, then `and N more`). */
export function describeSubjects(subjects: readonly BindingSubject[]): string {
  const labels = subjects.filter((s) => !s.unmatchable).map((s) => (s.kind === 'ServiceAccount' ? `ServiceAccount ${s.namespace}/${s.name}` : `${s.kind} ${s.name}`));
  return labels.length <= 5 ? labels.join(', ') : `${labels.slice(0, 5).join(', ')} and ${labels.length - 5} more`;
}

/** `cluster-wide` or `in namespace "x"`. */
export function describeScope(b: BindingEntry): string {
  return b.kind === 'ClusterRoleBinding' ? 'cluster-wide' : `in namespace "${b.namespace}"`;
}

export function describeNames(g: BindingGrant): string {
  if (!g.namedOnly) return '';
  const names = [...new Set(g.matches.flatMap((m) => m.names))].sort();
  return ` (only objects named ${names.join(', ')})`;
}

export function subjectsOf(b: BindingEntry): string[] {
  return b.subjects.filter((s) => !s.unmatchable).map(subjectLabel);
}

// ---------------------------------------------------------------------------
// The capabilities kordon judges risky.

const p = (verb: string, apiGroup: string, resource: string, subresource?: string): Probe => ({ verb, apiGroup, resource, ...(subresource ? { subresource } : {}) });
const RBAC = 'rbac.authorization.k8s.io';

export const CAPABILITIES = {
  clusterAdmin: { label: 'every verb on every resource', probes: [p('*', '*', '*')] },
  readSecrets: { label: 'read access to secrets (get, list or watch)', probes: ['get', 'list', 'watch'].map((v) => p(v, '', 'secrets')) },
  writeSecrets: { label: 'write access to secrets (create, update or patch)', probes: ['create', 'update', 'patch'].map((v) => p(v, '', 'secrets')) },
  createTokens: { label: 'the right to mint service account tokens (serviceaccounts/token create)', probes: [p('create', '', 'serviceaccounts', 'token')] },
  impersonate: {
    label: 'impersonation (of users, groups, service accounts or user extras)',
    probes: [p('impersonate', '', 'users'), p('impersonate', '', 'groups'), p('impersonate', '', 'serviceaccounts'), p('impersonate', 'authentication.k8s.io', 'userextras', 'scopes'), p('impersonate', 'authentication.k8s.io', 'uids')],
  },
  bindOrEscalate: {
    label: 'the bind or escalate verb on roles (grants permissions it does not hold)',
    probes: [p('bind', RBAC, 'roles'), p('bind', RBAC, 'clusterroles'), p('escalate', RBAC, 'roles'), p('escalate', RBAC, 'clusterroles')],
  },
  writeRbac: {
    label: 'create, update or patch access to roles or role bindings',
    probes: ['create', 'update', 'patch'].flatMap((v) => ['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings'].map((r) => p(v, RBAC, r))),
  },
  createWorkloads: {
    label: 'the right to create pods or pod controllers',
    probes: [p('create', '', 'pods'), p('create', '', 'replicationcontrollers'), ...['deployments', 'replicasets', 'statefulsets', 'daemonsets'].map((r) => p('create', 'apps', r)), p('create', 'batch', 'jobs'), p('create', 'batch', 'cronjobs')],
  },
  modifyPods: { label: 'update or patch access to pods', probes: [p('update', '', 'pods'), p('patch', '', 'pods')] },
  execPods: { label: 'exec or attach into pods (pods/exec, pods/attach)', probes: [p('create', '', 'pods', 'exec'), p('get', '', 'pods', 'exec'), p('create', '', 'pods', 'attach'), p('get', '', 'pods', 'attach')] },
  ephemeralContainers: { label: 'the right to add ephemeral containers to pods', probes: [p('update', '', 'pods', 'ephemeralcontainers'), p('patch', '', 'pods', 'ephemeralcontainers')] },
  portForward: { label: 'port-forwarding into pods', probes: [p('create', '', 'pods', 'portforward'), p('get', '', 'pods', 'portforward')] },
  nodesProxy: { label: 'access to the kubelet API through nodes/proxy', probes: [p('get', '', 'nodes', 'proxy'), p('create', '', 'nodes', 'proxy')] },
  approveCsr: {
    label: 'the right to create and approve certificate signing requests',
    mode: 'all',
    probes: [p('create', 'certificates.k8s.io', 'certificatesigningrequests'), p('update', 'certificates.k8s.io', 'certificatesigningrequests', 'approval'), p('approve', 'certificates.k8s.io', 'signers')],
  },
  writeAdmission: {
    label: 'write access to admission webhooks or admission policies',
    probes: ['create', 'update', 'patch', 'delete'].flatMap((v) =>
      ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings'].map((r) => p(v, 'admissionregistration.k8s.io', r)),
    ),
  },
  writeCrds: { label: 'write access to custom resource definitions', probes: ['create', 'update', 'patch', 'delete'].map((v) => p(v, 'apiextensions.k8s.io', 'customresourcedefinitions')) },
  writeStatus: {
    label: 'write access to the status of nodes, pods or services',
    probes: ['update', 'patch'].flatMap((v) => [p(v, '', 'nodes', 'status'), p(v, '', 'pods', 'status'), p(v, '', 'services', 'status')]),
  },
  createPersistentVolumes: { label: 'the right to create persistent volumes (hostPath included)', probes: [p('create', '', 'persistentvolumes')] },
  cordonNodes: { label: 'the right to patch nodes (cordon, taint, relabel)', probes: [p('patch', '', 'nodes'), p('update', '', 'nodes')] },
  evictPods: { label: 'the right to evict or delete pods', probes: [p('create', '', 'pods', 'eviction'), p('delete', '', 'pods'), p('deletecollection', '', 'pods')] },
} satisfies Record<string, Capability>;
