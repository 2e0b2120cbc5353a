/**
 * Whether a kind lives in namespaces: built-in kinds by the API's own table, custom resources by
 * their CRD in the inventory (or, for a few widely installed projects whose CRDs are usually
 * installed separately, by those projects' published scope). Anything else is unknown: a
 * control must not claim where an object of that kind lives.
 */
import type { Inventory } from '../../inventory/inventory.js';
import { apiGroupOf, CLUSTER_SCOPED_KINDS } from '../../inventory/inventory.js';
import type { K8sObject } from '../../inventory/types.js';

export type KindScope = 'namespaced' | 'cluster' | 'unknown';

/** Namespaced kinds of the built-in API groups (core, apps, batch, ...). */
const BUILT_IN_NAMESPACED = new Set([
  'Pod', 'Service', 'Endpoints', 'ConfigMap', 'Secret', 'ServiceAccount', 'PersistentVolumeClaim', 'ReplicationController',
  'Event', 'LimitRange', 'ResourceQuota', 'PodTemplate', 'Binding', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet',
  'ControllerRevision', 'Job', 'CronJob', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy', 'Ingress',
  'EndpointSlice', 'Role', 'RoleBinding', 'CSIStorageCapacity', 'Lease', 'LocalSubjectAccessReview', 'ResourceClaim',
  'ResourceClaimTemplate', 'PodSchedulingContext',
]);

/** The built-in API groups: a kind of these groups not in either table is not a custom resource. */
const BUILT_IN_GROUPS = new Set([
  '', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'discovery.k8s.io', 'rbac.authorization.k8s.io',
  'storage.k8s.io', 'certificates.k8s.io', 'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'apiregistration.k8s.io',
  'coordination.k8s.io', 'scheduling.k8s.io', 'node.k8s.io', 'flowcontrol.apiserver.k8s.io', 'authentication.k8s.io',
  'authorization.k8s.io', 'resource.k8s.io', 'events.k8s.io',
]);

/** Custom resources of widely installed projects whose CRDs often live outside the scanned repository: `group/Kind` → scope. */
const WELL_KNOWN_CUSTOM: ReadonlyMap<string, KindScope> = new Map<string, KindScope>([
  ...['Prometheus', 'PrometheusAgent', 'Alertmanager', 'AlertmanagerConfig', 'ThanosRuler', 'ServiceMonitor', 'PodMonitor', 'Probe', 'PrometheusRule', 'ScrapeConfig'].map((k): [string, KindScope] => [`monitoring.coreos.com/${k}`, 'namespaced']),
  ['cert-manager.io/Certificate', 'namespaced'], ['cert-manager.io/CertificateRequest', 'namespaced'], ['cert-manager.io/Issuer', 'namespaced'], ['cert-manager.io/ClusterIssuer', 'cluster'],
  ['acme.cert-manager.io/Order', 'namespaced'], ['acme.cert-manager.io/Challenge', 'namespaced'],
  ...['Gateway', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute', 'ReferenceGrant', 'BackendTLSPolicy'].map((k): [string, KindScope] => [`gateway.networking.k8s.io/${k}`, 'namespaced']),
  ['gateway.networking.k8s.io/GatewayClass', 'cluster'],
  ['argoproj.io/Application', 'namespaced'], ['argoproj.io/ApplicationSet', 'namespaced'], ['argoproj.io/AppProject', 'namespaced'], ['argoproj.io/Rollout', 'namespaced'], ['argoproj.io/Workflow', 'namespaced'], ['argoproj.io/ClusterWorkflowTemplate', 'cluster'],
  ['external-secrets.io/ExternalSecret', 'namespaced'], ['external-secrets.io/SecretStore', 'namespaced'], ['external-secrets.io/ClusterSecretStore', 'cluster'], ['external-secrets.io/ClusterExternalSecret', 'cluster'],
  ['kyverno.io/Policy', 'namespaced'], ['kyverno.io/ClusterPolicy', 'cluster'],
]);

const crdScopes = new WeakMap<Inventory, Map<string, KindScope>>();

/** `group/Kind` → scope of every CRD in the inventory. */
function scopesOfCrds(inv: Inventory): Map<string, KindScope> {
  let map = crdScopes.get(inv);
  if (map) return map;
  map = new Map();
  for (const item of inv.byKind('CustomResourceDefinition')) {
    const spec = item.object['spec'] as { group?: unknown; scope?: unknown; names?: { kind?: unknown } } | undefined;
    if (!spec || typeof spec.group !== 'string' || typeof spec.names?.kind !== 'string') continue;
    const scope: KindScope = spec.scope === 'Cluster' ? 'cluster' : spec.scope === 'Namespaced' ? 'namespaced' : 'unknown';
    map.set(`${spec.group}/${spec.names.kind}`, scope);
  }
  crdScopes.set(inv, map);
  return map;
}

/** Where objects of this object's kind live, as far as the inventory and the built-in tables tell. */
export function kindScope(inv: Inventory, object: K8sObject): KindScope {
  const group = typeof object.apiVersion === 'string' ? apiGroupOf(object.apiVersion) : '';
  if (BUILT_IN_GROUPS.has(group)) {
    if (CLUSTER_SCOPED_KINDS.has(object.kind)) return 'cluster';
    return BUILT_IN_NAMESPACED.has(object.kind) ? 'namespaced' : 'unknown';
  }
  const key = `${group}/${object.kind}`;
  return scopesOfCrds(inv).get(key) ?? WELL_KNOWN_CUSTOM.get(key) ?? 'unknown';
}
