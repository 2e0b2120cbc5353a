/**
 * The audit detections judged event by event: every behaviour of Falco's k8saudit default rules
 * (`falco` lists the rule names each covers), with ids KOR-0901..KOR-0949. The detections that
 * need more than one event (sequences, anomalies) are in sequences.ts; admission outcomes in
 * admission.ts. docs/audit.md has the table (generated from this list: test/unit/audit-docs).
 *
 * A detection never copies a value out of a request: objects are named, keys are named, Secret
 * and ConfigMap contents never leave this module.
 */
import type { Severity } from '../engine/types.js';
import { actingUser, isComplete, succeeded, wasAllowed, type AuditEvent } from '../sources/audit/event.js';
import { asList, asObject, containersOf, hostPathsOf, imageRepository, podSpecIn, POD_TEMPLATE_RESOURCES } from './pod.js';

export type DetectionKind = 'event' | 'sequence' | 'anomaly' | 'admission' | 'usage';

export interface AuditObject {
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  apiGroup?: string;
}

export interface Hit {
  objects: AuditObject[];
  /** Facts of this event (names, flags, counts; never values of secrets or config). */
  details: Record<string, string | number | boolean | string[]>;
  /** Overrides the detection's severity for this event. */
  severity?: Severity;
  /** Events with the same key (besides detection and actor) are one detection; default: the objects. */
  key?: string;
}

export interface DetectionConfig {
  /** Falco's allowed_k8s_users + eks_allowed_k8s_users (the `Disallowed K8s User` rule). */
  allowedUsers: ReadonlySet<string>;
  /** Falco's allowed_namespaces. */
  allowedNamespaces: ReadonlySet<string>;
  /** When set, node creation outside this list is reported (Falco's untrusted-node rules, off by default there too). */
  allowedNodes?: ReadonlySet<string>;
  /** When set, pods with images outside these repositories are reported (Falco's Create Disallowed Pod, off by default there too). */
  allowedImages?: ReadonlySet<string>;
}

export interface DetectionDef {
  id: string;
  name: string;
  title: string;
  severity: Severity;
  kind: DetectionKind;
  /** MITRE ATT&CK technique ids. */
  mitre: string[];
  /** The Falco k8saudit rule names this detection covers (empty: kordon only). */
  falco: string[];
  /** What it detects, for the docs. */
  description: string;
  /** Judges one event; undefined when it does not apply. */
  match?: (e: AuditEvent, cfg: DetectionConfig) => Hit | undefined;
  /** Judged on ResponseStarted too (long-running requests such as exec, which may never complete). */
  streaming?: boolean;
}

/** Falco's default lists of users it does not report (facts of its default configuration). */
export const DEFAULT_ALLOWED_USERS: readonly string[] = [
  'minikube', 'minikube-user', 'kubelet', 'kops', 'admin', 'kube', 'kube-proxy', 'kube-apiserver-healthcheck', 'kubernetes-admin',
  'vpa-recommender', 'vpa-updater', 'cluster-autoscaler', 'system:addon-manager', 'cloud-controller-manager', 'system:kube-controller-manager',
  'eks:node-manager', 'eks:certificate-controller', 'eks:fargate-scheduler', 'eks:k8s-metrics', 'eks:authenticator', 'eks:cluster-event-watcher',
  'eks:nodewatcher', 'eks:pod-identity-mutating-webhook', 'eks:cloud-controller-manager', 'eks:vpc-resource-controller', 'eks:addon-manager',
];
export const DEFAULT_ALLOWED_NAMESPACES: readonly string[] = ['kube-system', 'kube-public', 'default'];

export function defaultDetectionConfig(): DetectionConfig {
  return { allowedUsers: new Set(DEFAULT_ALLOWED_USERS), allowedNamespaces: new Set(DEFAULT_ALLOWED_NAMESPACES) };
}

/** Host paths that give a container the node (Falco's sensitive_vol_mount list), matched with their subpaths. */
const SENSITIVE_PATHS = ['/proc', '/var/run/docker.sock', '/', '/etc', '/root', '/var/run/crio/crio.sock', '/run/containerd/containerd.sock', '/home/admin', '/var/lib/kubelet', '/var/lib/kubelet/pki', '/etc/kubernetes', '/etc/kubernetes/manifests'];
const SENSITIVE_PREFIXES = ['/proc/', '/etc/', '/root/', '/var/lib/kubelet/', '/home/admin/'];

function normPath(p: string): string {
  const s = p.replace(/\/+/g, '/');
  return s.length > 1 ? s.replace(/\/$/, '') : s;
}

export function isSensitivePath(p: string): boolean {
  const n = normPath(p);
  return SENSITIVE_PATHS.includes(n) || SENSITIVE_PREFIXES.some((x) => n.startsWith(x));
}

/** Controller service accounts of kube-system that Falco's rule expects (known_sa_list). */
const KNOWN_SYSTEM_SAS = new Set([
  'coredns', 'coredns-autoscaler', 'cronjob-controller', 'daemon-set-controller', 'deployment-controller', 'disruption-controller', 'endpoint-controller',
  'endpointslice-controller', 'endpointslicemirroring-controller', 'generic-garbage-collector', 'horizontal-pod-autoscaler', 'job-controller',
  'namespace-controller', 'node-controller', 'persistent-volume-binder', 'pod-garbage-collector', 'pv-protection-controller', 'pvc-protection-controller',
  'replicaset-controller', 'resourcequota-controller', 'root-ca-cert-publisher', 'service-account-controller', 'statefulset-controller',
]);

/** Words in a ConfigMap that suggest a credential (Falco's contains_private_credentials). */
const CREDENTIAL_WORDS = ['aws_access_key_id', 'aws-access-key-id', 'aws_s3_access_key_id', 'aws-s3-access-key-id', 'password', 'passphrase'];

const ref = (e: AuditEvent): AuditObject | undefined => {
  const r = e.objectRef;
  if (!r?.resource) return undefined;
  const name = r.name ?? metaName(e.responseObject) ?? metaName(e.requestObject);
  return {
    resource: r.resource,
    ...(r.subresource ? { subresource: r.subresource } : {}),
    ...(r.namespace ? { namespace: r.namespace } : {}),
    ...(name ? { name } : {}),
    ...(r.apiGroup ? { apiGroup: r.apiGroup } : {}),
  };
};

function metaName(o: unknown): string | undefined {
  const n = asObject(asObject(o)?.metadata)?.name;
  return typeof n === 'string' ? n : undefined;
}

const isRes = (e: AuditEvent, resource: string, sub?: string): boolean =>
  e.objectRef?.resource === resource && (sub === undefined ? !e.objectRef.subresource : e.objectRef.subresource === sub);
const isModify = (e: AuditEvent): boolean => e.verb === 'create' || e.verb === 'update' || e.verb === 'patch';
const outcome = (e: AuditEvent): string => (e.code === undefined ? 'unknown' : succeeded(e) ? 'allowed' : e.code === 403 ? 'forbidden' : `failed (${e.code})`);
const lower = (s: Severity): Severity => (s === 'critical' ? 'high' : s === 'high' ? 'medium' : s === 'medium' ? 'low' : 'info');

/** Pod-creating requests: a Pod, or a workload whose template makes pods (kordon adds the latter). */
function podCreate(e: AuditEvent): { spec: Record<string, unknown>; obj: AuditObject } | undefined {
  if (!isComplete(e) || !e.objectRef?.resource || !POD_TEMPLATE_RESOURCES.has(e.objectRef.resource) || e.objectRef.subresource) return undefined;
  // a workload's template may also be changed by update/patch; a pod's spec mostly cannot
  if (!(e.verb === 'create' || (e.objectRef.resource !== 'pods' && (e.verb === 'update' || e.verb === 'patch')))) return undefined;
  const spec = podSpecIn(e.requestObject) ?? (e.verb === 'create' ? undefined : podSpecIn(e.responseObject));
  const o = ref(e);
  return spec && o ? { spec, obj: o } : undefined;
}

/** A hit on a pod-creating request: severity one step lower when the request was refused. */
function podHit(e: AuditEvent, obj: AuditObject, sev: Severity, details: Hit['details']): Hit {
  const ok = e.code === undefined || succeeded(e);
  return { objects: [obj], details: { ...details, outcome: outcome(e) }, ...(ok ? { severity: sev } : { severity: lower(sev) }) };
}

function roleRules(e: AuditEvent): Array<{ verbs: string[]; resources: string[] }> {
  return asList(asObject(e.requestObject)?.rules).map((r) => ({
    verbs: Array.isArray(r.verbs) ? r.verbs.filter((x): x is string => typeof x === 'string') : [],
    resources: Array.isArray(r.resources) ? r.resources.filter((x): x is string => typeof x === 'string') : [],
  }));
}

function bindingOf(e: AuditEvent): { role?: string; roleKind?: string; subjects: string[] } {
  const o = asObject(e.requestObject);
  const rr = asObject(o?.roleRef);
  const subjects = asList(o?.subjects).map((s) => {
    const kind = typeof s.kind === 'string' ? s.kind : '?';
    const name = typeof s.name === 'string' ? s.name : '?';
    return kind === 'ServiceAccount' ? `ServiceAccount:${typeof s.namespace === 'string' ? s.namespace : (e.objectRef?.namespace ?? '?')}/${name}` : `${kind}:${name}`;
  });
  return { ...(typeof rr?.name === 'string' ? { role: rr.name } : {}), ...(typeof rr?.kind === 'string' ? { roleKind: rr.kind } : {}), subjects };
}

const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/** Falco's lifecycle activity rules, grouped (resource → [created rule, deleted rule]). */
const WORKLOAD_ACTIVITY: Record<string, [string, string]> = {
  deployments: ['K8s Deployment Created', 'K8s Deployment Deleted'],
  services: ['K8s Service Created', 'K8s Service Deleted'],
  configmaps: ['K8s ConfigMap Created', 'K8s ConfigMap Deleted'],
  namespaces: ['K8s Namespace Created', 'K8s Namespace Deleted'],
  serviceaccounts: ['K8s Serviceaccount Created', 'K8s Serviceaccount Deleted'],
};
const RBAC_ACTIVITY: Record<string, [string, string]> = {
  roles: ['K8s Role Created', 'K8s Role Deleted'],
  clusterroles: ['K8s ClusterRole Created', 'K8s ClusterRole Deleted'],
  rolebindings: ['K8s RoleBinding Created', 'K8s RoleBinding Deleted'],
  clusterrolebindings: ['K8s ClusterRoleBinding Created', 'K8s ClusterRoleBinding Deleted'],
};

/**
 * Authorization allowed the request (the authorization.k8s.io/decision annotation; without it, any
 * answer but 401/403). An exec the authorizer allowed is an exec the actor may do, even when the
 * kubelet could not be reached.
 */
function authorized(e: AuditEvent): boolean {
  if (e.stage === 'RequestReceived') return false;
  const d = e.annotations['authorization.k8s.io/decision'];
  if (d) return d === 'allow';
  return e.code === undefined || (e.code !== 401 && e.code !== 403);
}

const isSystemUser = (e: AuditEvent): boolean => actingUser(e).username.startsWith('system:');
/** The apiserver itself (bootstrap policy reconciliation at start-up). */
const isApiserver = (e: AuditEvent): boolean => actingUser(e).username === 'system:apiserver';

export const EVENT_DETECTIONS: DetectionDef[] = [
  {
    id: 'KOR-0901', name: 'audit-privileged-pod', title: 'Privileged container requested', severity: 'high', kind: 'event',
    mitre: ['T1611', 'T1610'], falco: ['Create Privileged Pod'],
    description: 'A pod, or a workload whose template makes pods, is created with a privileged container (init and ephemeral containers included). Refused requests are reported one step lower.',
    match: (e) => {
      const p = podCreate(e);
      if (!p) return undefined;
      const priv = containersOf(p.spec).filter((c) => c.sc?.privileged === true);
      return priv.length ? podHit(e, p.obj, 'high', { containers: priv.map((c) => c.name), images: priv.map((c) => c.image ?? '?') }) : undefined;
    },
  },
  {
    id: 'KOR-0902', name: 'audit-sensitive-mount', title: 'Sensitive host path mounted', severity: 'high', kind: 'event',
    mitre: ['T1611'], falco: ['Create Sensitive Mount Pod'],
    description: 'A pod (or pod template) mounts a host path that gives the node away: /, /proc, /etc, /root, the kubelet directories, /etc/kubernetes, container runtime sockets (and their subpaths).',
    match: (e) => {
      const p = podCreate(e);
      if (!p) return undefined;
      const hits = hostPathsOf(p.spec).filter((h) => isSensitivePath(h.path));
      return hits.length ? podHit(e, p.obj, 'high', { hostPaths: [...new Set(hits.map((h) => normPath(h.path)))].sort() }) : undefined;
    },
  },
  {
    id: 'KOR-0903', name: 'audit-host-namespace', title: 'Host namespace requested', severity: 'medium', kind: 'event',
    mitre: ['T1611'], falco: ['Create HostNetwork Pod', 'Create HostPid Pod', 'Create HostIPC Pod'],
    description: 'A pod (or pod template) shares the node\'s network, PID or IPC namespace. hostPID and hostIPC are high, hostNetwork medium.',
    match: (e) => {
      const p = podCreate(e);
      if (!p) return undefined;
      const ns = (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((k) => p.spec[k] === true);
      if (!ns.length) return undefined;
      return podHit(e, p.obj, ns.some((k) => k !== 'hostNetwork') ? 'high' : 'medium', { hostNamespaces: ns });
    },
  },
  {
    id: 'KOR-0904', name: 'audit-nodeport-service', title: 'NodePort Service created', severity: 'medium', kind: 'event',
    mitre: ['T1133'], falco: ['Create NodePort Service'],
    description: 'A Service of type NodePort is created: it opens a port on every node.',
    match: (e) => {
      if (!isComplete(e) || e.verb !== 'create' || !isRes(e, 'services')) return undefined;
      const spec = asObject(asObject(e.requestObject)?.spec);
      if (spec?.type !== 'NodePort') return undefined;
      const o = ref(e);
      const ports = asList(spec.ports).map((p) => (typeof p.nodePort === 'number' ? p.nodePort : p.port)).filter((x): x is number => typeof x === 'number');
      return o ? { objects: [o], details: { ports: ports.map(String), outcome: outcome(e) } } : undefined;
    },
  },
  {
    id: 'KOR-0905', name: 'audit-configmap-credentials', title: 'Credential-like data in a ConfigMap', severity: 'medium', kind: 'event',
    mitre: ['T1552.007'], falco: ['Create/Modify Configmap With Private Credentials'],
    description: 'A ConfigMap is created or changed with keys or values that name a credential (password, passphrase, AWS access keys). Only the keys are reported, never the values.',
    match: (e) => {
      if (!isComplete(e) || !isModify(e) || !isRes(e, 'configmaps')) return undefined;
      const data = { ...asObject(asObject(e.requestObject)?.data), ...asObject(asObject(e.requestObject)?.binaryData) };
      const keys = Object.entries(data)
        .filter(([k, v]) => CREDENTIAL_WORDS.some((w) => k.toLowerCase().includes(w) || (typeof v === 'string' && v.toLowerCase().includes(w))))
        .map(([k]) => k)
        .sort();
      const o = ref(e);
      return keys.length && o ? { objects: [o], details: { keys, outcome: outcome(e) } } : undefined;
    },
  },
  {
    id: 'KOR-0906', name: 'audit-anonymous-allowed', title: 'Anonymous request allowed', severity: 'high', kind: 'event',
    mitre: ['T1078.001'], falco: ['Anonymous Request Allowed'],
    description: 'A request by system:anonymous was allowed, other than the health endpoints (/healthz, /livez, /readyz). /version, which the default system:public-info-viewer binding opens to everyone, is low.',
    match: (e) => {
      if (!isComplete(e) || actingUser(e).username !== 'system:anonymous' || !wasAllowed(e)) return undefined;
      const uri = e.requestURI ?? '';
      if (/^\/(healthz|livez|readyz)(\?|$)/.test(uri)) return undefined;
      const o = ref(e);
      const path = uri.split('?')[0]!;
      // /version is what the default system:public-info-viewer binding opens to everyone: low
      const publicInfo = !o && (path === '/version' || path === '/version/');
      return { objects: o ? [o] : [], details: { verb: e.verb, uri: path }, ...(o ? {} : { key: path }), ...(publicInfo ? { severity: 'low' as Severity } : {}) };
    },
  },
  {
    id: 'KOR-0907', name: 'audit-pod-exec', title: 'Exec or attach into a pod', severity: 'medium', kind: 'event', streaming: true,
    mitre: ['T1609'], falco: ['Attach/Exec Pod'],
    description: 'An exec or attach into a pod was allowed (judged at ResponseStarted: such requests often never complete). Only the program run is reported, not its arguments.',
    match: (e) => {
      const sub = e.objectRef?.subresource;
      if (e.objectRef?.resource !== 'pods' || (sub !== 'exec' && sub !== 'attach') || !authorized(e)) return undefined;
      const o = ref(e);
      if (!o) return undefined;
      const params = new URLSearchParams((e.requestURI ?? '').split('?')[1] ?? '');
      const program = params.getAll('command')[0];
      const container = params.get('container');
      return { objects: [o], details: { action: sub, ...(program ? { program } : {}), ...(container ? { container } : {}), outcome: e.code === undefined || e.code < 400 ? 'started' : `authorized, then failed (${e.code})` } };
    },
  },
  {
    id: 'KOR-0908', name: 'audit-port-forward', title: 'Port-forward to a pod', severity: 'low', kind: 'event', streaming: true,
    mitre: ['T1572'], falco: ['port-forward'],
    description: 'A port-forward to a pod was allowed: a tunnel into the pod network that bypasses Services and NetworkPolicy ingress from outside.',
    match: (e) => {
      if (e.objectRef?.resource !== 'pods' || e.objectRef.subresource !== 'portforward' || !authorized(e)) return undefined;
      const o = ref(e);
      return o ? { objects: [o], details: { outcome: e.code === undefined || e.code < 400 ? 'started' : `authorized, then failed (${e.code})` } } : undefined;
    },
  },
  {
    id: 'KOR-0909', name: 'audit-ephemeral-container', title: 'Ephemeral container added', severity: 'medium', kind: 'event',
    mitre: ['T1609'], falco: ['EphemeralContainers Created'],
    description: 'An ephemeral (debug) container was added to a running pod.',
    match: (e) => {
      if (!isComplete(e) || !isModify(e) || !isRes(e, 'pods', 'ephemeralcontainers')) return undefined;
      const o = ref(e);
      const spec = asObject(asObject(e.requestObject)?.spec) ?? asObject(e.requestObject);
      const eph = asList(spec?.ephemeralContainers);
      const last = eph[eph.length - 1];
      return o ? { objects: [o], details: { ...(last && typeof last.image === 'string' ? { image: last.image } : {}), outcome: outcome(e) } } : undefined;
    },
  },
  {
    id: 'KOR-0910', name: 'audit-namespace-created', title: 'Namespace created outside the expected set', severity: 'low', kind: 'event',
    mitre: ['T1564'], falco: ['Create Disallowed Namespace'],
    description: 'A namespace outside the allowed set (default: kube-system, kube-public, default, as Falco) was created (not by the API server itself: kube-node-lease at start-up).',
    match: (e, cfg) => {
      if (!isComplete(e) || e.verb !== 'create' || !isRes(e, 'namespaces') || isApiserver(e)) return undefined;
      const o = ref(e);
      return o?.name && !cfg.allowedNamespaces.has(o.name) ? { objects: [o], details: { outcome: outcome(e) } } : undefined;
    },
  },
  {
    id: 'KOR-0911', name: 'audit-pod-in-kube-namespace', title: 'Pod created in a kube namespace', severity: 'medium', kind: 'event',
    mitre: ['T1610', 'T1036.005'], falco: ['Pod Created in Kube Namespace'],
    description: 'A pod was created in kube-system or kube-public by an identity other than the control plane\'s controllers and the kubelet (mirror pods).',
    match: (e) => {
      if (!isComplete(e) || e.verb !== 'create' || !isRes(e, 'pods')) return undefined;
      const ns = e.objectRef?.namespace;
      if (ns !== 'kube-system' && ns !== 'kube-public') return undefined;
      const u = actingUser(e).username;
      if (u.startsWith('system:node:') || u === 'system:kube-controller-manager' || u.startsWith('system:serviceaccount:kube-system:')) return undefined;
      const o = ref(e);
      const spec = podSpecIn(e.requestObject);
      return o ? { objects: [o], details: { images: spec ? containersOf(spec).map((c) => c.image ?? '?') : [], outcome: outcome(e) } } : undefined;
    },
  },
  {
    id: 'KOR-0912', name: 'audit-sa-in-kube-namespace', title: 'Service account created in a kube namespace', severity: 'medium', kind: 'event',
    mitre: ['T1136'], falco: ['Service Account Created in Kube Namespace'],
    description: 'A ServiceAccount other than the built-in controllers\' was created in kube-system or kube-public.',
    match: (e) => {
      if (!isComplete(e) || e.verb !== 'create' || !isRes(e, 'serviceaccounts') || !succeeded(e)) return undefined;
      const ns = e.objectRef?.namespace;
      const o = ref(e);
      return (ns === 'kube-system' || ns === 'kube-public') && o?.name && !KNOWN_SYSTEM_SAS.has(o.name) ? { objects: [o], details: {} } : undefined;
    },
  },
  {
    id: 'KOR-0913', name: 'audit-system-role-changed', title: 'Built-in system: role changed or deleted', severity: 'medium', kind: 'event',
    mitre: ['T1098'], falco: ['System ClusterRole Modified/Deleted'],
    description: 'A ClusterRole or Role whose name starts with system: was created, changed or deleted by someone other than the API server\'s own bootstrap reconciliation (system:coredns and system:managed-certificate-controller excepted, as Falco).',
    match: (e) => {
      if (!isComplete(e) || !(isModify(e) || e.verb === 'delete') || !(isRes(e, 'clusterroles') || isRes(e, 'roles'))) return undefined;
      const o = ref(e);
      if (!o?.name?.startsWith('system:') || o.name === 'system:coredns' || o.name === 'system:managed-certificate-controller' || isApiserver(e)) return undefined;
      return { objects: [o], details: { verb: e.verb, outcome: outcome(e) } };
    },
  },
  {
    id: 'KOR-0914', name: 'audit-cluster-admin-binding', title: 'Binding to cluster-admin created', severity: 'high', kind: 'event',
    mitre: ['T1098', 'T1078'], falco: ['Attach to cluster-admin Role'],
    description: 'A ClusterRoleBinding (or a RoleBinding: admin of one namespace) to the cluster-admin ClusterRole was created (the API server\'s own bootstrap policy excepted, here and in KOR-0915..0917). Critical when the subjects gain a new path to cluster-admin in the inventory given; a binding in a sandbox namespace is lower.',
    match: (e) => {
      if (isApiserver(e)) return undefined;
      if (!isComplete(e) || e.verb !== 'create' || !(isRes(e, 'clusterrolebindings') || isRes(e, 'rolebindings'))) return undefined;
      const b = bindingOf(e);
      if (b.role !== 'cluster-admin' || b.roleKind !== 'ClusterRole') return undefined;
      const o = ref(e);
      if (!o) return undefined;
      const cluster = e.objectRef?.resource === 'clusterrolebindings';
      const ok = e.code === undefined || succeeded(e);
      const sev: Severity = cluster ? 'high' : 'medium';
      return { objects: [o], details: { subjects: b.subjects, role: 'cluster-admin', outcome: outcome(e) }, severity: ok ? sev : lower(sev) };
    },
  },
  {
    id: 'KOR-0915', name: 'audit-wildcard-role', title: 'Role with wildcard created', severity: 'medium', kind: 'event',
    mitre: ['T1098'], falco: ['ClusterRole With Wildcard Created'],
    description: 'A Role or ClusterRole with * in its resources or verbs was created.',
    match: (e) => {
      if (isApiserver(e)) return undefined;
      if (!isComplete(e) || e.verb !== 'create' || !(isRes(e, 'clusterroles') || isRes(e, 'roles'))) return undefined;
      const rules = roleRules(e);
      const wild = rules.some((r) => r.verbs.includes('*') || r.resources.includes('*'));
      const o = ref(e);
      return wild && o ? { objects: [o], details: { outcome: outcome(e) } } : undefined;
    },
  },
  {
    id: 'KOR-0916', name: 'audit-write-role', title: 'Role with write verbs created', severity: 'low', kind: 'event',
    mitre: ['T1098'], falco: ['ClusterRole With Write Privileges Created'],
    description: 'A Role or ClusterRole granting create, update, patch, delete or deletecollection was created.',
    match: (e) => {
      if (isApiserver(e)) return undefined;
      if (!isComplete(e) || e.verb !== 'create' || !(isRes(e, 'clusterroles') || isRes(e, 'roles'))) return undefined;
      const verbs = [...new Set(roleRules(e).flatMap((r) => r.verbs.filter((v) => WRITE_VERBS.includes(v))))].sort();
      const o = ref(e);
      return verbs.length && o ? { objects: [o], details: { verbs, outcome: outcome(e) } } : undefined;
    },
  },
  {
    id: 'KOR-0917', name: 'audit-exec-role', title: 'Role with pods/exec created', severity: 'medium', kind: 'event',
    mitre: ['T1098', 'T1609'], falco: ['ClusterRole With Pod Exec Created'],
    description: 'A Role or ClusterRole naming pods/exec in its resources was created.',
    match: (e) => {
      if (isApiserver(e)) return undefined;
      if (!isComplete(e) || e.verb !== 'create' || !(isRes(e, 'clusterroles') || isRes(e, 'roles'))) return undefined;
      const o = ref(e);
      return roleRules(e).some((r) => r.resources.includes('pods/exec')) && o ? { objects: [o], details: { outcome: outcome(e) } } : undefined;
    },
  },
  {
    id: 'KOR-0918', name: 'audit-secret-read', title: 'Secret read', severity: 'medium', kind: 'event',
    mitre: ['T1552.007'], falco: ['K8s Secret Get Successfully'],
    description: 'Secrets were read (get, and kordon adds list and watch: every secret of a namespace at once). Control-plane components and kubelets (system: users other than service accounts) are info.',
    match: (e) => {
      if (!isComplete(e) || !isRes(e, 'secrets') || !['get', 'list', 'watch'].includes(e.verb) || !succeeded(e)) return undefined;
      const o = ref(e) ?? { resource: 'secrets' };
      const u = actingUser(e).username;
      // control-plane components and kubelets (the Node authorizer limits them to their pods' secrets) read secrets all day
      const control = u.startsWith('system:') && !u.startsWith('system:serviceaccount:') && u !== 'system:anonymous';
      return { objects: [o], details: { verb: e.verb }, ...(control ? { severity: 'info' as Severity } : e.verb !== 'get' ? { severity: 'high' as Severity } : {}) };
    },
  },
  {
    id: 'KOR-0919', name: 'audit-secret-read-denied', title: 'Secret read refused', severity: 'low', kind: 'event',
    mitre: ['T1552.007', 'T1087'], falco: ['K8s Secret Get Unsuccessfully Tried'],
    description: 'A get, list or watch of secrets failed (forbidden, not found, ...).',
    match: (e) => {
      if (!isComplete(e) || !isRes(e, 'secrets') || !['get', 'list', 'watch'].includes(e.verb) || succeeded(e) || e.code === undefined) return undefined;
      const o = ref(e) ?? { resource: 'secrets' };
      return { objects: [o], details: { verb: e.verb, outcome: outcome(e) } };
    },
  },
  {
    id: 'KOR-0920', name: 'audit-ingress-without-tls', title: 'Ingress without TLS created', severity: 'low', kind: 'event',
    mitre: ['T1557'], falco: ['Ingress Object without TLS Certificate Created'],
    description: 'An Ingress without spec.tls was created.',
    match: (e) => {
      if (!isComplete(e) || e.verb !== 'create' || !isRes(e, 'ingresses') || !succeeded(e)) return undefined;
      const spec = asObject(asObject(e.requestObject)?.spec);
      if (!spec || (Array.isArray(spec.tls) && spec.tls.length > 0)) return undefined;
      const o = ref(e);
      return o ? { objects: [o], details: {} } : undefined;
    },
  },
  {
    id: 'KOR-0921', name: 'audit-user-outside-allowed', title: 'Request by a user outside the allowed list', severity: 'low', kind: 'event',
    mitre: ['T1078'], falco: ['Disallowed K8s User'],
    description: 'A user that is not a system: identity and not in the allowed list (default: Falco\'s allowed_k8s_users and eks_allowed_k8s_users) made requests. One detection per user, with the count.',
    match: (e, cfg) => {
      if (!isComplete(e)) return undefined;
      const u = actingUser(e).username;
      if (u.startsWith('system:') || cfg.allowedUsers.has(u)) return undefined;
      return { objects: [], details: {}, key: '' };
    },
  },
  {
    id: 'KOR-0922', name: 'audit-workload-change', title: 'Deployment, Service, ConfigMap, Namespace or ServiceAccount created or deleted', severity: 'info', kind: 'event',
    mitre: ['T1610'], falco: Object.values(WORKLOAD_ACTIVITY).flat(),
    description: 'The activity stream Falco reports at INFO: successful creates and deletes of these kinds (namespace deletes by non-system users only, as Falco; not the API server\'s own start-up objects).',
    match: (e) => {
      const r = e.objectRef?.resource;
      if (!isComplete(e) || !r || !(r in WORKLOAD_ACTIVITY) || e.objectRef?.subresource || !succeeded(e) || (e.verb !== 'create' && e.verb !== 'delete')) return undefined;
      if ((r === 'namespaces' && e.verb === 'delete' && isSystemUser(e)) || isApiserver(e)) return undefined;
      const o = ref(e);
      return o ? { objects: [o], details: { verb: e.verb } } : undefined;
    },
  },
  {
    id: 'KOR-0923', name: 'audit-rbac-change', title: 'Role or binding created or deleted', severity: 'info', kind: 'event',
    mitre: ['T1098'], falco: Object.values(RBAC_ACTIVITY).flat(),
    description: 'Successful creates and deletes of Roles, ClusterRoles and their bindings (the API server\'s own bootstrap excepted). With an inventory, a binding that opens a new attack path to a crown jewel is critical.',
    match: (e) => {
      const r = e.objectRef?.resource;
      if (!isComplete(e) || !r || !(r in RBAC_ACTIVITY) || e.objectRef?.subresource || !succeeded(e) || (e.verb !== 'create' && e.verb !== 'delete') || isApiserver(e)) return undefined;
      const o = ref(e);
      if (!o) return undefined;
      const details: Hit['details'] = { verb: e.verb };
      if (r.endsWith('bindings') && e.verb === 'create') {
        const b = bindingOf(e);
        if (b.role) details.role = `${b.roleKind ?? '?'}/${b.role}`;
        details.subjects = b.subjects;
      }
      return { objects: [o], details };
    },
  },
  {
    id: 'KOR-0924', name: 'audit-secret-change', title: 'Secret created or deleted', severity: 'info', kind: 'event',
    mitre: ['T1552.007'], falco: ['K8s Secret Created', 'K8s Secret Deleted'],
    description: 'Successful creates and deletes of Secrets outside kube-system by non-system users (as Falco).',
    match: (e) => {
      if (!isComplete(e) || !isRes(e, 'secrets') || (e.verb !== 'create' && e.verb !== 'delete') || !succeeded(e)) return undefined;
      if (e.objectRef?.namespace === 'kube-system' || isSystemUser(e)) return undefined;
      const o = ref(e);
      return o ? { objects: [o], details: { verb: e.verb } } : undefined;
    },
  },
  {
    id: 'KOR-0925', name: 'audit-untrusted-node', title: 'Node outside the allowed list joined', severity: 'high', kind: 'event',
    mitre: ['T1078'], falco: ['Untrusted Node Successfully Joined the Cluster', 'Untrusted Node Unsuccessfully Tried to Join the Cluster'],
    description: 'A Node object outside --allowed-node was created (refused attempts are medium). Off unless allowed nodes are given, as in Falco.',
    match: (e, cfg) => {
      if (!cfg.allowedNodes || !isComplete(e) || e.verb !== 'create' || !isRes(e, 'nodes')) return undefined;
      const o = ref(e);
      if (!o?.name || cfg.allowedNodes.has(o.name)) return undefined;
      return { objects: [o], details: { outcome: outcome(e) }, ...(succeeded(e) ? {} : { severity: 'medium' as Severity }) };
    },
  },
  {
    id: 'KOR-0926', name: 'audit-disallowed-image', title: 'Pod with an image outside the allowed repositories', severity: 'medium', kind: 'event',
    mitre: ['T1610'], falco: ['Create Disallowed Pod'],
    description: 'A pod (or pod template) names an image whose repository is not in --allowed-image. Off unless allowed images are given, as in Falco.',
    match: (e, cfg) => {
      if (!cfg.allowedImages) return undefined;
      const p = podCreate(e);
      if (!p) return undefined;
      const bad = containersOf(p.spec).map((c) => c.image).filter((i): i is string => !!i && !cfg.allowedImages!.has(imageRepository(i)));
      return bad.length ? podHit(e, p.obj, 'medium', { images: [...new Set(bad)].sort() }) : undefined;
    },
  },
];
