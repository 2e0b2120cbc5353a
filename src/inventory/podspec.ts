/**
 * Workload → pod spec extraction. The engine uses this so that every control that targets a
 * pod spec or a container covers every workload kind, init and ephemeral containers alike.
 */
import type { K8sObject } from './types.js';
import { getAtSegments, parsePointer } from './pointer.js';

export interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
  securityContext?: PodSecurityContext;
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  hostUsers?: boolean;
  serviceAccountName?: string;
  serviceAccount?: string;
  automountServiceAccountToken?: boolean;
  volumes?: Volume[];
  nodeName?: string;
  os?: { name?: string };
  [field: string]: unknown;
}

export interface Volume {
  name: string;
  hostPath?: { path?: string; type?: string };
  secret?: { secretName?: string };
  configMap?: { name?: string };
  projected?: { sources?: Array<Record<string, unknown>> };
  [field: string]: unknown;
}

export interface SeccompProfile {
  type?: string;
  localhostProfile?: string;
}

export interface AppArmorProfile {
  type?: string;
  localhostProfile?: string;
}

export interface SELinuxOptions {
  user?: string;
  role?: string;
  type?: string;
  level?: string;
}

export interface PodSecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  fsGroup?: number;
  supplementalGroups?: number[];
  seccompProfile?: SeccompProfile;
  appArmorProfile?: AppArmorProfile;
  seLinuxOptions?: SELinuxOptions;
  sysctls?: Array<{ name: string; value: string }>;
  windowsOptions?: { hostProcess?: boolean; [k: string]: unknown };
  [field: string]: unknown;
}

export interface SecurityContext {
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  runAsNonRoot?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  capabilities?: { add?: string[]; drop?: string[] };
  seccompProfile?: SeccompProfile;
  appArmorProfile?: AppArmorProfile;
  seLinuxOptions?: SELinuxOptions;
  procMount?: string;
  windowsOptions?: { hostProcess?: boolean; [k: string]: unknown };
  [field: string]: unknown;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name?: string; key?: string };
    configMapKeyRef?: { name?: string; key?: string };
    fieldRef?: unknown;
    resourceFieldRef?: unknown;
  };
}

export interface Container {
  name: string;
  image?: string;
  imagePullPolicy?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  envFrom?: Array<{ secretRef?: { name?: string }; configMapRef?: { name?: string } }>;
  ports?: Array<{ name?: string; containerPort?: number; hostPort?: number; hostIP?: string; protocol?: string }>;
  resources?: {
    limits?: Record<string, string | number>;
    requests?: Record<string, string | number>;
  };
  securityContext?: SecurityContext;
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean; subPath?: string }>;
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  startupProbe?: unknown;
  lifecycle?: unknown;
  restartPolicy?: string;
  [field: string]: unknown;
}

export type ContainerKind = 'container' | 'initContainer' | 'ephemeralContainer';

export interface ContainerRef {
  container: Container;
  kind: ContainerKind;
  /** JSON pointer of the container inside the object. */
  pointer: string;
}

export interface PodSpecRef {
  spec: PodSpec;
  /** JSON pointer of the pod spec inside the object (`/spec`, `/spec/template/spec`, ...). */
  pointer: string;
  /** Pointer of the pod metadata (labels, annotations) inside the object. */
  metadataPointer: string;
}

/** Where the pod spec lives for each kind that carries one. */
const POD_SPEC_PATHS: Record<string, { spec: string; metadata: string }> = {
  Pod: { spec: '/spec', metadata: '/metadata' },
  PodTemplate: { spec: '/template/spec', metadata: '/template/metadata' },
  Deployment: { spec: '/spec/template/spec', metadata: '/spec/template/metadata' },
  ReplicaSet: { spec: '/spec/template/spec', metadata: '/spec/template/metadata' },
  StatefulSet: { spec: '/spec/template/spec', metadata: '/spec/template/metadata' },
  DaemonSet: { spec: '/spec/template/spec', metadata: '/spec/template/metadata' },
  ReplicationController: { spec: '/spec/template/spec', metadata: '/spec/template/metadata' },
  Job: { spec: '/spec/template/spec', metadata: '/spec/template/metadata' },
  CronJob: { spec: '/spec/jobTemplate/spec/template/spec', metadata: '/spec/jobTemplate/spec/template/metadata' },
};

/** Kinds that carry a pod template (a workload). */
export const POD_BEARING_KINDS: readonly string[] = Object.keys(POD_SPEC_PATHS);

/** The same paths split once (pod specs are looked up millions of times in a large scan). */
const POD_SPEC_SEGMENTS: Record<string, { spec: readonly string[]; metadata: readonly string[] }> = Object.fromEntries(
  Object.entries(POD_SPEC_PATHS).map(([kind, p]) => [kind, { spec: parsePointer(p.spec), metadata: parsePointer(p.metadata) }]),
);

export function isPodBearing(obj: K8sObject): boolean {
  return Object.prototype.hasOwnProperty.call(POD_SPEC_PATHS, obj.kind);
}

/** The pod spec of any workload kind, or undefined. */
export function podSpecOf(obj: K8sObject): PodSpecRef | undefined {
  if (!Object.prototype.hasOwnProperty.call(POD_SPEC_PATHS, obj.kind)) return undefined;
  const paths = POD_SPEC_PATHS[obj.kind]!;
  const spec = getAtSegments(obj, POD_SPEC_SEGMENTS[obj.kind]!.spec);
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) return undefined;
  return { spec: spec as PodSpec, pointer: paths.spec, metadataPointer: paths.metadata };
}

/** Pod-level metadata (labels/annotations of the pod template, or of the pod itself). */
export function podMetadataOf(obj: K8sObject): { labels?: Record<string, string>; annotations?: Record<string, string> } {
  if (!Object.prototype.hasOwnProperty.call(POD_SPEC_PATHS, obj.kind)) return {};
  const meta = getAtSegments(obj, POD_SPEC_SEGMENTS[obj.kind]!.metadata);
  return meta && typeof meta === 'object' ? (meta as { labels?: Record<string, string>; annotations?: Record<string, string> }) : {};
}

const CONTAINER_LISTS: Array<[keyof PodSpec & string, ContainerKind]> = [
  ['initContainers', 'initContainer'],
  ['containers', 'container'],
  ['ephemeralContainers', 'ephemeralContainer'],
];

/** Every container of a pod spec: init, regular and ephemeral, with its pointer. */
export function containersOf(ref: PodSpecRef): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const [field, kind] of CONTAINER_LISTS) {
    const list = ref.spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      // field names need no escaping; joined, not concatenated: the pointer is a base of findings' pointers
      if (c && typeof c === 'object') out.push({ container: c as Container, kind, pointer: [ref.pointer, field, i].join('/') });
    });
  }
  return out;
}
