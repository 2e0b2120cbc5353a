/**
 * Resource names as kubectl resolves them, from the discovery table of the target Kubernetes
 * version (src/rbac/bootstrap/, read from a real kube-apiserver) plus the CustomResourceDefinitions
 * in the input: plural (`secrets`), singular (`secret`), short names (`po`, `deploy`), kinds in any
 * case (`Secret`), group-qualified (`deployments.apps`, `deploy.apps`, `deployments.v1.apps`),
 * with a subresource (`pods/log`, `deployments.apps/scale`). Also: which resources live in
 * namespaces (a RoleBinding can never grant a cluster-scoped one).
 */
import type { Inventory } from '../inventory/inventory.js';
import { apiGroupOf } from '../inventory/inventory.js';
import { SHIPPED_KUBERNETES_VERSIONS, shippedVersion, shippedVersionFor, type DiscoveredResource } from './bootstrap/index.js';
import { targetKubernetesVersion } from './builtins.js';

export interface ResourceArgument {
  resource: string;
  apiGroup: string;
  subresource: string;
}

/** A resource argument resolved against the table: what RBAC rules name, and its scope. */
export interface ResolvedResource extends ResourceArgument {
  kind: string;
  namespaced: boolean;
  /**
   * Where the name came from: the built-in API of the target version, a CRD in the input, the
   * built-in API of other Kubernetes versions only (not served by default in the target version:
   * an alpha or beta API there, or one added or removed since), or only an RBAC rule in the input.
   */
  origin: 'built-in' | 'crd' | 'other-version' | 'rbac-rule';
  /** For `other-version`: the shipped versions that serve it by default, newest first. */
  servedIn?: string[];
}

export type Resolution = { ok: true; resource: ResolvedResource } | { ok: false; error: string; suggestions: string[] };

interface Entry {
  group: string;
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  /** Undefined: not known (any subresource is accepted). */
  subresources?: string[];
  origin: ResolvedResource['origin'];
  servedIn?: string[];
}

/** The resources of a Kubernetes version's API, plus custom resources; resolves kubectl-style names. */
export class ResourceTable {
  private readonly entries: Entry[] = [];
  private readonly byGroupResource = new Map<string, Entry>();

  /**
   * `builtIn`: the target version's API; `extra`: the input's CRDs, then the resources of the
   * other shipped versions, then names only RBAC rules give (the first entry of a group and
   * resource wins).
   */
  constructor(builtIn: readonly DiscoveredResource[], extra: readonly Entry[] = []) {
    for (const r of builtIn) this.add(entryOf(r, 'built-in'));
    for (const e of extra) this.add(e);
  }

  private add(e: Entry): void {
    const key = `${e.group}/${e.resource}`;
    if (this.byGroupResource.has(key)) return; // the built-in API (then the first CRD) wins
    this.byGroupResource.set(key, e);
    this.entries.push(e);
  }

  /** Is a resource of a group namespaced? Unknown resources are assumed namespaced. */
  isNamespaced(group: string, resource: string): boolean {
    return this.byGroupResource.get(`${group}/${resource}`)?.namespaced ?? true;
  }

  /** Entries a name (lower-cased) stands for, in priority order: plural, singular, kind, short name. */
  private lookup(name: string, group: string | undefined): Entry[] {
    const inGroup = (e: Entry): boolean => group === undefined || e.group === group;
    for (const field of ['resource', 'singular', 'kind', 'short'] as const) {
      const hits = this.entries.filter((e) => inGroup(e) && (field === 'short' ? e.shortNames.includes(name) : field === 'kind' ? e.kind.toLowerCase() === name : e[field] === name));
      if (hits.length > 0) return hits;
    }
    return [];
  }

  /**
   * Resolves `RESOURCE[.VERSION][.GROUP][/SUBRESOURCE]` as kubectl does (names are
   * case-insensitive; when a name exists in several groups, the core group, then the API
   * server's group order, wins, as kubectl's `get events` means the core events).
   */
  resolve(arg: string): Resolution {
    const slash = arg.indexOf('/');
    const left = (slash === -1 ? arg : arg.slice(0, slash)).toLowerCase();
    const subresource = slash === -1 ? '' : arg.slice(slash + 1);
    if (left === '' || (slash !== -1 && subresource === '')) return { ok: false, error: `cannot read resource "${arg}"`, suggestions: [] };
    let hits: Entry[] = [];
    const dot = left.indexOf('.');
    if (dot === -1) hits = this.lookup(left, undefined);
    else {
      // kubectl tries RESOURCE.VERSION.GROUP first, then RESOURCE.GROUP
      const name = left.slice(0, dot);
      const rest = left.slice(dot + 1);
      const second = rest.indexOf('.');
      if (second !== -1 && /^v[0-9]+((alpha|beta)[0-9]+)?$/.test(rest.slice(0, second))) hits = this.lookup(name, rest.slice(second + 1));
      if (hits.length === 0) hits = this.lookup(name, rest);
      if (hits.length === 0 && /^v[0-9]+((alpha|beta)[0-9]+)?$/.test(rest)) hits = this.lookup(name, '');
    }
    const e = hits[0];
    if (!e) return { ok: false, error: `unknown resource "${arg}"`, suggestions: this.suggest(left) };
    if (subresource !== '' && e.subresources && !e.subresources.includes(subresource)) {
      const subs = e.subresources.map((s) => `${display(e)}/${s}`);
      return { ok: false, error: `${display(e)} has no subresource "${subresource}"`, suggestions: subs.length ? subs : [] };
    }
    return { ok: true, resource: { resource: e.resource, apiGroup: e.group, subresource, kind: e.kind, namespaced: e.namespaced, origin: e.origin, ...(e.servedIn ? { servedIn: e.servedIn } : {}) } };
  }

  /** Close names: same prefix or at most two edits away, plural names shown group-qualified. */
  private suggest(text: string): string[] {
    const name = text.split('.')[0]!;
    const scored: Array<{ d: number; s: string }> = [];
    const seen = new Set<string>();
    for (const e of this.entries) {
      const names = [e.resource, e.singular, e.kind.toLowerCase(), ...e.shortNames];
      let best = Infinity;
      for (const n of names) {
        const d = n.startsWith(name) && name.length >= 3 ? 1 : editDistance(name, n, 2);
        if (d < best) best = d;
      }
      const s = display(e);
      if (best <= 2 && !seen.has(s)) (seen.add(s), scored.push({ d: best, s }));
    }
    return scored.sort((a, b) => a.d - b.d || (a.s < b.s ? -1 : a.s > b.s ? 1 : 0)).slice(0, 5).map((x) => x.s);
  }
}

function entryOf(r: DiscoveredResource, origin: Entry['origin'], servedIn?: string[]): Entry {
  return { group: r.group, resource: r.resource, singular: r.singular, kind: r.kind, namespaced: r.namespaced, shortNames: r.shortNames, subresources: r.subresources, origin, ...(servedIn ? { servedIn } : {}) };
}

function display(e: Entry): string {
  return e.group === '' ? e.resource : `${e.resource}.${e.group}`;
}

/** Levenshtein distance, giving up (returning max + 1) beyond `max`. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (cur[j]! < rowMin) rowMin = cur[j]!;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

const BUILT_IN_TABLES = new Map<string, ResourceTable>();
const OTHER_VERSIONS = new Map<string, Entry[]>();

/**
 * The resources other shipped versions serve by default and `minor` does not (an alpha or beta
 * API there, or one added or removed since), each with the versions that serve it, newest first.
 * A resource's scope and names are the same in every version that serves it.
 */
function otherVersionEntries(minor: string): Entry[] {
  let out = OTHER_VERSIONS.get(minor);
  if (out) return out;
  const own = new Set(shippedVersionFor(minor).data.resources.map((r) => `${r.group}/${r.resource}`));
  const byKey = new Map<string, { r: DiscoveredResource; servedIn: string[] }>();
  for (const v of SHIPPED_KUBERNETES_VERSIONS) {
    if (v === minor) continue;
    for (const r of shippedVersion(v)!.resources) {
      const key = `${r.group}/${r.resource}`;
      if (own.has(key)) continue;
      const hit = byKey.get(key);
      if (hit) hit.servedIn.push(v);
      else byKey.set(key, { r, servedIn: [v] });
    }
  }
  out = [...byKey.values()].map(({ r, servedIn }) => entryOf(r, 'other-version', servedIn));
  OTHER_VERSIONS.set(minor, out);
  return out;
}

/** The built-in table of a target version (`--kube-version`, or the newest shipped): its API, then what other versions serve. */
function builtInTable(kubeVersion?: string): ResourceTable {
  const chosen = shippedVersionFor(kubeVersion);
  let t = BUILT_IN_TABLES.get(chosen.minor);
  if (!t) BUILT_IN_TABLES.set(chosen.minor, (t = new ResourceTable(chosen.data.resources, otherVersionEntries(chosen.minor))));
  return t;
}

/**
 * The table for an input: the target version's built-in API (`kubeVersion`, else the version the
 * input was read from, a cluster's or a snapshot's, else the newest shipped), the CRDs in the
 * inventory (their plural, singular, short names and kind), the resources other Kubernetes
 * versions serve by default (origin `other-version`: off by default in the target version), and
 * resources that RBAC rules in the input name with an explicit group (custom resources whose CRD
 * is installed separately).
 */
export function resourceTableFor(inv: Inventory | undefined, kubeVersion?: string): ResourceTable {
  if (!inv) return builtInTable(kubeVersion);
  const minor = targetKubernetesVersion(inv, kubeVersion).minor;
  const extra: Entry[] = [];
  for (const crd of inv.byKind('CustomResourceDefinition')) {
    if (apiGroupOf(crd.object.apiVersion) !== 'apiextensions.k8s.io') continue;
    const spec = (crd.object['spec'] ?? {}) as { group?: unknown; scope?: unknown; names?: Record<string, unknown>; versions?: Array<{ subresources?: Record<string, unknown> }> };
    const names = spec.names ?? {};
    if (typeof spec.group !== 'string' || typeof names['plural'] !== 'string' || typeof names['kind'] !== 'string') continue;
    const plural = names['plural'].toLowerCase();
    const subs = new Set<string>();
    for (const v of Array.isArray(spec.versions) ? spec.versions : []) for (const k of Object.keys(v?.subresources ?? {})) subs.add(k);
    extra.push({
      group: spec.group,
      resource: plural,
      singular: typeof names['singular'] === 'string' && names['singular'] !== '' ? names['singular'].toLowerCase() : names['kind'].toLowerCase(),
      kind: names['kind'],
      namespaced: spec.scope !== 'Cluster',
      shortNames: Array.isArray(names['shortNames']) ? names['shortNames'].filter((n): n is string => typeof n === 'string').map((n) => n.toLowerCase()) : [],
      subresources: [...subs].sort(),
      origin: 'crd',
    });
  }
  extra.push(...otherVersionEntries(minor));
  for (const kind of ['ClusterRole', 'Role']) {
    for (const role of inv.byKind(kind)) {
      const rules = Array.isArray(role.object['rules']) ? (role.object['rules'] as Array<Record<string, unknown>>) : [];
      for (const rule of rules) {
        const groups = Array.isArray(rule?.['apiGroups']) ? (rule['apiGroups'] as unknown[]) : [];
        const resources = Array.isArray(rule?.['resources']) ? (rule['resources'] as unknown[]) : [];
        for (const g of groups) {
          if (typeof g !== 'string' || g === '' || g === '*') continue;
          for (const r of resources) {
            if (typeof r !== 'string' || r === '' || r.includes('*')) continue;
            const resource = r.split('/')[0]!.toLowerCase();
            extra.push({ group: g, resource, singular: resource, kind: '', namespaced: true, shortNames: [], origin: 'rbac-rule' });
          }
        }
      }
    }
  }
  if (extra.length === otherVersionEntries(minor).length) return builtInTable(minor);
  return new ResourceTable(shippedVersionFor(minor).data.resources, extra);
}

/**
 * Is a resource (of a group) namespaced in the built-in API of a target version (`v1.36`; the
 * newest shipped when not given)? A resource that version does not serve by default takes the
 * scope other versions give it; unknown resources are assumed namespaced.
 */
export function isNamespacedResource(group: string, resource: string, kubeVersion?: string): boolean {
  return builtInTable(kubeVersion).isNamespaced(group, resource);
}

/**
 * Reads a kubectl-style resource without the table's checks: `pods`, `pods/log`,
 * `deployments.apps/scale`. A bare built-in name (any form kubectl accepts) gets its plural and
 * group from the built-in table (`deploy` → `deployments` in `apps`); other names are read as
 * given, bare ones in the core group. Use `resourceTableFor(...).resolve` to reject unknown names.
 */
export function parseResourceArgument(arg: string): ResourceArgument {
  const r = builtInTable().resolve(arg);
  if (r.ok) return { resource: r.resource.resource, apiGroup: r.resource.apiGroup, subresource: r.resource.subresource };
  const slash = arg.indexOf('/');
  const left = slash === -1 ? arg : arg.slice(0, slash);
  const subresource = slash === -1 ? '' : arg.slice(slash + 1);
  const dot = left.indexOf('.');
  if (dot !== -1) return { resource: left.slice(0, dot), apiGroup: left.slice(dot + 1), subresource };
  return { resource: left, apiGroup: '', subresource };
}

/** Workload kinds that create pods, as RBAC resources. */
export const POD_CONTROLLER_RESOURCES: ReadonlyArray<{ apiGroup: string; resource: string }> = [
  { apiGroup: '', resource: 'pods' },
  { apiGroup: '', resource: 'replicationcontrollers' },
  { apiGroup: 'apps', resource: 'deployments' },
  { apiGroup: 'apps', resource: 'replicasets' },
  { apiGroup: 'apps', resource: 'statefulsets' },
  { apiGroup: 'apps', resource: 'daemonsets' },
  { apiGroup: 'batch', resource: 'jobs' },
  { apiGroup: 'batch', resource: 'cronjobs' },
];
