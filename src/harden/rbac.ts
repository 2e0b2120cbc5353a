/**
 * RBAC from audit logs (docs/harden.md, "RBAC"): for each service account of the logs, the
 * Role(s) and ClusterRole that allow exactly the requests it made, the bindings that give them
 * to it, the existing bindings that become unnecessary, and the attack paths each change removes
 * (the graph's what-if).
 *
 * Input: the per-identity usage `kordon audit usage` computes (src/audit/usage.ts, collected
 * with `namesByVerb`), so the logs are read once, by the audit reader.
 *
 * - one rule per (API group, verbs, resourceNames) with the resources (subresources as
 *   `pods/log`) requested that way; a Role per namespace the account made requests in; a
 *   ClusterRole for cluster-scoped resources and requests across all namespaces;
 * - `resourceNames` only where the names are stable: every request with the verb named its
 *   object, the verb is not create, list, watch or deletecollection (RBAC cannot restrict them
 *   by name), at most STABLE_NAMES names, none of them generated (a controller's suffix) or
 *   owned by another object in the inventory;
 * - non-resource URLs outside what every authenticated identity may read already (discovery,
 *   health, version) go in the ClusterRole;
 * - requests the server refused (403) are not granted: the workload ran without them.
 *
 * Pure: usage and inventory in, objects out; deterministic.
 */
import { Inventory } from '../inventory/inventory.js';
import type { K8sObject, Origin } from '../inventory/types.js';
import type { UsageIdentity, UsageReport, UsageRule } from '../audit/usage.js';
import { RbacIndex, rbacIndexOf, serviceAccountUsername, type BindingEntry } from '../rbac/model.js';
import { isBuiltIn } from '../rbac/builtins.js';
import { authorize } from '../rbac/authorize.js';
import { ruleAllows } from '../rbac/match.js';
import type { RequestAttributes } from '../rbac/types.js';
import { applyChanges, pathSignature, WHAT_IF_ANNOTATION } from '../graph/what-if.js';
import { buildSecurityGraph } from '../graph/build.js';
import { computePaths, describePath } from '../graph/paths.js';

const RBAC_API = 'rbac.authorization.k8s.io/v1';
const MANAGED = { 'app.kubernetes.io/managed-by': 'kordon-harden' };
const NAMELESS_VERBS = new Set(['create', 'list', 'watch', 'deletecollection']);
/** More names than this for one verb: the account works on a population of objects, not on named ones. */
export const STABLE_NAMES = 5;
/**
 * Non-resource URLs the bootstrap policy lets every authenticated identity (and every service
 * account: service-account-issuer-discovery) read: no rule needed.
 */
const PUBLIC_URLS = ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/healthz/*', '/livez', '/livez/*', '/readyz', '/readyz/*', '/version', '/version/', '/openapi', '/openapi/*', '/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/'];

export interface BindingChange {
  /** `RoleBinding/<ns>/<name>` or `ClusterRoleBinding//<name>`. */
  binding: string;
  /** The role it gives. */
  role: string;
  /** delete: the account is its only subject; remove-subject: others keep it (a JSON patch). */
  action: 'delete' | 'remove-subject';
  /** For remove-subject: the RFC 6902 patch of the binding. */
  patch?: Array<{ op: 'remove' | 'test'; path: string; value?: unknown }>;
  /** Attack paths removed by the new roles plus this change alone (undefined: not computed). */
  pathsClosed?: number;
  /** Of what the binding grants, what the account used in the window (now covered by the new roles). */
  used: string[];
}

export interface ServiceAccountRbac {
  serviceAccount: { namespace: string; name: string };
  username: string;
  /** Allowed requests observed; refused (403) requests (both 0: the account runs workloads and holds bindings, but made no request in the logs). */
  requests: number;
  denied: number;
  firstSeen?: string;
  lastSeen?: string;
  /** The audit logs' window (how long the account was watched), seconds. */
  windowSeconds?: number;
  /** Workloads of the inventory whose pods run as it. */
  workloads: Array<{ kind: string; namespace: string; name: string }>;
  roles: K8sObject[];
  /** The new bindings. */
  bindings: K8sObject[];
  /** Existing bindings of the account that the new roles make unnecessary. */
  unnecessaryBindings: BindingChange[];
  /** Bindings to groups the account is in (shared with other accounts): not changed, said. */
  groupBindings: string[];
  /** Every observed request decided again by kordon's authorizer with only the new roles and bindings. */
  proof: { checked: number; denied: string[] };
  /** Attack paths the whole change (new roles and bindings, unnecessary bindings removed) removes. */
  pathsClosed?: number;
  thin: boolean;
  notes: string[];
}

export interface RbacOptions {
  /** Coverage is thin below this window (ms). */
  thinMs: number;
  /** What-if computations (graph builds) at most; accounts with bindings to remove are computed in name order. */
  whatIfLimit: number;
  /** The attack-path signatures of the inventory, when the caller computed them already. */
  before?: () => Set<string>;
}

function humanDuration(s: number): string {
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function resourceOf(r: UsageRule): string {
  return r.subresource ? `${r.resource}/${r.subresource}` : r.resource;
}

/** A name the API server or a controller made up (generateName's five characters, a ReplicaSet's pod). */
function looksGenerated(name: string): boolean {
  return /-[bcdfghjklmnpqrstvwxz2456789]{5}$/.test(name) || /-[0-9a-f]{8,10}-[a-z0-9]{5}$/.test(name);
}

interface RuleDraft {
  apiGroup: string;
  resources: Set<string>;
  verbs: string[];
  names: string[];
}

/** The PolicyRules for one scope (a namespace, or '' for the cluster), merged and sorted. */
function rulesFor(rules: readonly UsageRule[], byName: ReadonlyMap<string, K8sObject[]>, namespace: string, unstable: Set<string>): Array<Record<string, unknown>> {
  const drafts = new Map<string, RuleDraft>();
  const put = (apiGroup: string, resource: string, verbs: string[], names: string[]): void => {
    const k = `${apiGroup}|${verbs.join(',')}|${names.join(',')}`;
    let d = drafts.get(k);
    if (!d) drafts.set(k, (d = { apiGroup, resources: new Set(), verbs, names }));
    d.resources.add(resource);
  };
  for (const r of rules) {
    const res = resourceOf(r);
    const byVerb = r.byVerb ?? Object.fromEntries(r.verbs.map((v) => [v, r.names]));
    const nameless: string[] = [];
    const named = new Map<string, string[]>(); // names → verbs
    for (const v of Object.keys(byVerb).sort()) {
      const names = byVerb[v];
      const stable =
        names !== null &&
        names !== undefined &&
        names.length > 0 &&
        names.length <= STABLE_NAMES &&
        !NAMELESS_VERBS.has(v) &&
        names.every((n) => {
          if (looksGenerated(n)) return false;
          const item = byName.get(`${namespace}/${n}`)?.find((o) => kindMatches(o, r));
          const meta = item?.metadata as { ownerReferences?: unknown[]; generateName?: unknown } | undefined;
          return !(meta && ((Array.isArray(meta.ownerReferences) && meta.ownerReferences.length > 0) || typeof meta.generateName === 'string'));
        });
      if (stable) {
        const k = names!.join(',');
        named.set(k, [...(named.get(k) ?? []), v]);
      } else {
        nameless.push(v);
        if (names && names.length && !NAMELESS_VERBS.has(v)) unstable.add(`${v} ${res}${namespace ? ` in ${namespace}` : ''}: ${names.length > STABLE_NAMES ? `${names.length} names` : 'generated or owned names'}`);
      }
    }
    if (nameless.length) put(r.apiGroup, res, nameless, []);
    for (const [k, verbs] of named) put(r.apiGroup, res, verbs, k.split(','));
  }
  return [...drafts.values()]
    .map((d) => ({ apiGroups: [d.apiGroup], resources: [...d.resources].sort(), ...(d.names.length ? { resourceNames: d.names } : {}), verbs: d.verbs }))
    .sort((a, b) => cmp(a.apiGroups[0]!, b.apiGroups[0]!) || cmp(a.resources.join(','), b.resources.join(',')) || cmp(a.verbs.join(','), b.verbs.join(',')) || cmp((a.resourceNames ?? []).join(','), (b.resourceNames ?? []).join(',')));
}

/** The inventory object a rule's name could be (by the plural resource name, loosely: `configmaps` ↔ `ConfigMap`). */
function kindMatches(o: K8sObject, r: UsageRule): boolean {
  const plural = r.resource.toLowerCase();
  const k = o.kind.toLowerCase();
  return plural === `${k}s` || plural === `${k}es` || plural === `${k.replace(/y$/, 'ies')}` || plural === k;
}

function subjectIsAccount(b: BindingEntry, ns: string, name: string): number[] {
  const user = serviceAccountUsername(ns, name);
  return b.subjects.filter((s) => !s.unmatchable && ((s.kind === 'ServiceAccount' && s.name === name && (s.namespace ?? b.namespace) === ns) || (s.kind === 'User' && s.name === user))).map((s) => s.index);
}

const GEN_ORIGIN: Origin = { source: '<kordon harden>', documentIndex: 0, itemPointer: '', line: 0, column: 0 };

function generatedName(ns: string, name: string): string {
  return `kordon-harden:${ns}:${name}`;
}

/** The requests of a usage identity, as authorizer attributes (one per verb and name). */
function requestsOf(id: UsageIdentity, user: { user: string; groups: string[] }): Array<{ attrs: RequestAttributes; text: string }> {
  const out: Array<{ attrs: RequestAttributes; text: string }> = [];
  for (const r of id.rules) {
    const byVerb = r.byVerb ?? Object.fromEntries(r.verbs.map((v) => [v, r.names]));
    for (const v of Object.keys(byVerb).sort()) {
      const names = byVerb[v] ?? [''];
      for (const n of names.length ? names : ['']) {
        out.push({
          attrs: { ...user, verb: v, apiGroup: r.apiGroup, resource: r.resource, ...(r.subresource ? { subresource: r.subresource } : {}), namespace: r.namespace, ...(n ? { name: n } : {}) },
          text: `${v} ${r.apiGroup ? `${r.apiGroup}/` : ''}${resourceOf(r)}${n ? ` ${n}` : ''}${r.namespace ? ` in ${r.namespace}` : ' (cluster)'}`,
        });
      }
    }
  }
  for (const u of id.nonResourceURLs) for (const v of u.verbs) out.push({ attrs: { ...user, verb: v, path: u.path }, text: `${v} ${u.path}` });
  return out;
}

function isPublicUrl(p: string): boolean {
  return PUBLIC_URLS.some((x) => (x.endsWith('*') ? p.startsWith(x.slice(0, -1)) : p === x));
}

export function rbacFromUsage(inv: Inventory, usage: UsageReport, workloadsBySa: Map<string, Array<{ kind: string; namespace: string; name: string }>>, opts: RbacOptions): ServiceAccountRbac[] {
  const index = rbacIndexOf(inv);
  const byName = new Map<string, K8sObject[]>();
  for (const o of inv.objects) {
    const k = `${o.object.metadata.namespace ?? ''}/${o.object.metadata.name ?? ''}`;
    (byName.get(k) ?? byName.set(k, []).get(k)!).push(o.object);
  }
  const out: ServiceAccountRbac[] = [];
  // accounts that run workloads of the inventory and hold bindings of the input, but made no request in the logs' window
  const seen = new Set(usage.identities.filter((i) => i.kind === 'serviceaccount').map((i) => `${i.namespace}/${i.name}`));
  const silent: UsageIdentity[] = [];
  for (const key of [...workloadsBySa.keys()].sort()) {
    if (seen.has(key)) continue;
    const [ns, name] = key.split('/') as [string, string];
    if (!userBindingsOf(index, ns, name).length) continue;
    silent.push({ username: serviceAccountUsername(ns, name), kind: 'serviceaccount', namespace: ns, name, groups: [], requests: 0, denied: 0, rules: [], nonResourceURLs: [], deniedRules: [] });
  }
  // the logs' window: how long the accounts were watched
  const from = usage.window.from ? Date.parse(usage.window.from) : undefined;
  const to = usage.window.to ? Date.parse(usage.window.to) : undefined;
  const windowSeconds = from !== undefined && to !== undefined && !Number.isNaN(from) && !Number.isNaN(to) ? Math.round((to - from) / 1000) : undefined;
  const thin = windowSeconds === undefined || windowSeconds * 1000 < opts.thinMs;
  for (const id of [...usage.identities, ...silent]) {
    if (id.kind !== 'serviceaccount' || !id.namespace || !id.name) continue;
    const ns = id.namespace;
    const name = id.name;
    // kube-system's controllers get their permissions from the bootstrap policy: only accounts the input binds are judged there
    if (ns === 'kube-system' && !userBindingsOf(index, ns, name).length) continue;
    const notes: string[] = [];
    const unstable = new Set<string>();
    // scopes: namespaces, and '' (cluster-scoped resources, requests across all namespaces)
    const scopes = new Map<string, UsageRule[]>();
    for (const r of id.rules) (scopes.get(r.namespace) ?? scopes.set(r.namespace, []).get(r.namespace)!).push(r);
    const gen = generatedName(ns, name);
    const subject = { kind: 'ServiceAccount', name, namespace: ns };
    const roles: K8sObject[] = [];
    const bindings: K8sObject[] = [];
    for (const scope of [...scopes.keys()].sort()) {
      const rules = rulesFor(scopes.get(scope)!, byName, scope, unstable);
      if (scope === '') continue; // with the non-resource URLs below
      roles.push({ apiVersion: RBAC_API, kind: 'Role', metadata: { name: gen, namespace: scope, labels: { ...MANAGED } }, rules } as K8sObject);
      bindings.push({ apiVersion: RBAC_API, kind: 'RoleBinding', metadata: { name: gen, namespace: scope, labels: { ...MANAGED } }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: gen }, subjects: [subject] } as K8sObject);
    }
    const clusterRules = scopes.has('') ? rulesFor(scopes.get('')!, byName, '', unstable) : [];
    const urls = id.nonResourceURLs.filter((u) => !isPublicUrl(u.path));
    const urlVerbs = new Map<string, Set<string>>();
    for (const u of urls) for (const v of u.verbs) (urlVerbs.get(v) ?? urlVerbs.set(v, new Set()).get(v)!).add(u.path);
    for (const [v, paths] of [...urlVerbs].sort((a, b) => cmp(a[0], b[0]))) clusterRules.push({ nonResourceURLs: [...paths].sort(), verbs: [v] });
    if (clusterRules.length) {
      roles.push({ apiVersion: RBAC_API, kind: 'ClusterRole', metadata: { name: gen, labels: { ...MANAGED } }, rules: clusterRules } as K8sObject);
      bindings.push({ apiVersion: RBAC_API, kind: 'ClusterRoleBinding', metadata: { name: gen, labels: { ...MANAGED } }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: gen }, subjects: [subject] } as K8sObject);
      if (scopes.get('')?.some((r) => r.namespace === '')) {
        const across = scopes.get('')!.filter((r) => NAMESPACED_GUESS.has(r.resource)).map(resourceOf);
        if (across.length) notes.push(`requests across all namespaces (${[...new Set(across)].sort().join(', ')}): the ClusterRole grants them in every namespace`);
      }
    }
    for (const u of unstable) notes.push(`no resourceNames for ${u}`);
    if (id.denied) notes.push(`${id.denied} ${id.denied === 1 ? 'request was' : 'requests were'} refused (403) and ${id.denied === 1 ? 'is' : 'are'} not granted: ${id.deniedRules.map((r) => `${r.verbs.join(',')} ${resourceOf(r)}${r.namespace ? ` in ${r.namespace}` : ''}`).join('; ')}`);
    const logs = usage.window.from ? ` (audit logs from ${usage.window.from} to ${usage.window.to})` : '';
    if (id.requests === 0 && id.denied === 0 && id.nonResourceURLs.length === 0) notes.push(`it needs no permissions beyond what every account has, and its pods may not need its token at all (automountServiceAccountToken: false)${logs}`);
    else if (id.requests === 0) notes.push(`no allowed request${logs}: the account needs no permissions beyond what every account has`);

    // existing bindings
    const user = { user: serviceAccountUsername(ns, name), groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'] };
    const unnecessary: BindingChange[] = [];
    const groupBindings: string[] = [];
    const mine = [...index.clusterBindingsFor(user), ...[...index.roleBindingsByNamespace.keys()].flatMap((n) => index.namespaceBindingsFor(user, n))];
    const seen = new Set<string>();
    for (const b of mine) {
      if (seen.has(b.key)) continue;
      seen.add(b.key);
      if (!b.item || isBuiltIn(b.item)) continue; // the bootstrap policy's: not the user's to change
      if (b.name === gen) continue; // kordon's own, from an earlier run
      const idx = subjectIsAccount(b, ns, name);
      if (!idx.length) {
        groupBindings.push(`${b.key} (${b.subjects.filter((s) => s.kind === 'Group').map((s) => s.name).join(', ')})`);
        continue;
      }
      const only = idx.length === b.subjects.length;
      const used = usedThrough(b, id, user);
      unnecessary.push({
        binding: b.key,
        role: b.roleRef ? `${b.roleRef.kind}/${b.roleRef.kind === 'Role' ? b.namespace ?? '' : ''}/${b.roleRef.name}` : '',
        action: only ? 'delete' : 'remove-subject',
        ...(only ? {} : { patch: [...idx].sort((x, y) => y - x).flatMap((i) => [{ op: 'test' as const, path: `/subjects/${i}/name`, value: b.subjects.find((s) => s.index === i)!.name }, { op: 'remove' as const, path: `/subjects/${i}` }]) }),
        used,
      });
    }
    unnecessary.sort((a, b) => cmp(a.binding, b.binding));
    if (groupBindings.length) notes.push(`also granted through bindings to groups it is in (shared with other accounts; not changed): ${groupBindings.sort().join('; ')}`);

    // proof: every observed request, with only the new roles and bindings
    const proofIndex = new RbacIndex(undefined, new Inventory([...roles, ...bindings].map((object) => ({ object, origin: GEN_ORIGIN }))).objects, { builtInVersion: undefined });
    const denied: string[] = [];
    let checked = 0;
    for (const r of requestsOf({ ...id, nonResourceURLs: urls }, user)) {
      checked++;
      if (!authorize(proofIndex, r.attrs).allowed) denied.push(r.text);
    }
    if (thin) notes.push(windowSeconds === undefined ? 'the window of the audit logs is not known' : `the audit logs cover ${humanDuration(windowSeconds)} only: rare requests (a weekly job, a failover) may be missing; watch longer before removing bindings`);
    const key = `${ns}/${name}`;
    out.push({
      serviceAccount: { namespace: ns, name },
      username: id.username,
      requests: id.requests,
      denied: id.denied,
      ...(id.firstSeen ? { firstSeen: id.firstSeen } : {}),
      ...(id.lastSeen ? { lastSeen: id.lastSeen } : {}),
      ...(windowSeconds !== undefined ? { windowSeconds } : {}),
      workloads: workloadsBySa.get(key) ?? [],
      roles,
      bindings,
      unnecessaryBindings: unnecessary,
      groupBindings: groupBindings.sort(),
      proof: { checked, denied },
      thin,
      notes,
    });
  }
  out.sort((a, b) => cmp(a.username, b.username));
  pathsClosedFor(inv, out, opts);
  // the binding changes of an account, ranked by the attack paths each removes
  for (const a of out) a.unnecessaryBindings.sort((x, y) => (y.pathsClosed ?? -1) - (x.pathsClosed ?? -1) || cmp(x.binding, y.binding));
  return out;
}

/** The bindings of the input (not the bootstrap policy's) that name the account itself. */
function userBindingsOf(index: RbacIndex, ns: string, name: string): BindingEntry[] {
  const user = { user: serviceAccountUsername(ns, name), groups: [] };
  const all = [...index.clusterBindingsFor(user), ...[...index.roleBindingsByNamespace.keys()].flatMap((n) => index.namespaceBindingsFor(user, n))];
  return all.filter((b) => b.item && !isBuiltIn(b.item) && subjectIsAccount(b, ns, name).length > 0);
}

/** Resources that are namespaced (a request with namespace '' on them is across all namespaces). */
const NAMESPACED_GUESS = new Set(['pods', 'services', 'endpoints', 'configmaps', 'secrets', 'serviceaccounts', 'deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'events', 'roles', 'rolebindings', 'networkpolicies', 'ingresses', 'persistentvolumeclaims', 'endpointslices', 'leases']);

/** What the account did that the binding's role allows. */
function usedThrough(b: BindingEntry, id: UsageIdentity, user: { user: string; groups: string[] }): string[] {
  if (!b.role) return [];
  const out = new Set<string>();
  for (const r of requestsOf(id, user)) {
    const a = r.attrs;
    if (a.path !== undefined) continue;
    if (b.kind === 'RoleBinding' && (a.namespace ?? '') !== b.namespace) continue;
    if (b.role.rules.some((rule) => ruleAllows(rule, a))) out.add(r.text);
  }
  return [...out].sort();
}


function pathsClosedFor(inv: Inventory, accounts: ServiceAccountRbac[], opts: RbacOptions): void {
  let budget = opts.whatIfLimit;
  const base = inv.objects.map((o) => ({ object: o.object, origin: o.origin }));
  let before: Set<string> | undefined;
  const signatures = (i: Inventory): Set<string> => {
    const g = buildSecurityGraph(i);
    return new Set(computePaths(g).map((p) => pathSignature(describePath(g, p))));
  };
  const changeOf = (c: BindingChange): { object: K8sObject; origin: Origin } | undefined => {
    const [kind, ns, name] = c.binding.split('/') as [string, string, string];
    const item = inv.get(kind, ns || undefined, name);
    if (!item) return undefined;
    const o = structuredClone(item.object) as K8sObject & { subjects?: unknown[] };
    if (c.action === 'delete') o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [WHAT_IF_ANNOTATION]: 'delete' };
    else {
      const removed = new Set(c.patch!.filter((p) => p.op === 'remove').map((p) => Number(p.path.split('/')[2])));
      o.subjects = (o.subjects ?? []).filter((_, i) => !removed.has(i));
    }
    return { object: o, origin: item.origin };
  };
  // new roles and bindings only add grants, and added grants never remove a path: an account with no binding to remove closes none
  for (const a of accounts) if (!a.unnecessaryBindings.length) a.pathsClosed = 0;
  for (const a of accounts) {
    if (!a.unnecessaryBindings.length) continue;
    if (budget <= 0) break;
    const added = [...a.roles, ...a.bindings].map((object) => ({ object, origin: GEN_ORIGIN }));
    budget--;
    before ??= opts.before ? opts.before() : signatures(inv);
    const count = (changes: Array<{ object: K8sObject; origin: Origin }>): number => {
      if (before!.size === 0) return 0;
      const after = signatures(new Inventory(applyChanges(base, changes).objects));
      return [...before!].filter((s) => !after.has(s)).length;
    };
    const all = a.unnecessaryBindings.map(changeOf).filter((x): x is { object: K8sObject; origin: Origin } => x !== undefined);
    a.pathsClosed = count([...added, ...all]);
    if (a.unnecessaryBindings.length === 1) a.unnecessaryBindings[0]!.pathsClosed = a.pathsClosed;
    else
      for (const c of a.unnecessaryBindings) {
        if (budget <= 0) break;
        const one = changeOf(c);
        if (!one) continue;
        budget--;
        c.pathsClosed = count([...added, one]);
      }
  }
}
