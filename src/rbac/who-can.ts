/**
 * who-can: every subject some binding allows to make a request, with the grants.
 *
 * Scope: with a namespace, the request is asked in that namespace (ClusterRoleBindings plus
 * that namespace's RoleBindings); with `allNamespaces`, in any namespace (every RoleBinding
 * counts, in its own namespace, except for cluster-scoped resources such as nodes, which no
 * RoleBinding can grant); without either, cluster-wide (ClusterRoleBindings only).
 * Subjects are listed as bindings name them (a group is one entry, not its members), plus
 * the built-in `system:masters` group, which the API server always allows.
 */
import { ruleAllows } from './match.js';
import { SUPERUSER_GROUP, cmp, type BindingEntry, type RbacIndex, type RoleEntry } from './model.js';
import { ALL_RULE, SUPERUSER_BINDING } from './authorize.js';
import type { Grant, PolicyRule, Subject } from './types.js';
import { isNamespacedResource } from './resources.js';

export interface WhoCanQuery {
  verb: string;
  apiGroup?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  /** A non-resource URL path (then resource fields are ignored). */
  path?: string;
  namespace?: string;
  allNamespaces?: boolean;
  /** Is the resource namespaced (from the resource table, CRDs included)? Default: the built-in table's answer for the index's target version. */
  namespaced?: boolean;
}

export interface WhoCanSubject extends Subject {
  grants: Grant[];
  /** Set when only bootstrap bindings that the input lacks (assumed built-ins) grant it. */
  builtIn?: true;
}

export interface WhoCanResult {
  subjects: WhoCanSubject[];
}

export function whoCan(index: RbacIndex, q: WhoCanQuery): WhoCanResult {
  const attrs =
    q.path !== undefined
      ? { user: '', groups: [], verb: q.verb, path: q.path }
      : { user: '', groups: [], verb: q.verb, apiGroup: q.apiGroup ?? '', resource: q.resource ?? '', subresource: q.subresource ?? '', name: q.name ?? '', namespace: q.namespace ?? '' };
  const memo = new Map<RoleEntry, PolicyRule[]>();
  const matching = (role: RoleEntry): PolicyRule[] => {
    let r = memo.get(role);
    if (!r) memo.set(role, (r = role.rules.filter((rule) => ruleAllows(rule, attrs))));
    return r;
  };
  const bySubject = new Map<string, WhoCanSubject>();
  const entryFor = (label: string, subject: Subject): WhoCanSubject => {
    let entry = bySubject.get(label);
    if (!entry) bySubject.set(label, (entry = { ...subject, grants: [] }));
    return entry;
  };
  if (index.superuserGroup) entryFor(`group:${SUPERUSER_GROUP}`, { kind: 'Group', name: SUPERUSER_GROUP }).grants.push({ binding: SUPERUSER_BINDING, role: SUPERUSER_BINDING, rule: ALL_RULE });

  const visit = (b: BindingEntry): void => {
    if (!b.role) return;
    const rules = matching(b.role);
    if (rules.length === 0) return;
    const grants = rules.map((rule): Grant => ({ binding: b.key, role: b.role!.key, rule, ...(b.namespace ? { namespace: b.namespace } : {}) }));
    for (const s of b.subjects) {
      if (s.unmatchable) continue;
      const entry = bySubject.get(s.label) ?? entryFor(s.label, { kind: s.kind, name: s.name, ...(s.namespace ? { namespace: s.namespace } : {}) });
      for (const g of grants) entry.grants.push(g);
    }
  };
  for (const b of index.clusterRoleBindings) visit(b);
  if (q.path === undefined) {
    // A cluster-scoped resource is never requested in a namespace: no RoleBinding can grant it.
    if (q.allNamespaces && (q.namespaced ?? isNamespacedResource(q.apiGroup ?? '', q.resource ?? '', index.builtInVersion))) for (const list of index.roleBindingsByNamespace.values()) for (const b of list) visit(b);
    else if (q.namespace) for (const b of index.roleBindingsByNamespace.get(q.namespace) ?? []) visit(b);
  }
  // Bindings are walked in a fixed order (cluster role bindings by name, then role bindings by
  // namespace and name), so each subject's grants come out in that order without sorting.
  const subjects = [...bySubject.entries()].sort((a, b) => cmp(a[0], b[0])).map(([, s]) => s);
  return { subjects };
}
