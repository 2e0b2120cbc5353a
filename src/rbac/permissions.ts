/**
 * Effective permissions of an identity: every rule its bindings give it, merged and sorted,
 * cluster-wide (ClusterRoleBindings: they apply in every namespace too) and per namespace
 * (RoleBindings: only the rules a namespace adds on top of the cluster-wide ones).
 *
 * Merging: resource rules are expanded to one entry per (apiGroup, resource, resourceNames)
 * with the union of their verbs; non-resource rules to one entry per URL.
 */
import { ALL_RULE, SUPERUSER_BINDING } from './authorize.js';
import { SUPERUSER_GROUP, cmp, type BindingEntry, type RbacIndex } from './model.js';
import type { PolicyRule, UserInfo } from './types.js';

export interface ResourcePermission {
  apiGroup: string;
  resource: string;
  /** Empty: any name. */
  resourceNames: string[];
  verbs: string[];
  /** Bindings that give it (`Kind/ns/name`). */
  from: string[];
}

export interface NonResourcePermission {
  url: string;
  verbs: string[];
  from: string[];
}

export interface PermissionSet {
  resources: ResourcePermission[];
  nonResourceURLs: NonResourcePermission[];
}

export interface EffectivePermissions {
  user: string;
  groups: string[];
  /** True when a superuser group makes every request allowed. */
  superuser: boolean;
  clusterWide: PermissionSet;
  /** Namespace → what RoleBindings there add. Sorted by namespace. */
  namespaces: Array<{ namespace: string } & PermissionSet>;
}

export function effectivePermissions(index: RbacIndex, info: UserInfo): EffectivePermissions {
  const superuser = index.superuserGroup && info.groups.includes(SUPERUSER_GROUP);
  const clusterRules: Array<{ rule: PolicyRule; from: string }> = [];
  if (superuser) clusterRules.push({ rule: ALL_RULE, from: SUPERUSER_BINDING });
  for (const b of index.clusterBindingsFor(info)) pushRules(clusterRules, b);
  const namespaces: EffectivePermissions['namespaces'] = [];
  for (const ns of index.namespacesWithBindingsFor(info)) {
    const rules: Array<{ rule: PolicyRule; from: string }> = [];
    for (const b of index.namespaceBindingsFor(info, ns)) pushRules(rules, b);
    if (rules.length) namespaces.push({ namespace: ns, ...mergeRules(rules) });
  }
  return { user: info.user, groups: [...info.groups], superuser, clusterWide: mergeRules(clusterRules), namespaces };
}

function pushRules(out: Array<{ rule: PolicyRule; from: string }>, b: BindingEntry): void {
  if (!b.role) return;
  for (const rule of b.role.rules) out.push({ rule, from: b.key });
}

export function mergeRules(rules: ReadonlyArray<{ rule: PolicyRule; from: string }>): PermissionSet {
  const res = new Map<string, { p: ResourcePermission; verbs: Set<string>; from: Set<string> }>();
  const urls = new Map<string, { url: string; verbs: Set<string>; from: Set<string> }>();
  for (const { rule, from } of rules) {
    for (const g of rule.apiGroups) {
      for (const r of rule.resources) {
        const names = [...new Set(rule.resourceNames)].sort();
        const key = JSON.stringify([g, r, names]);
        let e = res.get(key);
        if (!e) res.set(key, (e = { p: { apiGroup: g, resource: r, resourceNames: names, verbs: [], from: [] }, verbs: new Set(), from: new Set() }));
        for (const v of rule.verbs) e.verbs.add(v);
        e.from.add(from);
      }
    }
    for (const u of rule.nonResourceURLs) {
      let e = urls.get(u);
      if (!e) urls.set(u, (e = { url: u, verbs: new Set(), from: new Set() }));
      for (const v of rule.verbs) e.verbs.add(v);
      e.from.add(from);
    }
  }
  const verbsOf = (s: Set<string>): string[] => (s.has('*') ? ['*'] : [...s].sort());
  const resources = [...res.values()]
    .filter((e) => e.verbs.size > 0)
    .map((e) => ({ ...e.p, verbs: verbsOf(e.verbs), from: [...e.from].sort() }))
    .sort((a, b) => cmp(a.apiGroup, b.apiGroup) || cmp(a.resource, b.resource) || cmp(a.resourceNames.join(','), b.resourceNames.join(',')));
  const nonResourceURLs = [...urls.values()]
    .filter((e) => e.verbs.size > 0)
    .map((e) => ({ url: e.url, verbs: verbsOf(e.verbs), from: [...e.from].sort() }))
    .sort((a, b) => cmp(a.url, b.url));
  return { resources, nonResourceURLs };
}
