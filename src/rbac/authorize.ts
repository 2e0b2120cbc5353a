/**
 * The authorizer: the same decision the Kubernetes RBAC authorizer makes (plus the
 * `system:masters` superuser group the API server authorizes ahead of RBAC), with every
 * grant that allows the request rather than the first one.
 *
 * ClusterRoleBindings apply to every request; RoleBindings only to requests in their own
 * namespace (a cluster-wide request, namespace '', sees no RoleBinding).
 */
import { ruleAllows } from './match.js';
import { SUPERUSER_GROUP, cmp, type BindingEntry, type RbacIndex } from './model.js';
import type { Decision, Grant, PolicyRule, RequestAttributes, ResourceRequest, UserInfo } from './types.js';

export const SUPERUSER_BINDING = `built-in//${SUPERUSER_GROUP}`;
export const ALL_RULE: PolicyRule = { verbs: ['*'], apiGroups: ['*'], resources: ['*'], resourceNames: [], nonResourceURLs: ['*'] };

export function authorize(index: RbacIndex, attrs: RequestAttributes): Decision {
  const grants: Grant[] = [];
  if (index.superuserGroup && attrs.groups.includes(SUPERUSER_GROUP)) {
    grants.push({ binding: SUPERUSER_BINDING, role: SUPERUSER_BINDING, rule: ALL_RULE });
  }
  const ns = attrs.path === undefined ? attrs.namespace ?? '' : '';
  const visit = (b: BindingEntry): void => {
    if (!b.role) return;
    for (const rule of b.role.rules) if (ruleAllows(rule, attrs)) grants.push({ binding: b.key, role: b.role.key, rule, ...(b.namespace ? { namespace: b.namespace } : {}) });
  };
  for (const b of index.clusterBindingsFor(attrs)) visit(b);
  if (ns !== '') for (const b of index.namespaceBindingsFor(attrs, ns)) visit(b);
  grants.sort(compareGrants);
  return { allowed: grants.length > 0, grants };
}

/** By binding, then role; grants of one binding keep the order of the role's rules (the sort is stable). */
export function compareGrants(a: Grant, b: Grant): number {
  return cmp(a.binding, b.binding) || cmp(a.role, b.role);
}

/**
 * An identity's bindings looked up once, for asking many questions about the same identity
 * (escalation search). Same answers as authorize(), without the per-call index lookups.
 */
export class CompiledIdentity {
  readonly superuser: boolean;
  private readonly cluster: BindingEntry[];
  private readonly namespaced = new Map<string, BindingEntry[]>();
  /** Verbs of all rules the identity holds anywhere (`*` included), for quick negative answers. */
  readonly verbs = new Set<string>();
  /** Every resourceName any of its rules lists. */
  readonly resourceNames = new Set<string>();

  constructor(private readonly index: RbacIndex, readonly info: UserInfo) {
    this.superuser = index.superuserGroup && info.groups.includes(SUPERUSER_GROUP);
    this.cluster = index.clusterBindingsFor(info);
    const note = (list: BindingEntry[]): void => {
      for (const b of list) {
        for (const r of b.role?.rules ?? []) {
          for (const v of r.verbs) this.verbs.add(v);
          for (const n of r.resourceNames) this.resourceNames.add(n);
        }
      }
    };
    note(this.cluster);
    for (const ns of index.namespacesWithBindingsFor(info)) {
      const list = index.namespaceBindingsFor(info, ns);
      this.namespaced.set(ns, list);
      note(list);
    }
  }

  /**
   * The same request for each of several object names: a grant per allowed name. A rule
   * without resourceNames allows them all; otherwise only names some rule lists can be allowed,
   * so only those are asked.
   */
  grantsForNames(req: ResourceRequest, names: readonly string[]): Map<string, Grant> {
    const out = new Map<string, Grant>();
    const any = this.firstGrant({ ...req, name: '' });
    if (any && any.rule.resourceNames.length === 0) {
      for (const n of names) out.set(n, any);
      return out;
    }
    if (!this.mayUse(req.verb)) return out;
    for (const n of names) {
      if (!this.superuser && !this.resourceNames.has(n)) continue;
      const g = this.firstGrant({ ...req, name: n });
      if (g) out.set(n, g);
    }
    return out;
  }

  /** Might any rule allow this verb? (False means certainly not, unless superuser.) */
  mayUse(verb: string): boolean {
    return this.superuser || this.verbs.has('*') || this.verbs.has(verb);
  }

  /** The first grant that allows the request, or undefined. */
  firstGrant(req: ResourceRequest): Grant | undefined {
    if (this.superuser) return { binding: SUPERUSER_BINDING, role: SUPERUSER_BINDING, rule: ALL_RULE };
    if (!this.mayUse(req.verb)) return undefined;
    const ns = req.namespace ?? '';
    const lists = ns === '' ? [this.cluster] : [this.cluster, this.namespaced.get(ns) ?? []];
    for (const list of lists) {
      for (const b of list) {
        if (!b.role) continue;
        for (const rule of b.role.rules) if (ruleAllows(rule, req)) return { binding: b.key, role: b.role.key, rule, ...(b.namespace ? { namespace: b.namespace } : {}) };
      }
    }
    return undefined;
  }

  /** Every binding key the identity holds. */
  bindingKeys(): Set<string> {
    const out = new Set<string>();
    for (const b of this.cluster) out.add(b.key);
    for (const list of this.namespaced.values()) for (const b of list) out.add(b.key);
    return out;
  }
}
