/**
 * The RBAC index: roles (with aggregation resolved), bindings resolved to their roles, and
 * lookups by subject. Built once from an Inventory (files, a live cluster, a snapshot: any
 * source), then every question (authorize, who-can, effective permissions, risky grants,
 * escalation paths) is answered from it.
 */
import type { Inventory } from '../inventory/inventory.js';
import { apiGroupOf } from '../inventory/inventory.js';
import type { InventoryObject } from '../inventory/types.js';
import { aggregateClusterRoles, type LabelSelector } from './aggregation.js';
import { normalizeRule } from './match.js';
import { objectKey, type ObjectKey, type PolicyRule, type Subject, type SubjectKind, type UserInfo } from './types.js';
import { builtInRbacItems, isBuiltIn, targetKubernetesVersion, type BuiltInOptions } from './builtins.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
/** The group the API server always authorizes for everything (a separate authorizer, before RBAC). */
export const SUPERUSER_GROUP = 'system:masters';
export const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

export interface RoleEntry {
  key: ObjectKey;
  kind: 'Role' | 'ClusterRole';
  namespace?: string;
  name: string;
  /** Effective rules (aggregation resolved). */
  rules: PolicyRule[];
  /** True when the rules come (partly) from an aggregationRule. */
  aggregated: boolean;
  item?: InventoryObject;
}

export interface BindingSubject extends Subject {
  /** Index of the subject in the binding's `subjects` list (for JSON pointers). */
  index: number;
  /** Set for subjects that can never match (e.g. a ServiceAccount without a namespace in a ClusterRoleBinding). */
  unmatchable?: string;
  /** `user:alice`, `group:dev`, `sa:ns/name`. */
  label: string;
}

export interface BindingEntry {
  key: ObjectKey;
  kind: 'RoleBinding' | 'ClusterRoleBinding';
  /** The binding's namespace (RoleBinding only): where it grants. */
  namespace?: string;
  name: string;
  roleRef: { kind: string; name: string };
  roleKey: ObjectKey;
  /** Undefined when the referenced role does not exist (or the reference is invalid). */
  role?: RoleEntry;
  /** Subjects with ServiceAccount namespaces defaulted as the authorizer does. */
  subjects: BindingSubject[];
  item?: InventoryObject;
}

export interface MissingRole {
  binding: ObjectKey;
  role: ObjectKey;
  reason: string;
}

export interface IndexOptions {
  /** Model `system:masters` as all-powerful (the API server does). Default true. */
  superuserGroup?: boolean;
  /** Resolve ClusterRole aggregationRules (default true). */
  aggregate?: boolean;
  /** The Kubernetes version (`v1.35`) whose bootstrap policy filled in what the input lacked. */
  builtInVersion?: string;
}

/** The user name the API server gives a service account. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_PREFIX}${namespace}:${name}`;
}

/** `system:serviceaccount:<ns>:<name>` → its parts, else undefined. */
export function parseServiceAccountUsername(user: string): { namespace: string; name: string } | undefined {
  if (!user.startsWith(SERVICE_ACCOUNT_PREFIX)) return undefined;
  const rest = user.slice(SERVICE_ACCOUNT_PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon <= 0 || colon === rest.length - 1) return undefined;
  return { namespace: rest.slice(0, colon), name: rest.slice(colon + 1) };
}

/**
 * The identity an authenticated subject has: a user is in `system:authenticated`; a service
 * account is `system:serviceaccount:<ns>:<name>` in `system:serviceaccounts`,
 * `system:serviceaccounts:<ns>` and `system:authenticated`; `system:anonymous` is in
 * `system:unauthenticated`; a group stands for "some member of that group" (no other group).
 */
export function userInfoFor(subject: Subject, extraGroups: string[] = []): UserInfo {
  let info: UserInfo;
  if (subject.kind === 'ServiceAccount') {
    const ns = subject.namespace ?? '';
    info = { user: serviceAccountUsername(ns, subject.name), groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'] };
  } else if (subject.kind === 'User') {
    const sa = parseServiceAccountUsername(subject.name);
    if (sa) return userInfoFor({ kind: 'ServiceAccount', ...sa }, extraGroups);
    info = subject.name === 'system:anonymous' ? { user: subject.name, groups: ['system:unauthenticated'] } : { user: subject.name, groups: ['system:authenticated'] };
  } else {
    info = { user: '', groups: [subject.name] };
  }
  for (const g of extraGroups) if (!info.groups.includes(g)) info.groups.push(g);
  return info;
}

/** Keys under which bindings are indexed: `u:<user name>` (service accounts by their user name) and `g:<group>`. */
function subjectMatchKey(s: Subject, bindingNamespace: string | undefined): string | undefined {
  if (s.kind === 'User') return `u:${s.name}`;
  if (s.kind === 'Group') return `g:${s.name}`;
  if (s.kind === 'ServiceAccount') {
    const ns = s.namespace || bindingNamespace;
    return ns ? `u:${serviceAccountUsername(ns, s.name)}` : undefined;
  }
  return undefined;
}

export function requestKeys(info: UserInfo): string[] {
  const keys = info.user === '' ? [] : [`u:${info.user}`];
  for (const g of info.groups) keys.push(`g:${g}`);
  return keys;
}

export class RbacIndex {
  readonly roles = new Map<ObjectKey, RoleEntry>();
  readonly bindings: BindingEntry[] = [];
  readonly clusterRoleBindings: BindingEntry[] = [];
  /** RoleBindings by namespace (namespaces and bindings sorted). */
  roleBindingsByNamespace = new Map<string, BindingEntry[]>();
  readonly missingRoles: MissingRole[] = [];
  readonly superuserGroup: boolean;
  /** The Kubernetes version whose bootstrap policy was added for what the input lacks (undefined: none added). */
  readonly builtInVersion: string | undefined;
  readonly bindingByKey = new Map<ObjectKey, BindingEntry>();
  private readonly clusterBySubject = new Map<string, BindingEntry[]>();
  private readonly namespacedBySubject = new Map<string, Map<string, BindingEntry[]>>();

  constructor(readonly inventory: Inventory | undefined, items: readonly InventoryObject[], opts: IndexOptions = {}) {
    this.superuserGroup = opts.superuserGroup ?? true;
    this.builtInVersion = opts.builtInVersion;
    const isRbac = (i: InventoryObject): boolean => apiGroupOf(i.object.apiVersion) === RBAC_GROUP;
    const pick = (kind: string): InventoryObject[] => items.filter((i) => i.object.kind === kind && isRbac(i) && typeof i.object.metadata.name === 'string');

    const clusterRoles = pick('ClusterRole');
    const aggregationInput = clusterRoles.map((i) => {
      const agg = i.object['aggregationRule'] as { clusterRoleSelectors?: LabelSelector[] } | undefined;
      return {
        name: i.object.metadata.name!,
        labels: i.object.metadata.labels,
        rules: rulesOf(i),
        selectors: opts.aggregate === false || !agg || typeof agg !== 'object' ? undefined : Array.isArray(agg.clusterRoleSelectors) ? agg.clusterRoleSelectors : [],
      };
    });
    const effective = aggregateClusterRoles(aggregationInput);
    for (const [n, i] of clusterRoles.entries()) {
      const key = objectKey('ClusterRole', undefined, i.object.metadata.name!);
      if (this.roles.has(key)) continue; // first definition wins, like Inventory.get
      const input = aggregationInput[n]!;
      this.roles.set(key, { key, kind: 'ClusterRole', name: input.name, rules: effective.get(input.name) ?? input.rules, aggregated: input.selectors !== undefined, item: i });
    }
    for (const i of pick('Role')) {
      const ns = i.object.metadata.namespace || 'default';
      const key = objectKey('Role', ns, i.object.metadata.name!);
      if (this.roles.has(key)) continue;
      this.roles.set(key, { key, kind: 'Role', namespace: ns, name: i.object.metadata.name!, rules: rulesOf(i), aggregated: false, item: i });
    }

    const seenBindings = new Set<string>();
    for (const kind of ['ClusterRoleBinding', 'RoleBinding'] as const) {
      for (const i of pick(kind)) {
        const ns = kind === 'RoleBinding' ? i.object.metadata.namespace || 'default' : undefined;
        const key = objectKey(kind, ns, i.object.metadata.name!);
        if (seenBindings.has(key)) continue;
        seenBindings.add(key);
        const b = this.makeBinding(kind, key, ns, i);
        this.addBinding(b);
      }
    }
    // Sorted by key, so that every walk over bindings yields grants in a stable, sorted order.
    const byKey = (a: BindingEntry, b: BindingEntry): number => cmp(a.key, b.key);
    this.clusterRoleBindings.sort(byKey);
    for (const list of this.roleBindingsByNamespace.values()) list.sort(byKey);
    this.roleBindingsByNamespace = new Map([...this.roleBindingsByNamespace.entries()].sort((a, b) => cmp(a[0], b[0])));
    this.bindings.sort(byKey);
  }

  /** Builds the index from an inventory. */
  static fromInventory(inv: Inventory, opts: IndexOptions = {}): RbacIndex {
    const items = [...inv.byKind('ClusterRole'), ...inv.byKind('Role'), ...inv.byKind('ClusterRoleBinding'), ...inv.byKind('RoleBinding')];
    return new RbacIndex(inv, items, opts);
  }

  private makeBinding(kind: 'RoleBinding' | 'ClusterRoleBinding', key: ObjectKey, ns: string | undefined, i: InventoryObject): BindingEntry {
    const rawRef = (i.object['roleRef'] ?? {}) as { kind?: unknown; name?: unknown; apiGroup?: unknown };
    const roleRef = { kind: typeof rawRef.kind === 'string' ? rawRef.kind : '', name: typeof rawRef.name === 'string' ? rawRef.name : '' };
    const roleKey = objectKey(roleRef.kind || '?', roleRef.kind === 'Role' ? ns : undefined, roleRef.name);
    let role: RoleEntry | undefined;
    if (roleRef.kind === 'ClusterRole' || (roleRef.kind === 'Role' && kind === 'RoleBinding')) {
      role = this.roles.get(roleKey);
      if (!role) this.missingRoles.push({ binding: key, role: roleKey, reason: `${roleRef.kind} "${roleRef.name}" not found` });
    } else {
      this.missingRoles.push({ binding: key, role: roleKey, reason: `unsupported role reference kind "${roleRef.kind}"` });
    }
    const subjects: BindingSubject[] = [];
    const raw = Array.isArray(i.object['subjects']) ? (i.object['subjects'] as unknown[]) : [];
    raw.forEach((s, index) => {
      if (!s || typeof s !== 'object') return;
      const r = s as { kind?: unknown; name?: unknown; namespace?: unknown };
      if (typeof r.kind !== 'string' || typeof r.name !== 'string') return;
      const kindOk = r.kind === 'User' || r.kind === 'Group' || r.kind === 'ServiceAccount';
      const subject: BindingSubject = { kind: r.kind as SubjectKind, name: r.name, index, label: '' };
      if (r.kind === 'ServiceAccount') {
        const sns = typeof r.namespace === 'string' && r.namespace !== '' ? r.namespace : ns;
        if (sns) subject.namespace = sns;
        else subject.unmatchable = 'a ServiceAccount subject of a ClusterRoleBinding needs a namespace';
      }
      if (!kindOk) subject.unmatchable = `unknown subject kind "${r.kind}"`;
      subject.label = subjectLabel(subject);
      subjects.push(subject);
    });
    return { key, kind, ...(ns !== undefined ? { namespace: ns } : {}), name: i.object.metadata.name!, roleRef, roleKey, ...(role ? { role } : {}), subjects, item: i };
  }

  private addBinding(b: BindingEntry): void {
    this.bindings.push(b);
    this.bindingByKey.set(b.key, b);
    if (b.kind === 'ClusterRoleBinding') this.clusterRoleBindings.push(b);
    else pushTo(this.roleBindingsByNamespace, b.namespace!, b);
    const keys = new Set<string>();
    for (const s of b.subjects) {
      if (s.unmatchable) continue;
      const k = subjectMatchKey(s, b.namespace);
      if (k) keys.add(k);
    }
    for (const k of keys) {
      if (b.kind === 'ClusterRoleBinding') pushTo(this.clusterBySubject, k, b);
      else {
        let m = this.namespacedBySubject.get(b.namespace!);
        if (!m) this.namespacedBySubject.set(b.namespace!, (m = new Map()));
        pushTo(m, k, b);
      }
    }
  }

  /** ClusterRoleBindings that apply to an identity, in index order, each once. */
  clusterBindingsFor(info: UserInfo): BindingEntry[] {
    return collect(requestKeys(info).map((k) => this.clusterBySubject.get(k)));
  }

  /** RoleBindings in a namespace that apply to an identity, each once. */
  namespaceBindingsFor(info: UserInfo, namespace: string): BindingEntry[] {
    const m = this.namespacedBySubject.get(namespace);
    if (!m) return [];
    return collect(requestKeys(info).map((k) => m.get(k)));
  }

  /** Every namespace where some RoleBinding applies to the identity. */
  namespacesWithBindingsFor(info: UserInfo): string[] {
    const keys = requestKeys(info);
    const out: string[] = [];
    for (const [ns, m] of this.namespacedBySubject) if (keys.some((k) => m.has(k))) out.push(ns);
    return out.sort();
  }

  /**
   * Of some role and binding keys (what an answer cites), those assumed from the bootstrap
   * policy because the input lacked them, sorted and each once.
   */
  assumedBuiltIns(keys: Iterable<string>): string[] {
    const out = new Set<string>();
    for (const k of keys) {
      const item = this.roles.get(k)?.item ?? this.bindingByKey.get(k)?.item;
      if (isBuiltIn(item)) out.add(k);
    }
    return [...out].sort(cmp);
  }

  /** Every distinct subject named in a binding (service accounts with their namespace), sorted. */
  subjects(): Subject[] {
    const seen = new Map<string, Subject>();
    for (const b of this.bindings) {
      for (const s of b.subjects) {
        if (s.unmatchable) continue;
        const subj: Subject = { kind: s.kind, name: s.name, ...(s.namespace ? { namespace: s.namespace } : {}) };
        seen.set(subjectLabel(subj), subj);
      }
    }
    return [...seen.entries()].sort((a, b) => cmp(a[0], b[0])).map((e) => e[1]);
  }
}

function rulesOf(i: InventoryObject): PolicyRule[] {
  const rules = i.object['rules'];
  return Array.isArray(rules) ? rules.map(normalizeRule) : [];
}

/** `user:alice`, `group:dev`, `sa:ns/name`. */
export function subjectLabel(s: Subject): string {
  if (s.kind === 'ServiceAccount') return `sa:${s.namespace ?? ''}/${s.name}`;
  return `${s.kind === 'User' ? 'user' : s.kind === 'Group' ? 'group' : s.kind}:${s.name}`;
}

/** Reads `user:alice`, `group:dev`, `sa:ns/name` (or `serviceaccount:ns:name`, `system:serviceaccount:ns:name`). */
export function parseSubject(text: string): Subject | undefined {
  const sa = parseServiceAccountUsername(text);
  if (sa) return { kind: 'ServiceAccount', ...sa };
  const colon = text.indexOf(':');
  if (colon === -1) return undefined;
  const kind = text.slice(0, colon).toLowerCase();
  const rest = text.slice(colon + 1);
  if (rest === '') return undefined;
  if (kind === 'user' || kind === 'u') return { kind: 'User', name: rest };
  if (kind === 'group' || kind === 'g') return { kind: 'Group', name: rest };
  if (kind === 'sa' || kind === 'serviceaccount') {
    const sep = rest.includes('/') ? rest.indexOf('/') : rest.indexOf(':');
    if (sep <= 0 || sep === rest.length - 1) return undefined;
    return { kind: 'ServiceAccount', namespace: rest.slice(0, sep), name: rest.slice(sep + 1) };
  }
  return undefined;
}

function pushTo<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

function collect(lists: Array<BindingEntry[] | undefined>): BindingEntry[] {
  const out: BindingEntry[] = [];
  const seen = new Set<BindingEntry>();
  for (const l of lists) for (const b of l ?? []) if (!seen.has(b)) (seen.add(b), out.push(b));
  return out;
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const CACHE = new WeakMap<Inventory, Map<string, RbacIndex>>();

/**
 * The RBAC index of an inventory, the one way every command and control resolves bindings: the
 * input's RBAC objects plus the bootstrap roles of the target Kubernetes version that the input
 * lacks (and, with `bindings`, the bootstrap bindings it lacks); see ./builtins.ts. Built once
 * per inventory and options (controls share it).
 */
/**
 * Lets `to` use the RBAC indexes built (and to be built) for `from`: for a copy of an inventory
 * whose Roles, ClusterRoles and bindings are the same objects (the assessment's what-if of a change
 * to other objects), so the copy does not index the same RBAC again, and the authorizer decisions
 * cached per index are reused.
 */
export function shareRbacIndexes(from: Inventory, to: Inventory): void {
  let perInv = CACHE.get(from);
  if (!perInv) CACHE.set(from, (perInv = new Map()));
  CACHE.set(to, perInv);
}

export function rbacIndexOf(inv: Inventory, opts: BuiltInOptions = {}): RbacIndex {
  const key = `${targetKubernetesVersion(inv, opts.kubeVersion).minor}|${opts.bindings ? 1 : 0}`;
  let perInv = CACHE.get(inv);
  if (!perInv) CACHE.set(inv, (perInv = new Map()));
  let idx = perInv.get(key);
  if (!idx) {
    const { items: builtIns, version } = builtInRbacItems(inv, opts);
    const items = [...inv.byKind('ClusterRole'), ...inv.byKind('Role'), ...inv.byKind('ClusterRoleBinding'), ...inv.byKind('RoleBinding'), ...builtIns];
    perInv.set(key, (idx = new RbacIndex(inv, items, { builtInVersion: version.minor })));
  }
  return idx;
}
