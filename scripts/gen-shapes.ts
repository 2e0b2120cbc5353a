/**
 * Generates src/inventory/shapes.generated.ts: the types of the fields kordon reads, taken from
 * the Kubernetes OpenAPI v3 documents the kube-apiserver serves at /openapi/v3 (the same files
 * ship in the kubernetes source as api/openapi-spec/v3; read here from the Go module cache).
 *
 *   node --import tsx scripts/gen-shapes.ts [--check] [OPENAPI_V3_DIR]
 *
 * --check: write nothing, exit 1 when the generated file differs (the drift test runs this).
 *
 * Only the fields listed in READ below are kept: the generated table stays small, and a field
 * kordon does not read is never judged. A field whose schema is not listed is kept as "an
 * object" (checked to be a mapping, its inside not looked at).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const KUBERNETES = 'k8s.io/kubernetes@v1.35.4';

/** The fields kordon reads, per OpenAPI schema (names without the `io.k8s.api.` / `io.k8s.apimachinery.pkg.apis.` prefix). */
const READ: Record<string, string[]> = {
  'meta.v1.ObjectMeta': ['name', 'generateName', 'namespace', 'labels', 'annotations', 'ownerReferences', 'uid', 'resourceVersion'],
  'meta.v1.OwnerReference': ['apiVersion', 'kind', 'name', 'uid', 'controller'],
  'meta.v1.LabelSelector': ['matchLabels', 'matchExpressions'],
  'meta.v1.LabelSelectorRequirement': ['key', 'operator', 'values'],
  // workloads
  'core.v1.Pod': ['metadata', 'spec'],
  'core.v1.PodTemplate': ['metadata', 'template'],
  'core.v1.ReplicationController': ['metadata', 'spec'],
  'core.v1.ReplicationControllerSpec': ['replicas', 'selector', 'template'],
  'apps.v1.Deployment': ['metadata', 'spec'],
  'apps.v1.DeploymentSpec': ['replicas', 'selector', 'template'],
  'apps.v1.ReplicaSet': ['metadata', 'spec'],
  'apps.v1.ReplicaSetSpec': ['replicas', 'selector', 'template'],
  'apps.v1.StatefulSet': ['metadata', 'spec'],
  'apps.v1.StatefulSetSpec': ['replicas', 'selector', 'template'],
  'apps.v1.DaemonSet': ['metadata', 'spec'],
  'apps.v1.DaemonSetSpec': ['selector', 'template'],
  'batch.v1.Job': ['metadata', 'spec'],
  'batch.v1.JobSpec': ['parallelism', 'completions', 'selector', 'template'],
  'batch.v1.CronJob': ['metadata', 'spec'],
  'batch.v1.CronJobSpec': ['schedule', 'jobTemplate'],
  'batch.v1.JobTemplateSpec': ['metadata', 'spec'],
  'core.v1.PodTemplateSpec': ['metadata', 'spec'],
  'core.v1.PodSpec': [
    'containers', 'initContainers', 'ephemeralContainers', 'securityContext', 'hostNetwork', 'hostPID', 'hostIPC', 'hostUsers',
    'shareProcessNamespace', 'serviceAccountName', 'serviceAccount', 'automountServiceAccountToken', 'volumes', 'nodeName',
    'nodeSelector', 'affinity', 'tolerations', 'os', 'restartPolicy', 'runtimeClassName', 'priorityClassName', 'imagePullSecrets',
  ],
  'core.v1.Container': CONTAINER_FIELDS(),
  'core.v1.EphemeralContainer': [...CONTAINER_FIELDS(), 'targetContainerName'],
  'core.v1.EnvVar': ['name', 'value', 'valueFrom'],
  'core.v1.EnvVarSource': ['secretKeyRef', 'configMapKeyRef', 'fieldRef', 'resourceFieldRef'],
  'core.v1.SecretKeySelector': ['name', 'key'],
  'core.v1.ConfigMapKeySelector': ['name', 'key'],
  'core.v1.EnvFromSource': ['prefix', 'secretRef', 'configMapRef'],
  'core.v1.SecretEnvSource': ['name'],
  'core.v1.ConfigMapEnvSource': ['name'],
  'core.v1.ContainerPort': ['name', 'containerPort', 'hostPort', 'hostIP', 'protocol'],
  'core.v1.ResourceRequirements': ['limits', 'requests'],
  'core.v1.SecurityContext': [
    'privileged', 'allowPrivilegeEscalation', 'readOnlyRootFilesystem', 'runAsNonRoot', 'runAsUser', 'runAsGroup', 'capabilities',
    'seccompProfile', 'appArmorProfile', 'seLinuxOptions', 'procMount', 'windowsOptions',
  ],
  'core.v1.PodSecurityContext': [
    'runAsNonRoot', 'runAsUser', 'runAsGroup', 'fsGroup', 'supplementalGroups', 'seccompProfile', 'appArmorProfile', 'seLinuxOptions',
    'sysctls', 'windowsOptions',
  ],
  'core.v1.Capabilities': ['add', 'drop'],
  'core.v1.SeccompProfile': ['type', 'localhostProfile'],
  'core.v1.AppArmorProfile': ['type', 'localhostProfile'],
  'core.v1.SELinuxOptions': ['user', 'role', 'type', 'level'],
  'core.v1.WindowsSecurityContextOptions': ['hostProcess'],
  'core.v1.Sysctl': ['name', 'value'],
  'core.v1.VolumeMount': ['name', 'mountPath', 'readOnly', 'subPath', 'subPathExpr'],
  'core.v1.Probe': ['exec', 'httpGet', 'tcpSocket', 'grpc'],
  'core.v1.Lifecycle': ['postStart', 'preStop'],
  'core.v1.LifecycleHandler': ['exec', 'httpGet', 'tcpSocket'],
  'core.v1.HTTPGetAction': ['host', 'port', 'path', 'scheme'],
  'core.v1.TCPSocketAction': ['host', 'port'],
  'core.v1.ExecAction': ['command'],
  'core.v1.PodOS': ['name'],
  'core.v1.Toleration': ['key', 'operator', 'value', 'effect'],
  'core.v1.Volume': [
    'name', 'hostPath', 'secret', 'configMap', 'projected', 'emptyDir', 'persistentVolumeClaim', 'downwardAPI', 'ephemeral', 'csi', 'image',
  ],
  'core.v1.HostPathVolumeSource': ['path', 'type'],
  'core.v1.SecretVolumeSource': ['secretName'],
  'core.v1.ConfigMapVolumeSource': ['name'],
  'core.v1.ProjectedVolumeSource': ['sources'],
  'core.v1.VolumeProjection': ['secret', 'configMap', 'serviceAccountToken', 'downwardAPI'],
  'core.v1.SecretProjection': ['name'],
  'core.v1.ConfigMapProjection': ['name'],
  'core.v1.ServiceAccountTokenProjection': ['audience', 'expirationSeconds', 'path'],
  // services and ingress
  'core.v1.Service': ['metadata', 'spec'],
  'core.v1.ServiceSpec': ['type', 'ports', 'selector', 'externalIPs', 'loadBalancerSourceRanges', 'clusterIP', 'externalName', 'externalTrafficPolicy'],
  'core.v1.ServicePort': ['name', 'port', 'targetPort', 'nodePort', 'protocol'],
  'networking.v1.Ingress': ['metadata', 'spec'],
  'networking.v1.IngressSpec': ['ingressClassName', 'defaultBackend', 'rules', 'tls'],
  'networking.v1.IngressRule': ['host', 'http'],
  'networking.v1.HTTPIngressRuleValue': ['paths'],
  'networking.v1.HTTPIngressPath': ['path', 'pathType', 'backend'],
  'networking.v1.IngressBackend': ['service', 'resource'],
  'networking.v1.IngressServiceBackend': ['name', 'port'],
  'networking.v1.ServiceBackendPort': ['name', 'number'],
  'networking.v1.IngressTLS': ['hosts', 'secretName'],
  // network policy
  'networking.v1.NetworkPolicy': ['metadata', 'spec'],
  'networking.v1.NetworkPolicySpec': ['podSelector', 'policyTypes', 'ingress', 'egress'],
  'networking.v1.NetworkPolicyIngressRule': ['from', 'ports'],
  'networking.v1.NetworkPolicyEgressRule': ['to', 'ports'],
  'networking.v1.NetworkPolicyPeer': ['podSelector', 'namespaceSelector', 'ipBlock'],
  'networking.v1.IPBlock': ['cidr', 'except'],
  'networking.v1.NetworkPolicyPort': ['protocol', 'port', 'endPort'],
  // RBAC
  'rbac.v1.Role': ['metadata', 'rules'],
  'rbac.v1.ClusterRole': ['metadata', 'rules', 'aggregationRule'],
  'rbac.v1.PolicyRule': ['apiGroups', 'resources', 'verbs', 'resourceNames', 'nonResourceURLs'],
  'rbac.v1.AggregationRule': ['clusterRoleSelectors'],
  'rbac.v1.RoleBinding': ['metadata', 'roleRef', 'subjects'],
  'rbac.v1.ClusterRoleBinding': ['metadata', 'roleRef', 'subjects'],
  'rbac.v1.RoleRef': ['apiGroup', 'kind', 'name'],
  'rbac.v1.Subject': ['apiGroup', 'kind', 'name', 'namespace'],
  // identities, data, cluster objects
  'core.v1.ServiceAccount': ['metadata', 'automountServiceAccountToken', 'secrets', 'imagePullSecrets'],
  'core.v1.ObjectReference': ['kind', 'name', 'namespace'],
  'core.v1.LocalObjectReference': ['name'],
  'core.v1.Secret': ['metadata', 'type', 'data', 'stringData'],
  'core.v1.ConfigMap': ['metadata', 'data', 'binaryData'],
  'core.v1.Namespace': ['metadata'],
  'core.v1.Node': ['metadata', 'spec', 'status'],
  'core.v1.NodeSpec': ['taints', 'unschedulable'],
  'core.v1.Taint': ['key', 'value', 'effect'],
  'core.v1.NodeStatus': ['addresses'],
  'core.v1.NodeAddress': ['type', 'address'],
  'core.v1.PersistentVolume': ['metadata', 'spec'],
  'core.v1.PersistentVolumeSpec': ['hostPath', 'local'],
  'apiextensions.v1.CustomResourceDefinition': ['metadata', 'spec'],
  'apiextensions.v1.CustomResourceDefinitionSpec': ['group', 'scope', 'names'],
  'apiextensions.v1.CustomResourceDefinitionNames': ['kind', 'plural', 'singular', 'shortNames'],
};

function CONTAINER_FIELDS(): string[] {
  return [
    'name', 'image', 'imagePullPolicy', 'command', 'args', 'env', 'envFrom', 'ports', 'resources', 'securityContext', 'volumeMounts',
    'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'restartPolicy',
  ];
}

const PREFIXES = ['io.k8s.api.', 'io.k8s.apimachinery.pkg.apis.', 'io.k8s.apiextensions-apiserver.pkg.apis.'];

type Schema = { type?: string; format?: string; $ref?: string; allOf?: Schema[]; oneOf?: Schema[]; items?: Schema; additionalProperties?: Schema | boolean; properties?: Record<string, Schema>; 'x-kubernetes-group-version-kind'?: Array<{ group: string; version: string; kind: string }> };

function openapiDir(): string {
  const dir = process.argv.slice(2).find((a) => !a.startsWith('--'));
  if (dir) return dir;
  // the module cache's copy (downloaded from the Go module proxy when missing; the test control plane is built from it too)
  const info = JSON.parse(execFileSync('go', ['mod', 'download', '-json', KUBERNETES], { encoding: 'utf8', cwd: os.tmpdir(), env: { ...process.env, GO111MODULE: 'on', GOFLAGS: '-mod=mod' } })) as { Dir?: string };
  if (!info.Dir) throw new Error(`go mod download ${KUBERNETES} gave no directory`);
  return path.join(info.Dir, 'api/openapi-spec/v3');
}

function shortName(full: string): string | undefined {
  for (const p of PREFIXES) if (full.startsWith(p)) return full.slice(p.length);
  return undefined;
}

function main(): void {
  const dir = openapiDir();
  const schemas = new Map<string, Schema>();
  for (const f of readdirSync(dir).sort()) {
    if (!/__v\d+_openapi\.json$/.test(f)) continue; // stable versions only
    const doc = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { components?: { schemas?: Record<string, Schema> } };
    for (const [name, s] of Object.entries(doc.components?.schemas ?? {})) {
      const short = shortName(name);
      if (short && !schemas.has(short)) schemas.set(short, s);
    }
  }
  const type = (s: Schema, where: string): unknown => {
    const ref = s.$ref ?? (s.allOf?.length === 1 ? s.allOf[0]!.$ref : undefined);
    if (ref) {
      const target = shortName(ref.replace('#/components/schemas/', ''));
      if (target === 'pkg.util.intstr.IntOrString' || ref.endsWith('intstr.IntOrString')) return 'is';
      if (ref.endsWith('api.resource.Quantity')) return 'q';
      if (ref.endsWith('meta.v1.Time') || ref.endsWith('meta.v1.MicroTime')) return 's';
      if (target && READ[target]) return { r: target };
      const t = target ? schemas.get(target) : undefined;
      if (!t) throw new Error(`${where}: unknown schema ${ref}`);
      if (t.type && t.type !== 'object') return type(t, where);
      return 'o';
    }
    if (s.format === 'int-or-string') return 'is';
    switch (s.type) {
      case 'string': return 's';
      case 'integer': return 'i';
      case 'number': return 'n';
      case 'boolean': return 'b';
      case 'array': return ['a', type(s.items ?? {}, `${where}[]`)];
      case 'object':
        if (s.additionalProperties && typeof s.additionalProperties === 'object') return ['m', type(s.additionalProperties, `${where}{}`)];
        return 'o';
      default:
        if (s.oneOf) return 'q';
        throw new Error(`${where}: no type`);
    }
  };
  const table: Record<string, Record<string, unknown>> = {};
  for (const [name, fields] of Object.entries(READ)) {
    const s = schemas.get(name);
    if (!s) throw new Error(`no schema ${name} in ${dir}`);
    const out: Record<string, unknown> = {};
    for (const field of fields) {
      const fs = s.properties?.[field];
      if (!fs) throw new Error(`${name} has no field ${field}`);
      out[field] = type(fs, `${name}.${field}`);
    }
    table[name] = out;
  }
  // kinds: apiVersion/kind → root schema, from the schemas' own group-version-kind
  const kinds: Record<string, string> = {};
  for (const name of Object.keys(READ)) {
    for (const gvk of schemas.get(name)!['x-kubernetes-group-version-kind'] ?? []) {
      kinds[`${gvk.group ? gvk.group + '/' : ''}${gvk.version}/${gvk.kind}`] = name;
    }
  }
  const sorted = <T>(o: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const here = path.dirname(fileURLToPath(import.meta.url));
  const out = path.resolve(here, '../src/inventory/shapes.generated.ts');
  const text = [
    '// Generated by scripts/gen-shapes.ts from the Kubernetes OpenAPI v3 documents of',
    `// ${KUBERNETES} (what the kube-apiserver serves at /openapi/v3). Do not edit.`,
    '// Types: s string, i integer, n number, b boolean, is int-or-string, q quantity (string or number),',
    '// o an object (a mapping; inside not judged), ["a", T] a list of T, ["m", T] a map of T, {r: S} schema S.',
    "import type { ShapeTable } from './shapes.js';",
    '',
    'export const SHAPES: ShapeTable = {',
    ...Object.entries(sorted(table)).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`),
    '};',
    '',
    'export const KIND_SHAPES: Readonly<Record<string, string>> = {',
    ...Object.entries(sorted(kinds)).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`),
    '};',
    '',
  ].join('\n');
  if (process.argv.includes('--check')) {
    if (readFileSync(out, 'utf8') !== text) {
      console.error(`${out} differs from what the OpenAPI documents give: run node --import tsx scripts/gen-shapes.ts`);
      process.exit(1);
    }
    console.log(`${out} is up to date`);
    return;
  }
  writeFileSync(out, text);
  console.log(`wrote ${out} (${Object.keys(table).length} schemas, ${Object.keys(kinds).length} kinds)`);
}

main();
