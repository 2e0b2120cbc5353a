/**
 * Who did what: per identity, the requests actually made over the log's window (verbs,
 * resources, namespaces, names), and, with an inventory, the permissions granted but never used
 * ("unused grants", KOR-0980) ranked by the attack paths their bindings open.
 *
 * The model (`UsageReport`, docs/audit.md) is the input of least-privilege Role generation: one
 * rule per (apiGroup, resource, subresource, namespace) with the verbs used and the names, where
 * every request named its object (`names: null` when some did not: list, watch, create,
 * deletecollection, or more than NAMES_MAX names).
 */
import type { Inventory } from '../inventory/inventory.js';
import type { K8sObject } from '../inventory/types.js';
import { rbacIndexOf } from '../rbac/model.js';
import { effectivePermissions, type ResourcePermission } from '../rbac/permissions.js';
import { whatIf, WHAT_IF_ANNOTATION } from '../graph/what-if.js';
import { actingUser, isComplete, succeeded, type AuditEvent } from '../sources/audit/event.js';
import { actorOf, type Actor } from './analyze.js';

const NAMES_MAX = 50;
const NAMELESS_VERBS = new Set(['create', 'list', 'watch', 'deletecollection']);

export interface UsageRule {
  apiGroup: string;
  resource: string;
  subresource?: string;
  /** '' for cluster-scoped resources and requests across all namespaces. */
  namespace: string;
  verbs: string[];
  /** The object names requested; null when some request named none (or too many to list). */
  names: string[] | null;
  /** Allowed requests. */
  requests: number;
  /**
   * Per verb, the names requested (null: some request with that verb named none, or too many);
   * only when the collector was made with `{ namesByVerb: true }` (least-privilege Role
   * generation, src/harden/rbac.ts).
   */
  byVerb?: Record<string, string[] | null>;
}

export interface UsageIdentity {
  username: string;
  kind: Actor['kind'];
  namespace?: string;
  name?: string;
  groups: string[];
  /** Allowed requests (2xx/101). */
  requests: number;
  /** Requests refused by authorization (403). */
  denied: number;
  firstSeen?: string;
  lastSeen?: string;
  rules: UsageRule[];
  nonResourceURLs: Array<{ path: string; verbs: string[]; requests: number }>;
  /** Refused requests, same shape (what the identity tried and was not allowed). */
  deniedRules: UsageRule[];
}

export interface UnusedGrant {
  id: 'KOR-0980';
  severity: 'high' | 'medium' | 'low';
  identity: string;
  /** `Kind/namespace/name` of the binding(s) that give it. */
  from: string[];
  /** '*' when granted cluster-wide. */
  namespace: string;
  apiGroup: string;
  resource: string;
  resourceNames: string[];
  /** Granted verbs never used in the window. */
  unusedVerbs: string[];
  /** Attack paths that removing the granting binding(s) would remove (the grant's weight). */
  attackPaths: number;
  example?: string;
}

export interface UsageReport {
  window: { from?: string; to?: string };
  identities: UsageIdentity[];
  unusedGrants?: UnusedGrant[];
}

interface RuleAcc {
  apiGroup: string;
  resource: string;
  subresource?: string;
  namespace: string;
  verbs: Set<string>;
  names: Set<string> | null;
  requests: number;
  byVerb?: Map<string, Set<string> | null>;
}

interface IdentityAcc {
  actor: Actor;
  groups: Set<string>;
  requests: number;
  denied: number;
  first?: string;
  last?: string;
  rules: Map<string, RuleAcc>;
  denials: Map<string, RuleAcc>;
  urls: Map<string, { path: string; verbs: Set<string>; requests: number }>;
}

export class UsageCollector {
  private readonly ids = new Map<string, IdentityAcc>();
  private from?: string;
  private to?: string;
  private readonly started = new Set<string>();
  private readonly namesByVerb: boolean;

  /** `namesByVerb`: also keep, per rule, the names requested with each verb (`UsageRule.byVerb`). */
  constructor(opts: { namesByVerb?: boolean } = {}) {
    this.namesByVerb = opts.namesByVerb ?? false;
  }

  add(e: AuditEvent): void {
    // long-running requests (exec, attach, watch) may only reach ResponseStarted
    const long = e.stage === 'ResponseStarted';
    if (!isComplete(e) && !long) return;
    if (long) {
      if (this.started.size > 200_000) this.started.clear();
      this.started.add(e.auditID);
    } else if (this.started.has(e.auditID)) {
      this.started.delete(e.auditID);
      return;
    }
    const u = actingUser(e);
    let acc = this.ids.get(u.username);
    if (!acc) {
      if (this.ids.size >= 100_000) return;
      this.ids.set(u.username, (acc = { actor: actorOf(u), groups: new Set(), requests: 0, denied: 0, rules: new Map(), denials: new Map(), urls: new Map() }));
    }
    for (const g of u.groups) if (acc.groups.size < 64) acc.groups.add(g);
    if (e.time) {
      if (!acc.first || e.time < acc.first) acc.first = e.time;
      if (!acc.last || e.time > acc.last) acc.last = e.time;
      if (!this.from || e.time < this.from) this.from = e.time;
      if (!this.to || e.time > this.to) this.to = e.time;
    }
    const ok = long ? e.code === undefined || e.code < 400 : succeeded(e) || e.code === 101;
    const denied = e.code === 403;
    if (ok) acc.requests++;
    else if (denied) acc.denied++;
    else return; // 404s, 409s, 5xx: neither a use nor a refusal of a permission
    const r = e.objectRef;
    if (!r?.resource) {
      if (!ok) return;
      const p = (e.requestURI ?? '').split('?')[0]!;
      let x = acc.urls.get(p);
      if (!x) {
        if (acc.urls.size >= 256) return;
        acc.urls.set(p, (x = { path: p, verbs: new Set(), requests: 0 }));
      }
      x.verbs.add(e.verb);
      x.requests++;
      return;
    }
    const map = ok ? acc.rules : acc.denials;
    const ns = r.namespace ?? '';
    const key = `${r.apiGroup ?? ''}|${r.resource}|${r.subresource ?? ''}|${ns}`;
    let rule = map.get(key);
    if (!rule) {
      if (map.size >= 4096) return;
      map.set(key, (rule = { apiGroup: r.apiGroup ?? '', resource: r.resource, ...(r.subresource ? { subresource: r.subresource } : {}), namespace: ns, verbs: new Set(), names: new Set(), requests: 0, ...(this.namesByVerb ? { byVerb: new Map() } : {}) }));
    }
    if (rule.byVerb) {
      let vn = rule.byVerb.get(e.verb);
      if (vn === undefined) rule.byVerb.set(e.verb, (vn = new Set()));
      if (vn) {
        if (!r.name || NAMELESS_VERBS.has(e.verb) || (vn.size >= NAMES_MAX && !vn.has(r.name))) rule.byVerb.set(e.verb, null);
        else vn.add(r.name);
      }
    }
    rule.verbs.add(e.verb);
    rule.requests++;
    if (rule.names) {
      // resourceNames cannot restrict create, list, watch or deletecollection
      if (!r.name || NAMELESS_VERBS.has(e.verb) || rule.names.size >= NAMES_MAX) rule.names = null;
      else rule.names.add(r.name);
    }
  }

  report(): UsageReport {
    const ruleOut = (m: Map<string, RuleAcc>): UsageRule[] =>
      [...m.values()]
        .map((x) => ({
          apiGroup: x.apiGroup,
          resource: x.resource,
          ...(x.subresource ? { subresource: x.subresource } : {}),
          namespace: x.namespace,
          verbs: [...x.verbs].sort(),
          names: x.names ? [...x.names].sort() : null,
          requests: x.requests,
          ...(x.byVerb ? { byVerb: Object.fromEntries([...x.byVerb].sort((a, b) => cmp(a[0], b[0])).map(([v, n]) => [v, n ? [...n].sort() : null])) } : {}),
        }))
        .sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.apiGroup, b.apiGroup) || cmp(a.resource, b.resource) || cmp(a.subresource ?? '', b.subresource ?? ''));
    const identities = [...this.ids.values()]
      .map((a): UsageIdentity => ({
        username: a.actor.username,
        kind: a.actor.kind,
        ...(a.actor.namespace ? { namespace: a.actor.namespace, name: a.actor.name! } : {}),
        groups: [...a.groups].sort(),
        requests: a.requests,
        denied: a.denied,
        ...(a.first ? { firstSeen: a.first } : {}),
        ...(a.last ? { lastSeen: a.last } : {}),
        rules: ruleOut(a.rules),
        nonResourceURLs: [...a.urls.values()].map((u) => ({ path: u.path, verbs: [...u.verbs].sort(), requests: u.requests })).sort((x, y) => cmp(x.path, y.path)),
        deniedRules: ruleOut(a.denials),
      }))
      .sort((x, y) => cmp(x.username, y.username));
    return { window: { ...(this.from ? { from: this.from } : {}), ...(this.to ? { to: this.to } : {}) }, identities };
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function used(identity: UsageIdentity, ns: string, p: ResourcePermission, verb: string): boolean {
  const [res, sub] = p.resource.split('/', 2) as [string, string | undefined];
  return identity.rules.some((r) => {
    if (ns !== '*' && r.namespace !== ns) return false;
    if (p.apiGroup !== '*' && p.apiGroup !== r.apiGroup) return false;
    if (res !== '*' && res !== r.resource) return false;
    if (p.resource === '*' ? false : sub === undefined ? r.subresource !== undefined : sub !== '*' && sub !== r.subresource) return false;
    if (p.resourceNames.length && !(r.names ?? []).some((n) => p.resourceNames.includes(n))) return false;
    return verb === '*' ? r.verbs.length > 0 : r.verbs.includes(verb);
  });
}

/**
 * Permissions the inventory grants the identities of the log that they never used. Bindings
 * from the bootstrap policy the inventory lacks are not judged (not the user's to change).
 * Each grant is weighted by the attack paths its binding opens (what-if: the binding deleted),
 * computed for at most `maxWhatIf` bindings.
 */
export function unusedGrants(report: UsageReport, inv: Inventory, maxWhatIf = 40): UnusedGrant[] {
  const index = rbacIndexOf(inv);
  const out: Omit<UnusedGrant, 'attackPaths' | 'severity'>[] = [];
  for (const id of report.identities) {
    if (id.kind === 'node' || id.kind === 'system' || id.requests === 0) continue;
    const info = { user: id.username, groups: id.groups.length ? id.groups : id.kind === 'serviceaccount' ? ['system:serviceaccounts', `system:serviceaccounts:${id.namespace}`, 'system:authenticated'] : ['system:authenticated'] };
    // groups shared by everyone (system:authenticated ...) grant to all: judged per identity only through its own bindings
    const eff = effectivePermissions(index, { user: info.user, groups: info.groups.filter((g) => g !== 'system:authenticated' && g !== 'system:serviceaccounts' && g !== 'system:unauthenticated') });
    if (eff.superuser) continue;
    const sets: Array<{ ns: string; perms: ResourcePermission[] }> = [{ ns: '*', perms: eff.clusterWide.resources }, ...eff.namespaces.map((n) => ({ ns: n.namespace, perms: n.resources }))];
    for (const { ns, perms } of sets) {
      for (const p of perms) {
        const from = p.from.filter((f) => !f.startsWith('built-in'));
        if (!from.length) continue;
        const unusedVerbs = p.verbs.filter((v) => !used(id, ns, p, v));
        if (unusedVerbs.length) out.push({ id: 'KOR-0980', identity: id.username, from, namespace: ns, apiGroup: p.apiGroup, resource: p.resource, resourceNames: p.resourceNames, unusedVerbs });
      }
    }
  }
  // weight: attack paths removed when the granting binding is deleted
  const weights = new Map<string, { paths: number; example?: string }>();
  const bindings = [...new Set(out.flatMap((g) => g.from))].sort();
  for (const key of bindings.slice(0, maxWhatIf)) {
    const [kind, ns, name] = key.split('/') as [string, string, string];
    const item = inv.objects.find((o) => o.object.kind === kind && (o.object.metadata.namespace ?? '') === (kind === 'RoleBinding' ? ns || 'default' : o.object.metadata.namespace ?? '') && o.object.metadata.name === name);
    if (!item) continue;
    const del: K8sObject = { ...item.object, metadata: { ...item.object.metadata, annotations: { ...(item.object.metadata.annotations ?? {}), [WHAT_IF_ANNOTATION]: 'delete' } } };
    const w = whatIf(inv, [{ object: del, origin: item.origin }]);
    const first = w.removed[0];
    weights.set(key, { paths: w.removed.length, ...(first ? { example: [first.from, ...first.steps.map((s) => s.target)].join(' -> ') } : {}) });
  }
  return out
    .map((g): UnusedGrant => {
      const ws = g.from.map((f) => weights.get(f)).filter((x): x is { paths: number; example?: string } => !!x);
      const paths = Math.max(0, ...ws.map((w) => w.paths));
      const example = ws.find((w) => w.paths === paths)?.example;
      const risky = ['secrets', 'pods/exec', 'clusterrolebindings', 'rolebindings', 'serviceaccounts/token', '*'].includes(g.resource) || g.unusedVerbs.some((v) => ['*', 'escalate', 'bind', 'impersonate'].includes(v));
      return { ...g, severity: paths > 0 ? 'high' : risky ? 'medium' : 'low', attackPaths: paths, ...(example ? { example } : {}) };
    })
    .sort((a, b) => b.attackPaths - a.attackPaths || rank(a.severity) - rank(b.severity) || cmp(a.identity, b.identity) || cmp(a.namespace, b.namespace) || cmp(a.apiGroup, b.apiGroup) || cmp(a.resource, b.resource));
}

function rank(s: string): number {
  return s === 'high' ? 0 : s === 'medium' ? 1 : 2;
}
