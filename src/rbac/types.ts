/**
 * The RBAC model, in the shape of the `rbac.authorization.k8s.io/v1` API and of the
 * authorizer's request attributes (what a SubjectAccessReview carries).
 */

/** One PolicyRule, with missing lists read as empty (what the API server stores). */
export interface PolicyRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

export type SubjectKind = 'User' | 'Group' | 'ServiceAccount';

/** A binding subject. `namespace` only for ServiceAccount (defaulted as the authorizer does). */
export interface Subject {
  kind: SubjectKind;
  name: string;
  namespace?: string;
}

/** The authenticated identity of a request: user name and groups, exactly as the API server sees them. */
export interface UserInfo {
  user: string;
  groups: string[];
}

/** A request, as the authorizer sees it (the fields of a SubjectAccessReview spec). */
export type RequestAttributes = UserInfo & (ResourceRequest | NonResourceRequest);

export interface ResourceRequest {
  verb: string;
  /** '' for the core group. */
  apiGroup: string;
  resource: string;
  subresource?: string;
  /** '' (or absent) for a cluster-wide request. */
  namespace?: string;
  /** '' (or absent) when the request carries no name (list, watch, create, deletecollection). */
  name?: string;
  path?: undefined;
}

export interface NonResourceRequest {
  verb: string;
  /** The URL path, e.g. `/healthz` or `/apis`. */
  path: string;
  resource?: undefined;
}

/** `Kind/namespace/name` of a role or binding (`ClusterRole//admin`-style: namespace empty when cluster-scoped). */
export type ObjectKey = string;

/** What allowed a request: the binding, the role it references and the matching rule. */
export interface Grant {
  /** `RoleBinding/<ns>/<name>` or `ClusterRoleBinding//<name>`; `built-in//system:masters` for the superuser group. */
  binding: ObjectKey;
  /** `Role/<ns>/<name>` or `ClusterRole//<name>`. */
  role: ObjectKey;
  rule: PolicyRule;
  /** The namespace the grant applies in (RoleBinding), absent when cluster-wide. */
  namespace?: string;
}

export interface Decision {
  allowed: boolean;
  grants: Grant[];
}

export function isResourceRequest(a: RequestAttributes): a is UserInfo & ResourceRequest {
  return a.path === undefined;
}

export function objectKey(kind: string, namespace: string | undefined, name: string): ObjectKey {
  return `${kind}/${namespace ?? ''}/${name}`;
}
