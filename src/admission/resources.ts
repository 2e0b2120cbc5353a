/**
 * The REST resources of the kinds kordon's controls judge, for the match rules of generated
 * admission policies and webhook configurations.
 */
import { POD_BEARING_KINDS } from '../inventory/podspec.js';

export interface KindResource {
  group: string;
  version: string;
  resource: string;
  namespaced: boolean;
}

export const KIND_RESOURCES: Readonly<Record<string, KindResource>> = {
  Pod: { group: '', version: 'v1', resource: 'pods', namespaced: true },
  PodTemplate: { group: '', version: 'v1', resource: 'podtemplates', namespaced: true },
  ReplicationController: { group: '', version: 'v1', resource: 'replicationcontrollers', namespaced: true },
  Deployment: { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true },
  ReplicaSet: { group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true },
  StatefulSet: { group: 'apps', version: 'v1', resource: 'statefulsets', namespaced: true },
  DaemonSet: { group: 'apps', version: 'v1', resource: 'daemonsets', namespaced: true },
  Job: { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true },
  CronJob: { group: 'batch', version: 'v1', resource: 'cronjobs', namespaced: true },
  Service: { group: '', version: 'v1', resource: 'services', namespaced: true },
  ServiceAccount: { group: '', version: 'v1', resource: 'serviceaccounts', namespaced: true },
  Secret: { group: '', version: 'v1', resource: 'secrets', namespaced: true },
  ConfigMap: { group: '', version: 'v1', resource: 'configmaps', namespaced: true },
  Namespace: { group: '', version: 'v1', resource: 'namespaces', namespaced: false },
  Node: { group: '', version: 'v1', resource: 'nodes', namespaced: false },
  PersistentVolume: { group: '', version: 'v1', resource: 'persistentvolumes', namespaced: false },
  Ingress: { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', namespaced: true },
  HorizontalPodAutoscaler: { group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers', namespaced: true },
  NetworkPolicy: { group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies', namespaced: true },
  Role: { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'roles', namespaced: true },
  ClusterRole: { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', namespaced: false },
  RoleBinding: { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'rolebindings', namespaced: true },
  ClusterRoleBinding: { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterrolebindings', namespaced: false },
};

export interface ResourceRule {
  apiGroups: string[];
  apiVersions: string[];
  resources: string[];
  operations: string[];
  scope?: '*' | 'Cluster' | 'Namespaced';
}

/**
 * Resource rules matching `kinds` (`*`: every resource) on CREATE and UPDATE, one rule per API
 * group, in a stable order. Kinds without a known resource are returned in `unknown`.
 */
export function resourceRules(kinds: readonly string[], operations: readonly string[] = ['CREATE', 'UPDATE']): { rules: ResourceRule[]; unknown: string[] } {
  if (kinds.includes('*')) return { rules: [{ apiGroups: ['*'], apiVersions: ['*'], resources: ['*'], operations: [...operations] }], unknown: [] };
  const byGroup = new Map<string, Set<string>>();
  const unknown: string[] = [];
  for (const kind of kinds) {
    const r = KIND_RESOURCES[kind];
    if (!r) {
      unknown.push(kind);
      continue;
    }
    if (!byGroup.has(r.group)) byGroup.set(r.group, new Set());
    byGroup.get(r.group)!.add(r.resource);
  }
  const rules = [...byGroup.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([group, resources]) => ({ apiGroups: [group], apiVersions: ['*'], resources: [...resources].sort(), operations: [...operations] }));
  return { rules, unknown };
}

/** The kinds a pod-spec or container control judges. */
export const WORKLOAD_KINDS: readonly string[] = POD_BEARING_KINDS;

/** The kind of a resource (`deployments` in `apps`), or undefined. */
export function kindOfResource(group: string, resource: string): string | undefined {
  for (const [kind, r] of Object.entries(KIND_RESOURCES)) if (r.group === group && r.resource === resource) return kind;
  return undefined;
}
