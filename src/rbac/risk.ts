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
import { apiGroupMatches, resourceMatches, resourceNameMatches, verbMatches } from './match.js';
import { cmp, rbacIndexOf, subjectLabel, type BindingEntry, type BindingSubject, type RbacIndex, type RoleEntry } from './model.js';
import type { Inventory } from '../inventory/inventory.js';
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
  /** A label naming what the granted probes are (more precise than `label`), when some are. */
  labelOf?: (granted: readonly Probe[]) => string;
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

/**
 * Does a rule grant a probe, and for which names? Verb, group and resource do not depend on the
 * name, so they are checked once: then the rule grants every name when it lists none (or lists
 * the empty name, which a nameless request carries), and only the names it lists otherwise.
 */
export function ruleGrants(rule: PolicyRule, probe: Probe): Reach | undefined {
  const sub = probe.subresource ?? '';
  const combined = sub === '' ? probe.resource : `${probe.resource}/${sub}`;
  if (!verbMatches(rule, probe.verb) || !apiGroupMatches(rule, probe.apiGroup) || !resourceMatches(rule, combined, sub)) return undefined;
  if (resourceNameMatches(rule, '')) return 'all';
  return rule.resourceNames.length > 0 ? 'named' : undefined;
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

/** A binding with the facts every risky-grant question starts from, computed once per index. */
interface BindingFacts {
  binding: BindingEntry;
  scope: 'cluster' | 'namespace';
  bootstrap: boolean;
  /** The role exists and the binding has at least one subject that can match. */
  grantsSomeone: boolean;
  fullWildcard: boolean;
  /** Where this binding's role and scope keep their matches in a capability's result slots. */
  slot: number;
}

interface IndexFacts {
  /** The bindings sorted by key (stable, so equal keys keep index order). */
  bindings: BindingFacts[];
  /** Per capability: the matches of each (role, scope) slot, filled as bindings ask. */
  matches: WeakMap<Capability, Array<RuleMatch[] | null | undefined>>;
  slotCount: number;
}

const FACTS_CACHE = new WeakMap<RbacIndex, IndexFacts>();

function indexFactsOf(index: RbacIndex): IndexFacts {
  let facts = FACTS_CACHE.get(index);
  if (facts) return facts;
  const roleIds = new Map<RoleEntry, number>();
  const bindings = [...index.bindings]
    .sort((a, b) => cmp(a.key, b.key))
    .map((b): BindingFacts => {
      const scope = b.kind === 'ClusterRoleBinding' ? 'cluster' : 'namespace';
      let roleId = -1;
      if (b.role) {
        roleId = roleIds.get(b.role) ?? roleIds.size;
        roleIds.set(b.role, roleId);
      }
      return {
        binding: b,
        scope,
        bootstrap: isBootstrapBinding(b),
        grantsSomeone: b.role !== undefined && b.subjects.some((s) => !s.unmatchable),
        fullWildcard: b.role !== undefined && b.role.rules.some(isFullWildcard),
        slot: roleId * 2 + (scope === 'cluster' ? 0 : 1),
      };
    });
  facts = { bindings, matches: new WeakMap(), slotCount: roleIds.size * 2 };
  FACTS_CACHE.set(index, facts);
  return facts;
}

/** Bindings that give (some subject) a capability, sorted by binding key. */
export function bindingsGranting(index: RbacIndex, cap: Capability, filter: GrantFilter = {}): BindingGrant[] {
  const facts = indexFactsOf(index);
  let slots = facts.matches.get(cap);
  if (!slots) facts.matches.set(cap, (slots = new Array<RuleMatch[] | null | undefined>(facts.slotCount).fill(undefined)));
  const out: BindingGrant[] = [];
  const wantedScope = filter.scope && filter.scope !== 'any' ? filter.scope : undefined;
  for (const f of facts.bindings) {
    if (!f.grantsSomeone || (!filter.includeBootstrap && f.bootstrap)) continue;
    if (!filter.includeFullWildcard && f.fullWildcard) continue;
    if (wantedScope && wantedScope !== f.scope) continue;
    const b = f.binding;
    if (filter.namespaces && f.scope === 'namespace' && !filter.namespaces.includes(b.namespace!)) continue;
    let matches = slots[f.slot];
    if (matches === undefined) slots[f.slot] = matches = computeRoleMatches(b.role!, cap, f.scope, index.builtInVersion);
    if (matches) out.push({ binding: b, matches, scope: f.scope, namedOnly: matches.every((m) => m.reach === 'named') });
  }
  // Already in key order: the facts are sorted and filtering keeps their order.
  return out;
}

/** Per capability, target version and scope: the probes that apply (a RoleBinding never grants a cluster-scoped resource). */
const PROBES_CACHE = new WeakMap<Capability, Map<string, Probe[]>>();

function probesOf(cap: Capability, scope: 'cluster' | 'namespace', kubeVersion: string | undefined): Probe[] {
  if (scope === 'cluster') return cap.probes;
  let byVersion = PROBES_CACHE.get(cap);
  if (!byVersion) PROBES_CACHE.set(cap, (byVersion = new Map()));
  const key = kubeVersion ?? '';
  let probes = byVersion.get(key);
  if (!probes) byVersion.set(key, (probes = cap.probes.filter((probe) => isNamespacedResource(probe.apiGroup, probe.resource, kubeVersion))));
  return probes;
}

/** Per capability, per role and scope: the matching rules (roles are shared by many bindings; a role belongs to one index, so to one target version). */
const MATCH_CACHE = new WeakMap<Capability, WeakMap<RoleEntry, { cluster?: RuleMatch[] | null; namespace?: RuleMatch[] | null }>>();

function roleMatches(role: RoleEntry, cap: Capability, scope: 'cluster' | 'namespace', kubeVersion: string | undefined): RuleMatch[] | null {
  let byRole = MATCH_CACHE.get(cap);
  if (!byRole) MATCH_CACHE.set(cap, (byRole = new WeakMap()));
  let entry = byRole.get(role);
  if (!entry) byRole.set(role, (entry = {}));
  const cached = entry[scope];
  if (cached !== undefined) return cached;
  return (entry[scope] = computeRoleMatches(role, cap, scope, kubeVersion));
}

/** The rules of a role that give a capability's probes, in probe then rule order; null when it does not give the capability. */
function computeRoleMatches(role: RoleEntry, cap: Capability, scope: 'cluster' | 'namespace', kubeVersion: string | undefined): RuleMatch[] | null {
  const matches: RuleMatch[] = [];
  let granted: Set<Probe> | undefined;
  const rules = role.rules;
  for (const probe of probesOf(cap, scope, kubeVersion)) {
    for (let index = 0; index < rules.length; index++) {
      const rule = rules[index]!;
      const reach = ruleGrants(rule, probe);
      if (!reach) continue;
      (granted ??= new Set()).add(probe);
      matches.push({ rule, index, probe, reach, names: reach === 'named' ? rule.resourceNames : [] });
    }
  }
  return matches.length === 0 || (cap.mode === 'all' && (granted?.size ?? 0) < cap.probes.length) ? null : matches;
}

/** The capability as a single binding gives it, or undefined (`kubeVersion`: the index's target version, `index.builtInVersion`). */
export function grantOf(b: BindingEntry, cap: Capability, kubeVersion?: string): BindingGrant | undefined {
  if (!b.role) return undefined;
  const scope = b.kind === 'ClusterRoleBinding' ? 'cluster' : 'namespace';
  const matches = roleMatches(b.role, cap, scope, kubeVersion);
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
    labelOf: (granted) => {
      const what = [...new Set(granted.map((g) => ({ users: 'users', groups: 'groups', serviceaccounts: 'service accounts', userextras: 'user extras', uids: 'user ids' })[g.resource] ?? g.resource))];
      return `impersonation of ${what.join(', ')}`;
    },
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

/** Every subject of every binding that is not part of the bootstrap policy, with its binding. */
export function* boundSubjects(inv: Inventory): Generator<{ binding: BindingEntry; subject: BindingEntry['subjects'][number] }> {
  for (const binding of rbacIndexOf(inv).bindings) {
    if (isBootstrapBinding(binding)) continue;
    for (const subject of binding.subjects) yield { binding, subject };
  }
}
