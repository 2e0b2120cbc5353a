/**
 * What kordon ships per Kubernetes minor version, read from a real kube-apiserver by
 * scripts/gen-rbac-bootstrap.ts: the RBAC bootstrap policy (every ClusterRole, ClusterRoleBinding,
 * Role and RoleBinding the API server creates, labelled `kubernetes.io/bootstrapping=rbac-defaults`)
 * and the discovery table of the built-in API (resources with their kinds, singular and short
 * names, scope, verbs and subresources).
 */

/** An RBAC object as the API server serves it, without server-set metadata. */
export interface BootstrapObject {
  apiVersion: string;
  kind: 'ClusterRole' | 'ClusterRoleBinding' | 'Role' | 'RoleBinding';
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  rules?: Array<Record<string, string[]>>;
  aggregationRule?: { clusterRoleSelectors: Array<{ matchLabels?: Record<string, string>; matchExpressions?: unknown[] }> };
  roleRef?: { apiGroup: string; kind: string; name: string };
  subjects?: Array<{ kind: string; name: string; namespace?: string; apiGroup?: string }>;
}

/** One resource of the discovery table. */
export interface DiscoveredResource {
  /** '' for the core group. */
  group: string;
  /** The group's preferred version that serves the resource (the first that does, in the server's order). */
  version: string;
  /** Plural name (what RBAC rules name). */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  verbs: string[];
  /** Subresource names (`status`, `log`, `exec`, ...). */
  subresources: string[];
}

export interface ShippedKubernetesVersion {
  /** `v1.35`: the key. */
  minor: string;
  /** The server the data was read from, e.g. `v1.35.4`. */
  serverVersion: string;
  /** How the data was produced. */
  producedBy: string;
  objects: BootstrapObject[];
  resources: DiscoveredResource[];
}
