/**
 * A deterministic catalogue of Pod variants for Pod Security Standards oracles: every
 * security-relevant field of the pod spec and of each container kind (containers,
 * initContainers, ephemeralContainers) varied in turn with allowed and forbidden values, plus
 * hand-written and seeded combinations.
 *
 * Every variant is a Pod the API server accepts as valid (schema and field validation), so that
 * its admission decision is PodSecurity's alone: fields the validation forbids together (e.g.
 * `privileged: true` with `allowPrivilegeEscalation: false`, `procMount: Unmasked` without
 * `hostUsers: false`, Linux-only fields on Windows pods, probes on ephemeral containers) are
 * never combined.
 *
 * Ephemeral containers cannot be set when a pod is created: a variant with `via:
 * 'ephemeralcontainers'` stands for "create `pod` without its ephemeralContainers, then add them
 * with an update of the `pods/ephemeralcontainers` subresource"; PodSecurity evaluates the
 * whole updated pod on that path.
 */
import { prng } from './prng.js';

export type Json = Record<string, any>;
export type ContainerKind = 'containers' | 'initContainers' | 'ephemeralContainers';

export interface PodManifest {
  apiVersion: 'v1';
  kind: 'Pod';
  metadata: { name: string; annotations?: Record<string, string> };
  spec: Json;
}

export interface PodVariant {
  /** Stable, unique id (`group/what`). */
  id: string;
  description: string;
  /** A Pod manifest with a unique name. */
  pod: PodManifest;
  /** How the variant reaches admission: a pod create, or an ephemeral containers update. */
  via: 'create' | 'ephemeralcontainers';
}

const IMAGE = 'registry.k8s.io/pause:3.10';
const APP_ARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';
const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_ANNOTATION = 'container.seccomp.security.alpha.kubernetes.io/';

/** The capabilities the baseline level lets a container add. */
export const BASELINE_CAPABILITIES = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];

/** Sysctls, each with a value the API server accepts; the `since` minor is when baseline allows it. */
const SYSCTLS: Array<{ name: string; value: string; safeSince?: number }> = [
  { name: 'kernel.shm_rmid_forced', value: '1', safeSince: 0 },
  { name: 'net.ipv4.ip_local_port_range', value: '1024 65535', safeSince: 0 },
  { name: 'net.ipv4.tcp_syncookies', value: '1', safeSince: 0 },
  { name: 'net.ipv4.ping_group_range', value: '0 2147483647', safeSince: 0 },
  { name: 'net.ipv4.ip_unprivileged_port_start', value: '1024', safeSince: 0 },
  { name: 'net.ipv4.ip_local_reserved_ports', value: '8080', safeSince: 27 },
  { name: 'net.ipv4.tcp_keepalive_time', value: '7200', safeSince: 29 },
  { name: 'net.ipv4.tcp_fin_timeout', value: '60', safeSince: 29 },
  { name: 'net.ipv4.tcp_keepalive_intvl', value: '75', safeSince: 29 },
  { name: 'net.ipv4.tcp_keepalive_probes', value: '9', safeSince: 29 },
  { name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456', safeSince: 32 },
  { name: 'net.ipv4.tcp_wmem', value: '4096 16384 4194304', safeSince: 32 },
  { name: 'net.ipv4.tcp_slow_start_after_idle', value: '0', safeSince: 37 },
  { name: 'net.ipv4.tcp_notsent_lowat', value: '16384', safeSince: 37 },
  { name: 'kernel.msgmax', value: '65536' },
  { name: 'net.core.somaxconn', value: '1024' },
  { name: 'kernel.sem', value: '250 32000 100 128' },
  { name: 'net.ipv4.conf.all.rp_filter', value: '1' },
  { name: 'net/ipv4/tcp_syncookies', value: '1' },
];

const VOLUMES_ALLOWED: Record<string, Json> = {
  configMap: { name: 'settings' },
  csi: { driver: 'inline.storage.example.com' },
  downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] },
  emptyDir: {},
  ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } },
  image: { reference: 'registry.k8s.io/pause:3.10' },
  persistentVolumeClaim: { claimName: 'data' },
  projected: { sources: [{ configMap: { name: 'settings' } }, { downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } }] },
  secret: { secretName: 'credentials' },
};

const VOLUMES_RESTRICTED: Record<string, Json> = {
  hostPath: { path: '/var/run/docker.sock' },
  gcePersistentDisk: { pdName: 'disk-1' },
  awsElasticBlockStore: { volumeID: 'vol-0123' },
  gitRepo: { repository: 'https://example.com/repo.git' },
  nfs: { server: 'nfs.example.com', path: '/exports' },
  iscsi: { targetPortal: '10.0.0.5:3260', iqn: 'iqn.2001-04.com.example:storage', lun: 0 },
  glusterfs: { endpoints: 'glusterfs-cluster', path: 'vol' },
  rbd: { monitors: ['10.0.0.6:6789'], image: 'foo' },
  flexVolume: { driver: 'example.com/flex' },
  cinder: { volumeID: 'cinder-1' },
  cephfs: { monitors: ['10.0.0.7:6789'] },
  flocker: { datasetName: 'dataset' },
  fc: { targetWWNs: ['500a0982991b8dc5'], lun: 2 },
  azureFile: { secretName: 'azure-secret', shareName: 'share' },
  vsphereVolume: { volumePath: '[datastore1] volumes/myDisk' },
  quobyte: { registry: 'registry:7861', volume: 'testVolume' },
  azureDisk: { diskName: 'disk.vhd', diskURI: 'https://example.blob.core.windows.net/vhds/disk.vhd' },
  photonPersistentDisk: { pdID: 'photon-1' },
  portworxVolume: { volumeID: 'pxvol' },
  scaleIO: { gateway: 'https://scaleio.example.com:443/api', system: 'scaleio', volumeName: 'vol-0', secretRef: { name: 'sio-secret' } },
  storageos: { volumeName: 'redis-vol01' },
};

// ---------------------------------------------------------------------------
// Building blocks

function restrictedContainer(name: string): Json {
  return { name, image: IMAGE, securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } };
}

function bareContainer(name: string): Json {
  return { name, image: IMAGE };
}

/** A pod that every level and version admits. */
function restrictedSpec(): Json {
  return { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [restrictedContainer('app')] };
}

/** A pod without any security setting (baseline admits it; restricted does not). */
function bareSpec(): Json {
  return { containers: [bareContainer('app')] };
}

interface Draft {
  spec: Json;
  annotations: Record<string, string>;
}

function podSc(d: Draft): Json {
  return (d.spec.securityContext ??= {});
}

function sc(c: Json): Json {
  return (c.securityContext ??= {});
}

function caps(c: Json): Json {
  return (sc(c).capabilities ??= {});
}

// ---------------------------------------------------------------------------
// Container-level mutations

interface ContainerMutation {
  id: string;
  description: string;
  /** Field groups this mutation touches (combinations never mix two mutations of one group). */
  groups: string[];
  apply(c: Json, d: Draft, kind: ContainerKind): void;
  /** Container kinds the field is not valid on. */
  notFor?: ContainerKind[];
}

const NO_EPHEMERAL: ContainerKind[] = ['ephemeralContainers'];

/** How many container ports the pod declares already (host ports must be unique in a pod). */
function portOffset(d: Draft): number {
  let n = 0;
  for (const kind of ['initContainers', 'containers'] as const) for (const c of d.spec[kind] ?? []) n += c.ports?.length ?? 0;
  return n;
}

function containerMutations(): ContainerMutation[] {
  const out: ContainerMutation[] = [];
  const add = (m: ContainerMutation) => out.push(m);

  add({ id: 'securityContext=missing', description: 'no securityContext at all', groups: ['sc', 'privileged', 'ape', 'caps', 'runAsNonRoot', 'runAsUser', 'seccomp', 'selinux', 'procMount', 'apparmor'], apply: (c) => delete c.securityContext });
  add({ id: 'securityContext={}', description: 'an empty securityContext', groups: ['sc', 'privileged', 'ape', 'caps', 'runAsNonRoot', 'runAsUser', 'seccomp', 'selinux', 'procMount', 'apparmor'], apply: (c) => (c.securityContext = {}) });

  // privileged
  add({ id: 'privileged=true', description: 'privileged: true (allowPrivilegeEscalation unset, as validation requires)', groups: ['privileged', 'ape'], apply: (c) => { sc(c).privileged = true; delete sc(c).allowPrivilegeEscalation; } });
  add({ id: 'privileged=true,ape=true', description: 'privileged: true with allowPrivilegeEscalation: true', groups: ['privileged', 'ape'], apply: (c) => { sc(c).privileged = true; sc(c).allowPrivilegeEscalation = true; } });
  add({ id: 'privileged=false', description: 'privileged: false', groups: ['privileged'], apply: (c) => (sc(c).privileged = false) });

  // allowPrivilegeEscalation
  add({ id: 'ape=true', description: 'allowPrivilegeEscalation: true', groups: ['ape'], apply: (c) => (sc(c).allowPrivilegeEscalation = true) });
  add({ id: 'ape=missing', description: 'allowPrivilegeEscalation unset', groups: ['ape'], apply: (c) => delete sc(c).allowPrivilegeEscalation });

  // capabilities.add
  for (const cap of BASELINE_CAPABILITIES) {
    add({ id: `caps.add=${cap}`, description: `adds the baseline capability ${cap}`, groups: ['caps'], apply: (c) => (caps(c).add = [cap]) });
  }
  for (const cap of ['NET_RAW', 'SYS_ADMIN', 'ALL', 'SYS_PTRACE', 'BPF', 'NET_ADMIN', 'net_raw', 'sys_admin', 'chown', 'net_bind_service', 'all']) {
    add({ id: `caps.add=${cap}`, description: `adds the capability ${cap}`, groups: ['caps'], apply: (c) => (caps(c).add = [cap]) });
  }
  add({ id: 'caps.add=CAP_SYS_ADMIN,ape=true', description: 'adds CAP_SYS_ADMIN (allowPrivilegeEscalation true, as validation requires)', groups: ['caps', 'ape'], apply: (c) => { caps(c).add = ['CAP_SYS_ADMIN']; sc(c).allowPrivilegeEscalation = true; } });
  add({ id: 'caps.add=SYS_ADMIN,NET_RAW,CHOWN', description: 'adds two forbidden and one baseline capability', groups: ['caps'], apply: (c) => (caps(c).add = ['SYS_ADMIN', 'NET_RAW', 'CHOWN']) });
  add({ id: 'caps.add=NET_BIND_SERVICE,CHOWN', description: 'adds two baseline capabilities', groups: ['caps'], apply: (c) => (caps(c).add = ['NET_BIND_SERVICE', 'CHOWN']) });
  add({ id: 'caps.add=NET_RAW,NET_RAW', description: 'adds NET_RAW twice', groups: ['caps'], apply: (c) => (caps(c).add = ['NET_RAW', 'NET_RAW']) });

  // capabilities.drop
  add({ id: 'caps=missing', description: 'no capabilities field', groups: ['caps'], apply: (c) => delete sc(c).capabilities });
  add({ id: 'caps={}', description: 'an empty capabilities object', groups: ['caps'], apply: (c) => (sc(c).capabilities = {}) });
  add({ id: 'caps.drop=[]', description: 'drop is an empty list', groups: ['caps'], apply: (c) => (caps(c).drop = []) });
  add({ id: 'caps.drop=all', description: 'drops lowercase "all"', groups: ['caps'], apply: (c) => (caps(c).drop = ['all']) });
  add({ id: 'caps.drop=NET_RAW', description: 'drops NET_RAW only', groups: ['caps'], apply: (c) => (caps(c).drop = ['NET_RAW']) });
  add({ id: 'caps.drop=NET_RAW,ALL', description: 'drops NET_RAW and ALL', groups: ['caps'], apply: (c) => (caps(c).drop = ['NET_RAW', 'ALL']) });
  add({ id: 'caps.drop=missing,add=NET_RAW', description: 'adds NET_RAW without dropping anything', groups: ['caps'], apply: (c) => (sc(c).capabilities = { add: ['NET_RAW'] }) });
  add({ id: 'caps.drop=missing,add=NET_BIND_SERVICE', description: 'adds NET_BIND_SERVICE without dropping anything', groups: ['caps'], apply: (c) => (sc(c).capabilities = { add: ['NET_BIND_SERVICE'] }) });

  // runAsNonRoot / runAsUser
  add({ id: 'runAsNonRoot=true', description: 'container runAsNonRoot: true', groups: ['runAsNonRoot'], apply: (c) => (sc(c).runAsNonRoot = true) });
  add({ id: 'runAsNonRoot=false', description: 'container runAsNonRoot: false', groups: ['runAsNonRoot'], apply: (c) => (sc(c).runAsNonRoot = false) });
  add({ id: 'runAsUser=0', description: 'container runAsUser: 0', groups: ['runAsUser'], apply: (c) => (sc(c).runAsUser = 0) });
  add({ id: 'runAsUser=1000', description: 'container runAsUser: 1000', groups: ['runAsUser'], apply: (c) => (sc(c).runAsUser = 1000) });
  add({ id: 'runAsGroup=0', description: 'container runAsGroup: 0 (no check)', groups: ['runAsGroup'], apply: (c) => (sc(c).runAsGroup = 0) });
  add({ id: 'readOnlyRootFilesystem=false', description: 'readOnlyRootFilesystem: false (no check)', groups: ['rorfs'], apply: (c) => (sc(c).readOnlyRootFilesystem = false) });

  // seccompProfile
  add({ id: 'seccomp=RuntimeDefault', description: 'container seccompProfile RuntimeDefault', groups: ['seccomp'], apply: (c) => (sc(c).seccompProfile = { type: 'RuntimeDefault' }) });
  add({ id: 'seccomp=Localhost', description: 'container seccompProfile Localhost', groups: ['seccomp'], apply: (c) => (sc(c).seccompProfile = { type: 'Localhost', localhostProfile: 'profiles/audit.json' }) });
  add({ id: 'seccomp=Unconfined', description: 'container seccompProfile Unconfined', groups: ['seccomp'], apply: (c) => (sc(c).seccompProfile = { type: 'Unconfined' }) });

  // seLinuxOptions
  for (const type of ['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t', 'spc_t', 'unconfined_t']) {
    add({ id: `seLinux.type=${type}`, description: `container seLinuxOptions.type ${type}`, groups: ['selinux'], apply: (c) => (sc(c).seLinuxOptions = { type }) });
  }
  add({ id: 'seLinux.user=system_u', description: 'container seLinuxOptions.user set', groups: ['selinux'], apply: (c) => (sc(c).seLinuxOptions = { user: 'system_u' }) });
  add({ id: 'seLinux.role=system_r', description: 'container seLinuxOptions.role set', groups: ['selinux'], apply: (c) => (sc(c).seLinuxOptions = { role: 'system_r' }) });
  add({ id: 'seLinux.level=s0:c1,c2', description: 'container seLinuxOptions.level only (allowed)', groups: ['selinux'], apply: (c) => (sc(c).seLinuxOptions = { level: 's0:c123,c456' }) });
  add({ id: 'seLinux.type=spc_t,user,role', description: 'container seLinuxOptions with a forbidden type, user and role', groups: ['selinux'], apply: (c) => (sc(c).seLinuxOptions = { type: 'spc_t', user: 'system_u', role: 'system_r' }) });

  // procMount
  add({ id: 'procMount=Default', description: 'procMount Default', groups: ['procMount'], apply: (c) => (sc(c).procMount = 'Default') });
  add({ id: 'procMount=Unmasked,hostUsers=false', description: 'procMount Unmasked in a user-namespaced pod (validation requires hostUsers: false)', groups: ['procMount', 'hostUsers', 'hostNamespaces'], apply: (c, d) => { sc(c).procMount = 'Unmasked'; d.spec.hostUsers = false; } });

  // appArmorProfile (field)
  add({ id: 'appArmor=RuntimeDefault', description: 'container appArmorProfile RuntimeDefault', groups: ['apparmor'], apply: (c) => (sc(c).appArmorProfile = { type: 'RuntimeDefault' }) });
  add({ id: 'appArmor=Localhost', description: 'container appArmorProfile Localhost', groups: ['apparmor'], apply: (c) => (sc(c).appArmorProfile = { type: 'Localhost', localhostProfile: 'k8s-apparmor-example' }) });
  add({ id: 'appArmor=Unconfined', description: 'container appArmorProfile Unconfined', groups: ['apparmor'], apply: (c) => (sc(c).appArmorProfile = { type: 'Unconfined' }) });

  // ports
  add({ id: 'hostPort=0', description: 'a container port with hostPort 0', groups: ['ports'], notFor: NO_EPHEMERAL, apply: (c, d) => (c.ports = [{ containerPort: 8080 + portOffset(d), hostPort: 0 }]) });
  add({ id: 'hostPort=80', description: 'hostPort 80 (81, 82... for further containers of the pod)', groups: ['ports'], notFor: NO_EPHEMERAL, apply: (c, d) => {
    const port = 80 + portOffset(d);
    c.ports = [{ containerPort: port, hostPort: port }];
  } });
  add({ id: 'hostPort=8080,9090', description: 'two host ports (TCP and UDP)', groups: ['ports'], notFor: NO_EPHEMERAL, apply: (c, d) => {
    const offset = portOffset(d);
    c.ports = [{ containerPort: 8080 + offset, hostPort: 8080 + offset }, { containerPort: 9090 + offset, hostPort: 9090 + offset, protocol: 'UDP' }];
  } });
  add({ id: 'containerPort=8080', description: 'a container port without hostPort', groups: ['ports'], notFor: NO_EPHEMERAL, apply: (c, d) => (c.ports = [{ containerPort: 8080 + portOffset(d) }]) });

  // probe and lifecycle hosts (init containers need restartPolicy Always to carry them)
  const sidecar = (c: Json, kind: ContainerKind) => {
    if (kind === 'initContainers') c.restartPolicy = 'Always';
  };
  add({ id: 'livenessProbe.httpGet.host', description: 'liveness probe with an httpGet host', groups: ['probes'], notFor: NO_EPHEMERAL, apply: (c, _d, k) => { sidecar(c, k); c.livenessProbe = { httpGet: { host: 'example.com', path: '/healthz', port: 8080 } }; } });
  add({ id: 'readinessProbe.tcpSocket.host', description: 'readiness probe with a tcpSocket host', groups: ['probes'], notFor: NO_EPHEMERAL, apply: (c, _d, k) => { sidecar(c, k); c.readinessProbe = { tcpSocket: { host: '10.0.0.1', port: 8080 } }; } });
  add({ id: 'startupProbe.httpGet.host=127.0.0.1', description: 'startup probe with host 127.0.0.1', groups: ['probes'], notFor: NO_EPHEMERAL, apply: (c, _d, k) => { sidecar(c, k); c.startupProbe = { httpGet: { host: '127.0.0.1', port: 8080 } }; } });
  add({ id: 'probes.httpGet.host=empty', description: 'probes without a host (allowed)', groups: ['probes'], notFor: NO_EPHEMERAL, apply: (c, _d, k) => { sidecar(c, k); c.livenessProbe = { httpGet: { path: '/healthz', port: 8080 } }; c.readinessProbe = { tcpSocket: { port: 8080 } }; } });
  add({ id: 'lifecycle.postStart.httpGet.host', description: 'postStart hook with an httpGet host', groups: ['probes'], notFor: NO_EPHEMERAL, apply: (c, _d, k) => { sidecar(c, k); c.lifecycle = { postStart: { httpGet: { host: 'metadata.internal', path: '/', port: 80 } } }; } });
  add({ id: 'lifecycle.preStop.tcpSocket.host', description: 'preStop hook with a tcpSocket host', groups: ['probes'], notFor: NO_EPHEMERAL, apply: (c, _d, k) => { sidecar(c, k); c.lifecycle = { preStop: { tcpSocket: { host: 'localhost', port: 80 } } }; } });
  add({ id: 'probes+lifecycle.hosts', description: 'three hosts across probes and hooks, one repeated', groups: ['probes'], notFor: NO_EPHEMERAL, apply: (c, _d, k) => {
    sidecar(c, k);
    c.livenessProbe = { httpGet: { host: 'b.example.com', port: 8080 } };
    c.readinessProbe = { httpGet: { host: 'a.example.com', port: 8080 } };
    c.lifecycle = { preStop: { httpGet: { host: 'b.example.com', port: 80 } }, postStart: { tcpSocket: { host: 'c.example.com', port: 80 } } };
  } });

  // windowsOptions on a Linux-or-unspecified pod
  add({ id: 'windowsOptions.runAsUserName', description: 'windowsOptions.runAsUserName on a pod without os (no check)', groups: ['windows'], apply: (c) => (sc(c).windowsOptions = { runAsUserName: 'ContainerUser' }) });
  return out;
}

// ---------------------------------------------------------------------------
// Assembly

function draftOf(spec: Json, annotations: Record<string, string> = {}): Draft {
  return { spec: structuredClone(spec), annotations: { ...annotations } };
}

/** Adds (when needed) and returns the container of `kind` a container mutation targets. */
function targetContainer(d: Draft, kind: ContainerKind, base: 'restricted' | 'bare'): Json {
  const make = base === 'restricted' ? restrictedContainer : bareContainer;
  if (kind === 'containers') return d.spec.containers[0];
  if (kind === 'initContainers') {
    const c = make('init');
    (d.spec.initContainers ??= []).push(c);
    return c;
  }
  const c = make('debug');
  (d.spec.ephemeralContainers ??= []).push(c);
  return c;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
}

class Catalogue {
  readonly variants: PodVariant[] = [];
  private readonly ids = new Set<string>();

  add(id: string, description: string, d: Draft): void {
    if (this.ids.has(id)) throw new Error(`duplicate pod variant id ${id}`);
    this.ids.add(id);
    const name = `pv-${String(this.variants.length + 1).padStart(4, '0')}-${slug(id)}`;
    const pod: PodManifest = { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: d.spec };
    if (Object.keys(d.annotations).length > 0) pod.metadata.annotations = d.annotations;
    const via = (d.spec.ephemeralContainers?.length ?? 0) > 0 ? 'ephemeralcontainers' : 'create';
    this.variants.push({ id, description, pod, via });
  }
}


const KINDS: ContainerKind[] = ['containers', 'initContainers', 'ephemeralContainers'];
const KIND_SHORT: Record<ContainerKind, string> = { containers: 'container', initContainers: 'init', ephemeralContainers: 'ephemeral' };

/** Builds the full, deterministic list (same order and names on every call). */
export function podVariants(): PodVariant[] {
  const cat = new Catalogue();
  const mutations = containerMutations();

  // References.
  cat.add('base/restricted', 'a pod that satisfies restricted at every version', draftOf(restrictedSpec()));
  cat.add('base/bare', 'a pod without any security setting', draftOf(bareSpec()));
  {
    const d = draftOf(bareSpec());
    d.spec.initContainers = [bareContainer('init')];
    d.spec.containers.push(bareContainer('sidecar'));
    cat.add('base/bare-init-two-containers', 'bare pod with an init container and two containers', d);
  }

  // 1. Every container mutation on the restricted pod, for each container kind.
  for (const kind of KINDS) {
    for (const m of mutations) {
      if (m.notFor?.includes(kind)) continue;
      const d = draftOf(restrictedSpec());
      m.apply(targetContainer(d, kind, 'restricted'), d, kind);
      cat.add(`${KIND_SHORT[kind]}/${m.id}`, `${kind}: ${m.description} (otherwise restricted)`, d);
    }
  }
  // 2. The same mutation on two regular containers and an init container (plural wording).
  for (const m of mutations) {
    const d = draftOf(restrictedSpec());
    d.spec.containers.push(restrictedContainer('sidecar'));
    d.spec.initContainers = [restrictedContainer('init')];
    for (const c of d.spec.containers) m.apply(c, d, 'containers');
    m.apply(d.spec.initContainers[0], d, 'initContainers');
    cat.add(`all-containers/${m.id}`, `every container and init container: ${m.description}`, d);
  }
  // 3. Every container mutation on the bare pod (no pod-level settings to inherit).
  for (const m of mutations) {
    const d = draftOf(bareSpec());
    m.apply(d.spec.containers[0], d, 'containers');
    cat.add(`bare-container/${m.id}`, `bare pod, container: ${m.description}`, d);
  }

  // 4. Host namespaces and host network port defaulting.
  const podLevel = (id: string, description: string, mutate: (d: Draft) => void, base: () => Json = restrictedSpec) => {
    const d = draftOf(base());
    mutate(d);
    cat.add(id, description, d);
  };
  podLevel('pod/hostNetwork=true', 'hostNetwork: true', (d) => (d.spec.hostNetwork = true));
  podLevel('pod/hostPID=true', 'hostPID: true', (d) => (d.spec.hostPID = true));
  podLevel('pod/hostIPC=true', 'hostIPC: true', (d) => (d.spec.hostIPC = true));
  podLevel('pod/hostNetwork,hostPID,hostIPC', 'all three host namespaces', (d) => Object.assign(d.spec, { hostNetwork: true, hostPID: true, hostIPC: true }));
  podLevel('pod/hostNetwork=false,hostPID=false,hostIPC=false', 'host namespaces explicitly false', (d) => Object.assign(d.spec, { hostNetwork: false, hostPID: false, hostIPC: false }));
  podLevel('pod/hostNetwork+containerPort', 'hostNetwork with a container port: the API server defaults hostPort to containerPort', (d) => {
    d.spec.hostNetwork = true;
    d.spec.containers[0].ports = [{ containerPort: 8080 }];
  });
  podLevel('pod/hostNetwork+init-containerPort', 'hostNetwork with an init container port (defaulted hostPort)', (d) => {
    d.spec.hostNetwork = true;
    d.spec.initContainers = [{ ...restrictedContainer('init'), ports: [{ containerPort: 9090 }] }];
  });
  podLevel('pod/hostNetwork+hostPort=containerPort', 'hostNetwork with hostPort equal to containerPort', (d) => {
    d.spec.hostNetwork = true;
    d.spec.containers[0].ports = [{ containerPort: 8443, hostPort: 8443 }];
  });
  podLevel('pod/hostNetwork+hostPort=0', 'hostNetwork with hostPort 0 (defaulted to containerPort)', (d) => {
    d.spec.hostNetwork = true;
    d.spec.containers[0].ports = [{ containerPort: 53, hostPort: 0, protocol: 'UDP' }];
  });
  podLevel('pod/shareProcessNamespace=true', 'shareProcessNamespace: true (no check)', (d) => (d.spec.shareProcessNamespace = true));

  // 5. runAsNonRoot inheritance matrix (pod x container x init container).
  const tri = [true, false, undefined] as const;
  const triName = (v: boolean | undefined) => (v === undefined ? 'missing' : String(v));
  for (const pod of tri) {
    for (const ctr of tri) {
      const d = draftOf(restrictedSpec());
      if (pod === undefined) delete d.spec.securityContext.runAsNonRoot;
      else d.spec.securityContext.runAsNonRoot = pod;
      if (ctr !== undefined) d.spec.containers[0].securityContext.runAsNonRoot = ctr;
      cat.add(`runAsNonRoot/pod=${triName(pod)},container=${triName(ctr)}`, `runAsNonRoot pod ${triName(pod)}, container ${triName(ctr)}`, d);
    }
  }
  for (const pod of tri) {
    for (const init of tri) {
      const d = draftOf(restrictedSpec());
      if (pod === undefined) delete d.spec.securityContext.runAsNonRoot;
      else d.spec.securityContext.runAsNonRoot = pod;
      const c = restrictedContainer('init');
      if (init !== undefined) c.securityContext.runAsNonRoot = init;
      d.spec.initContainers = [c];
      d.spec.containers[0].securityContext.runAsNonRoot = true;
      cat.add(`runAsNonRoot/pod=${triName(pod)},container=true,init=${triName(init)}`, `runAsNonRoot pod ${triName(pod)}, container true, init container ${triName(init)}`, d);
    }
  }

  // 6. runAsUser and user namespaces (v1.35 relaxes runAsUser, runAsNonRoot and procMount for hostUsers: false).
  podLevel('pod/runAsUser=0', 'pod runAsUser: 0', (d) => (d.spec.securityContext.runAsUser = 0));
  podLevel('pod/runAsUser=1000', 'pod runAsUser: 1000', (d) => (d.spec.securityContext.runAsUser = 1000));
  podLevel('pod/runAsUser=0,container=1000', 'pod runAsUser 0 overridden by the container', (d) => {
    d.spec.securityContext.runAsUser = 0;
    d.spec.containers[0].securityContext.runAsUser = 1000;
  });
  podLevel('pod/runAsUser=1000,container=0', 'pod runAsUser 1000, container 0', (d) => {
    d.spec.securityContext.runAsUser = 1000;
    d.spec.containers[0].securityContext.runAsUser = 0;
  });
  podLevel('pod/runAsGroup=0,fsGroup=0,supplementalGroups=0', 'group ids 0 (no check)', (d) => Object.assign(d.spec.securityContext, { runAsGroup: 0, fsGroup: 0, supplementalGroups: [0] }));
  const userNs: Array<[string, string, (d: Draft) => void]> = [
    ['hostUsers=false', 'hostUsers: false alone', () => {}],
    ['hostUsers=false,runAsUser=0', 'hostUsers: false with pod runAsUser 0', (d) => (d.spec.securityContext.runAsUser = 0)],
    ['hostUsers=false,container.runAsUser=0', 'hostUsers: false with container runAsUser 0', (d) => (d.spec.containers[0].securityContext.runAsUser = 0)],
    ['hostUsers=false,runAsNonRoot=false', 'hostUsers: false with pod runAsNonRoot false', (d) => (d.spec.securityContext.runAsNonRoot = false)],
    ['hostUsers=false,runAsNonRoot=missing', 'hostUsers: false without runAsNonRoot', (d) => delete d.spec.securityContext.runAsNonRoot],
    ['hostUsers=false,procMount=Unmasked', 'hostUsers: false with procMount Unmasked', (d) => (d.spec.containers[0].securityContext.procMount = 'Unmasked')],
    ['hostUsers=false,all-relaxed', 'hostUsers: false with runAsUser 0, runAsNonRoot false and procMount Unmasked', (d) => {
      Object.assign(d.spec.securityContext, { runAsUser: 0, runAsNonRoot: false });
      d.spec.containers[0].securityContext.procMount = 'Unmasked';
    }],
    ['hostUsers=false,privileged', 'hostUsers: false does not relax privileged', (d) => {
      d.spec.containers[0].securityContext = { privileged: true, capabilities: { drop: ['ALL'] } };
    }],
  ];
  for (const [id, description, mutate] of userNs) {
    podLevel(`userns/${id}`, description, (d) => {
      d.spec.hostUsers = false;
      mutate(d);
    });
    podLevel(`userns-bare/${id}`, `${description} (bare pod)`, (d) => {
      d.spec.hostUsers = false;
      d.spec.securityContext ??= {};
      d.spec.containers[0].securityContext ??= {};
      mutate(d);
    }, bareSpec);
  }
  podLevel('userns/hostUsers=true,runAsUser=0', 'hostUsers: true (explicit) with pod runAsUser 0', (d) => {
    d.spec.hostUsers = true;
    d.spec.securityContext.runAsUser = 0;
  });

  // 7. Pod-level seccomp, with container overrides.
  const seccompValues: Array<[string, Json | undefined]> = [
    ['missing', undefined],
    ['RuntimeDefault', { type: 'RuntimeDefault' }],
    ['Localhost', { type: 'Localhost', localhostProfile: 'profiles/audit.json' }],
    ['Unconfined', { type: 'Unconfined' }],
  ];
  for (const [podName, podValue] of seccompValues) {
    for (const [ctrName, ctrValue] of seccompValues) {
      if (podName === 'RuntimeDefault' && ctrName === 'missing') continue; // base/restricted
      const d = draftOf(restrictedSpec());
      if (podValue) d.spec.securityContext.seccompProfile = podValue;
      else delete d.spec.securityContext.seccompProfile;
      if (ctrValue) d.spec.containers[0].securityContext.seccompProfile = ctrValue;
      d.spec.initContainers = [restrictedContainer('init')];
      cat.add(`seccomp/pod=${podName},container=${ctrName}`, `seccompProfile pod ${podName}, container ${ctrName}, init container unset`, d);
    }
  }

  // 8. Pod-level seLinuxOptions and AppArmor.
  for (const type of ['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t', 'spc_t', 'unconfined_t']) {
    podLevel(`pod/seLinux.type=${type}`, `pod seLinuxOptions.type ${type}`, (d) => (d.spec.securityContext.seLinuxOptions = { type }));
  }
  podLevel('pod/seLinux.user', 'pod seLinuxOptions.user set', (d) => (d.spec.securityContext.seLinuxOptions = { user: 'system_u' }));
  podLevel('pod/seLinux.role', 'pod seLinuxOptions.role set', (d) => (d.spec.securityContext.seLinuxOptions = { role: 'system_r' }));
  podLevel('pod/seLinux.level', 'pod seLinuxOptions.level only', (d) => (d.spec.securityContext.seLinuxOptions = { level: 's0:c1,c2' }));
  podLevel('pod/seLinux.all+container.type=spc_t', 'pod seLinuxOptions type/user/role and a container type', (d) => {
    d.spec.securityContext.seLinuxOptions = { type: 'unconfined_t', user: 'system_u', role: 'system_r' };
    d.spec.containers[0].securityContext.seLinuxOptions = { type: 'spc_t' };
  });
  podLevel('pod/seLinuxChangePolicy=Recursive', 'seLinuxChangePolicy (no check)', (d) => (d.spec.securityContext.seLinuxChangePolicy = 'Recursive'));
  for (const [name, value] of [
    ['RuntimeDefault', { type: 'RuntimeDefault' }],
    ['Localhost', { type: 'Localhost', localhostProfile: 'k8s-apparmor-example' }],
    ['Unconfined', { type: 'Unconfined' }],
  ] as const) {
    podLevel(`pod/appArmor=${name}`, `pod appArmorProfile ${name}`, (d) => (d.spec.securityContext.appArmorProfile = { ...value }));
    podLevel(`pod/appArmor=${name},container=Unconfined`, `pod appArmorProfile ${name}, container Unconfined`, (d) => {
      d.spec.securityContext.appArmorProfile = { ...value };
      d.spec.containers[0].securityContext.appArmorProfile = { type: 'Unconfined' };
    });
  }

  // 9. AppArmor annotations (synced into the container field on create).
  const annotated = (id: string, description: string, annotations: Record<string, string>, mutate: (d: Draft) => void = () => {}, base: () => Json = restrictedSpec) => {
    const d = draftOf(base(), annotations);
    mutate(d);
    cat.add(id, description, d);
  };
  for (const value of ['runtime/default', 'localhost/k8s-apparmor-example', 'unconfined']) {
    annotated(`apparmor-annotation/app=${value}`, `AppArmor annotation ${value} for the container`, { [APP_ARMOR_ANNOTATION + 'app']: value });
    annotated(`apparmor-annotation-bare/app=${value}`, `AppArmor annotation ${value} for the container of a bare pod`, { [APP_ARMOR_ANNOTATION + 'app']: value }, () => {}, bareSpec);
    annotated(`apparmor-annotation/init=${value}`, `AppArmor annotation ${value} for an init container`, { [APP_ARMOR_ANNOTATION + 'init']: value }, (d) => (d.spec.initContainers = [restrictedContainer('init')]));
  }
  annotated('apparmor-annotation/app=unconfined+field=Unconfined', 'annotation and container field both Unconfined', { [APP_ARMOR_ANNOTATION + 'app']: 'unconfined' }, (d) => (d.spec.containers[0].securityContext.appArmorProfile = { type: 'Unconfined' }));
  annotated('apparmor-annotation/app=unconfined+pod=Unconfined', 'annotation equal to the pod-level field (not copied to the container)', { [APP_ARMOR_ANNOTATION + 'app']: 'unconfined' }, (d) => (d.spec.securityContext.appArmorProfile = { type: 'Unconfined' }));
  annotated('apparmor-annotation/app=unconfined+pod=RuntimeDefault', 'annotation Unconfined, pod field RuntimeDefault', { [APP_ARMOR_ANNOTATION + 'app']: 'unconfined' }, (d) => (d.spec.securityContext.appArmorProfile = { type: 'RuntimeDefault' }));
  annotated('apparmor-annotation/app=runtime-default+field=RuntimeDefault', 'annotation and container field both RuntimeDefault', { [APP_ARMOR_ANNOTATION + 'app']: 'runtime/default' }, (d) => (d.spec.containers[0].securityContext.appArmorProfile = { type: 'RuntimeDefault' }));
  annotated('apparmor-annotation/two-unconfined', 'unconfined annotations for two containers', { [APP_ARMOR_ANNOTATION + 'app']: 'unconfined', [APP_ARMOR_ANNOTATION + 'sidecar']: 'unconfined' }, (d) => d.spec.containers.push(restrictedContainer('sidecar')));
  annotated('apparmor-annotation/unconfined+localhost', 'an unconfined and a localhost annotation', { [APP_ARMOR_ANNOTATION + 'app']: 'localhost/custom', [APP_ARMOR_ANNOTATION + 'sidecar']: 'unconfined' }, (d) => d.spec.containers.push(restrictedContainer('sidecar')));
  annotated('apparmor-annotation/unconfined+container-field-Unconfined-other', 'unconfined annotation for one container, Unconfined field on another', { [APP_ARMOR_ANNOTATION + 'app']: 'unconfined' }, (d) => {
    const s = restrictedContainer('sidecar');
    s.securityContext.appArmorProfile = { type: 'Unconfined' };
    d.spec.containers.push(s);
  });

  // 10. Legacy seccomp annotations (checked by baseline before v1.19).
  const seccompAnnotations: Array<[string, Record<string, string>]> = [
    ['pod=unconfined', { [SECCOMP_POD_ANNOTATION]: 'unconfined' }],
    ['pod=runtime/default', { [SECCOMP_POD_ANNOTATION]: 'runtime/default' }],
    ['pod=docker/default', { [SECCOMP_POD_ANNOTATION]: 'docker/default' }],
    ['pod=localhost/profile.json', { [SECCOMP_POD_ANNOTATION]: 'localhost/profile.json' }],
    ['container=unconfined', { [SECCOMP_CONTAINER_ANNOTATION + 'app']: 'unconfined' }],
    ['container=runtime/default', { [SECCOMP_CONTAINER_ANNOTATION + 'app']: 'runtime/default' }],
    ['pod+container=unconfined', { [SECCOMP_POD_ANNOTATION]: 'unconfined', [SECCOMP_CONTAINER_ANNOTATION + 'app']: 'unconfined' }],
  ];
  for (const [id, annotations] of seccompAnnotations) {
    annotated(`seccomp-annotation-bare/${id}`, `legacy seccomp annotation ${id} on a bare pod`, annotations, () => {}, bareSpec);
  }
  annotated('seccomp-annotation-bare/init=unconfined', 'legacy seccomp annotation unconfined for an init container', { [SECCOMP_CONTAINER_ANNOTATION + 'init']: 'unconfined' }, (d) => (d.spec.initContainers = [bareContainer('init')]), bareSpec);

  // 11. Sysctls.
  for (const s of SYSCTLS) {
    podLevel(`sysctls/${s.name}`, `sysctl ${s.name} (${s.safeSince === undefined ? 'never safe' : `safe since v1.${s.safeSince}`})`, (d) => (d.spec.securityContext.sysctls = [{ name: s.name, value: s.value }]));
  }
  podLevel('sysctls/all-safe-latest', 'every sysctl baseline allows at latest', (d) => (d.spec.securityContext.sysctls = SYSCTLS.filter((s) => s.safeSince !== undefined).map((s) => ({ name: s.name, value: s.value }))));
  podLevel('sysctls/two-unsafe+safe', 'two unsafe sysctls around a safe one', (d) => (d.spec.securityContext.sysctls = [{ name: 'net.core.somaxconn', value: '1024' }, { name: 'kernel.shm_rmid_forced', value: '1' }, { name: 'kernel.msgmax', value: '65536' }]));
  podLevel('sysctls/newer-safe-pair', 'sysctls allowed since v1.29 and v1.32', (d) => (d.spec.securityContext.sysctls = [{ name: 'net.ipv4.tcp_wmem', value: '4096 16384 4194304' }, { name: 'net.ipv4.tcp_fin_timeout', value: '30' }]));

  // 12. Volumes.
  for (const [type, source] of Object.entries(VOLUMES_ALLOWED)) {
    podLevel(`volumes/${type}`, `a ${type} volume (allowed by restricted)`, (d) => (d.spec.volumes = [{ name: `vol-${type.toLowerCase()}`, [type]: structuredClone(source) }]));
  }
  for (const [type, source] of Object.entries(VOLUMES_RESTRICTED)) {
    podLevel(`volumes/${type}`, `a ${type} volume (not allowed by restricted)`, (d) => (d.spec.volumes = [{ name: `vol-${type.toLowerCase()}`, [type]: structuredClone(source) }]));
  }
  podLevel('volumes/no-source', 'a volume without a source (defaulted to emptyDir)', (d) => (d.spec.volumes = [{ name: 'scratch' }]));
  podLevel('volumes/hostPath+nfs+emptyDir', 'two restricted volume types and an allowed one', (d) => (d.spec.volumes = [{ name: 'docker', hostPath: { path: '/var/run/docker.sock', type: 'Socket' } }, { name: 'cache', emptyDir: {} }, { name: 'shared', nfs: { server: 'nfs.example.com', path: '/' } }]));
  podLevel('volumes/two-hostPath', 'two hostPath volumes', (d) => (d.spec.volumes = [{ name: 'root', hostPath: { path: '/' } }, { name: 'logs', hostPath: { path: '/var/log', type: 'Directory' } }]));
  podLevel('volumes/hostPath-mounted-readonly', 'a hostPath volume mounted read-only', (d) => {
    d.spec.volumes = [{ name: 'etc', hostPath: { path: '/etc' } }];
    d.spec.containers[0].volumeMounts = [{ name: 'etc', mountPath: '/host/etc', readOnly: true }];
  });

  // 13. Windows.
  const windows = (id: string, description: string, spec: Json) => cat.add(`windows/${id}`, description, draftOf(spec));
  windows('os=windows,bare', 'a Windows pod without security settings', { os: { name: 'windows' }, containers: [bareContainer('app')] });
  windows('os=windows,runAsNonRoot', 'a Windows pod with runAsNonRoot: true', { os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [bareContainer('app')] });
  windows('os=windows,runAsNonRoot=false', 'a Windows pod with runAsNonRoot: false', { os: { name: 'windows' }, securityContext: { runAsNonRoot: false }, containers: [bareContainer('app')] });
  windows('os=windows,runAsUserName', 'a Windows pod with windowsOptions.runAsUserName', { os: { name: 'windows' }, securityContext: { runAsNonRoot: true, windowsOptions: { runAsUserName: 'ContainerUser' } }, containers: [bareContainer('app')] });
  windows('os=windows,hostProcess=pod', 'a Windows HostProcess pod (pod level)', { os: { name: 'windows' }, hostNetwork: true, securityContext: { runAsNonRoot: true, windowsOptions: { hostProcess: true, runAsUserName: 'NT AUTHORITY\\SYSTEM' } }, containers: [bareContainer('app')] });
  windows('os=windows,hostProcess=containers', 'a Windows HostProcess pod (container level, with an init container)', {
    os: { name: 'windows' },
    hostNetwork: true,
    securityContext: { runAsNonRoot: true },
    initContainers: [{ ...bareContainer('init'), securityContext: { windowsOptions: { hostProcess: true } } }],
    containers: [{ ...bareContainer('app'), securityContext: { windowsOptions: { hostProcess: true } } }],
  });
  windows('os=windows,hostProcess=false', 'a Windows pod with hostProcess: false', { os: { name: 'windows' }, securityContext: { runAsNonRoot: true, windowsOptions: { hostProcess: false } }, containers: [{ ...bareContainer('app'), securityContext: { windowsOptions: { hostProcess: false } } }] });
  windows('os=windows,hostNetwork', 'a Windows pod with hostNetwork', { os: { name: 'windows' }, hostNetwork: true, securityContext: { runAsNonRoot: true }, containers: [bareContainer('app')] });
  windows('os=windows,hostPath', 'a Windows pod with a hostPath volume', { os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, volumes: [{ name: 'c', hostPath: { path: 'C:\\' } }], containers: [bareContainer('app')] });
  windows('os=windows,init', 'a Windows pod with an init container', { os: { name: 'windows' }, initContainers: [bareContainer('init')], containers: [bareContainer('app')] });
  windows('os=windows,hostPort', 'a Windows pod with a host port', { os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [{ ...bareContainer('app'), ports: [{ containerPort: 80, hostPort: 8080 }] }] });
  windows('os=linux,restricted', 'os linux on the restricted pod', { ...restrictedSpec(), os: { name: 'linux' } });
  windows('os=linux,bare', 'os linux on the bare pod', { ...bareSpec(), os: { name: 'linux' } });
  windows('no-os,hostProcess=pod', 'hostProcess without spec.os (a Windows pod by its options)', { hostNetwork: true, securityContext: { windowsOptions: { hostProcess: true } }, containers: [bareContainer('app')] });

  // 14. Hand-written combinations.
  podLevel('combo/privileged-everything', 'privileged container, host namespaces, hostPath, hostPort, NET_RAW/SYS_ADMIN, unconfined profiles', (d) => {
    Object.assign(d.spec, { hostNetwork: true, hostPID: true, hostIPC: true });
    d.spec.securityContext = { runAsUser: 0, seccompProfile: { type: 'Unconfined' }, seLinuxOptions: { type: 'spc_t' } };
    d.spec.volumes = [{ name: 'root', hostPath: { path: '/' } }];
    d.spec.containers[0] = {
      name: 'app',
      image: IMAGE,
      ports: [{ containerPort: 2375, hostPort: 2375 }],
      securityContext: { privileged: true, capabilities: { add: ['NET_RAW', 'SYS_ADMIN'] }, appArmorProfile: { type: 'Unconfined' } },
      volumeMounts: [{ name: 'root', mountPath: '/host' }],
    };
  });
  podLevel('combo/three-kinds-bare', 'init, regular and sidecar containers without settings, on a pod without settings', (d) => {
    d.spec = { initContainers: [bareContainer('init-a'), { ...bareContainer('init-b'), restartPolicy: 'Always' }], containers: [bareContainer('app'), bareContainer('web')] };
  });
  podLevel('combo/mixed-violations-per-container', 'each container breaks a different rule', (d) => {
    const a = restrictedContainer('a');
    a.securityContext.allowPrivilegeEscalation = true;
    const b = restrictedContainer('b');
    b.securityContext.capabilities = { drop: ['ALL'], add: ['NET_ADMIN'] };
    const c = restrictedContainer('c');
    c.securityContext.runAsNonRoot = false;
    c.securityContext.runAsUser = 0;
    const i = restrictedContainer('i');
    i.securityContext.seccompProfile = { type: 'Unconfined' };
    d.spec.containers = [a, b, c];
    d.spec.initContainers = [i];
  });
  {
    const d = draftOf(restrictedSpec());
    const e = bareContainer('debug');
    d.spec.ephemeralContainers = [e];
    d.spec.containers[0].securityContext.privileged = false;
    cat.add('combo/ephemeral-bare-on-restricted-pod', 'a bare ephemeral container added to a restricted pod', d);
  }
  {
    const d = draftOf(restrictedSpec());
    const e1 = restrictedContainer('debug-a');
    e1.securityContext.privileged = true;
    delete e1.securityContext.allowPrivilegeEscalation;
    const e2 = restrictedContainer('debug-b');
    e2.securityContext.capabilities = { add: ['SYS_PTRACE'] };
    d.spec.ephemeralContainers = [e1, e2];
    cat.add('combo/two-ephemeral-containers', 'two ephemeral containers, one privileged, one adding SYS_PTRACE without dropping ALL', d);
  }
  {
    const d = draftOf(bareSpec());
    d.spec.hostPID = true;
    d.spec.ephemeralContainers = [{ ...bareContainer('debug'), targetContainerName: 'app', securityContext: { capabilities: { add: ['SYS_PTRACE'] } } }];
    cat.add('combo/ephemeral-on-hostPID-pod', 'an ephemeral debugger with SYS_PTRACE on a hostPID pod', d);
  }

  // 15. Seeded random combinations of container mutations (distinct field groups) on each kind,
  // optionally with a pod-level change.
  const rand = prng(0x70737321);
  const podChanges: Array<[string, (d: Draft) => void]> = [
    ['none', () => {}],
    ['pod.runAsNonRoot=missing', (d) => delete d.spec.securityContext.runAsNonRoot],
    ['pod.seccomp=missing', (d) => delete d.spec.securityContext.seccompProfile],
    ['pod.seccomp=Unconfined', (d) => (d.spec.securityContext.seccompProfile = { type: 'Unconfined' })],
    ['pod.runAsUser=0', (d) => (d.spec.securityContext.runAsUser = 0)],
    ['hostPID', (d) => (d.spec.hostPID = true)],
    ['hostPath', (d) => (d.spec.volumes = [{ name: 'host', hostPath: { path: '/var/lib' } }])],
    ['sysctl.kernel.msgmax', (d) => (d.spec.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '65536' }])],
    ['pod.seLinux.user', (d) => (d.spec.securityContext.seLinuxOptions = { user: 'system_u' })],
  ];
  const COMBOS = 90;
  for (let n = 0; n < COMBOS; n++) {
    const kind = KINDS[Math.floor(rand() * KINDS.length)]!;
    const wanted = 2 + Math.floor(rand() * 3);
    const chosen: ContainerMutation[] = [];
    const used = new Set<string>();
    for (let tries = 0; tries < 50 && chosen.length < wanted; tries++) {
      const m = mutations[Math.floor(rand() * mutations.length)]!;
      if (m.notFor?.includes(kind) || m.groups.some((g) => used.has(g))) continue;
      chosen.push(m);
      for (const g of m.groups) used.add(g);
    }
    let podChange = podChanges[Math.floor(rand() * podChanges.length)]!;
    // hostUsers: false (procMount Unmasked) forbids host namespaces.
    if (used.has('hostUsers') && podChange[0] === 'hostPID') podChange = podChanges[0]!;
    // Apply mutations in a canonical order so that e.g. `privileged` does not get undone.
    chosen.sort((a, b) => mutations.indexOf(a) - mutations.indexOf(b));
    const d = draftOf(restrictedSpec());
    podChange[1](d);
    const target = targetContainer(d, kind, 'restricted');
    for (const m of chosen) m.apply(target, d, kind);
    const id = `random/${String(n + 1).padStart(3, '0')}:${KIND_SHORT[kind]}:${chosen.map((m) => m.id).join('+')}|${podChange[0]}`;
    cat.add(id, `seeded combination on ${kind}: ${chosen.map((m) => m.description).join('; ')}; pod change: ${podChange[0]}`, d);
  }

  return cat.variants;
}
