/**
 * Pods that operators create from custom resources (a Prometheus, an Alertmanager, a Kafka
 * cluster, ...): the inventory holds the custom resource, not a pod template, so controls that
 * look for pods by label must not conclude that none exist where such a resource lives.
 */
import type { Inventory } from '../../inventory/inventory.js';
import { apiGroupOf } from '../../inventory/inventory.js';
import type { InventoryObject, K8sObject } from '../../inventory/types.js';
import { kindScope } from './scope.js';

/** Custom resources known to make pods in their own namespace: `group/Kind`. */
const POD_MAKING_KINDS = new Set([
  'monitoring.coreos.com/Prometheus', 'monitoring.coreos.com/PrometheusAgent', 'monitoring.coreos.com/Alertmanager', 'monitoring.coreos.com/ThanosRuler',
  'elasticsearch.k8s.elastic.co/Elasticsearch', 'kibana.k8s.elastic.co/Kibana', 'apm.k8s.elastic.co/ApmServer', 'beat.k8s.elastic.co/Beat', 'agent.k8s.elastic.co/Agent',
  'kafka.strimzi.io/Kafka', 'kafka.strimzi.io/KafkaConnect', 'kafka.strimzi.io/KafkaMirrorMaker2', 'kafka.strimzi.io/KafkaBridge', 'kafka.strimzi.io/KafkaNodePool',
  'acid.zalan.do/postgresql', 'postgresql.cnpg.io/Cluster', 'postgres-operator.crunchydata.com/PostgresCluster',
  'rabbitmq.com/RabbitmqCluster', 'databases.spotahome.com/RedisFailover', 'mongodbcommunity.mongodb.com/MongoDBCommunity',
  'opentelemetry.io/OpenTelemetryCollector', 'jaegertracing.io/Jaeger', 'logging.banzaicloud.io/Logging', 'grafana.integreatly.org/Grafana',
  'argoproj.io/Rollout', 'argoproj.io/Workflow', 'argoproj.io/CronWorkflow', 'serving.knative.dev/Service', 'ray.io/RayCluster', 'kubeflow.org/Notebook',
  'minio.min.io/Tenant', 'k8s.keycloak.org/Keycloak', 'actions.summerwind.dev/RunnerDeployment', 'actions.github.com/AutoscalingRunnerSet',
]);

/** Fields of a custom resource's spec that describe the pods an operator runs for it. */
const POD_FIELDS = ['podMetadata', 'podTemplate', 'template', 'podSpec', 'containers', 'image', 'replicas', 'serviceAccountName', 'nodeSelector', 'tolerations', 'affinity'];

/** Kinds of the built-in API groups (no operator is needed for their pods). */
function isCustomResource(object: K8sObject): boolean {
  const group = typeof object.apiVersion === 'string' ? apiGroupOf(object.apiVersion) : '';
  return group.includes('.') && !group.endsWith('.k8s.io') && group !== 'apiextensions.k8s.io';
}

/** A custom resource an operator (probably) makes pods for: a known kind, or a spec with pod fields. */
export function makesPods(object: K8sObject): boolean {
  if (!isCustomResource(object)) return false;
  const group = apiGroupOf(object.apiVersion);
  if (POD_MAKING_KINDS.has(`${group}/${object.kind}`)) return true;
  const spec = object['spec'];
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) return false;
  return POD_FIELDS.some((f) => (spec as Record<string, unknown>)[f] !== undefined);
}

const cache = new WeakMap<Inventory, Map<string, InventoryObject[]>>();

/** Per namespace, the custom resources there that operators make pods for (sorted by id). */
export function operatorPodSources(inv: Inventory): ReadonlyMap<string, InventoryObject[]> {
  let map = cache.get(inv);
  if (map) return map;
  map = new Map();
  for (const item of inv.objects) {
    if (!makesPods(item.object)) continue;
    // a cluster-scoped resource has no namespace; one of unknown scope only the one it names
    const scope = kindScope(inv, item.object);
    if (scope === 'cluster' || (scope === 'unknown' && !item.object.metadata.namespace)) continue;
    const ns = inv.namespaceOf(item.object);
    if (ns === undefined) continue;
    const list = map.get(ns);
    if (list) list.push(item);
    else map.set(ns, [item]);
  }
  for (const list of map.values()) list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  cache.set(inv, map);
  return map;
}
