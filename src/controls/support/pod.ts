/** Helpers for pod-spec controls: containers with pointers relative to the pod spec, inherited settings. */
import type { Container, ContainerKind, PodSpec } from '../../inventory/podspec.js';
import { joinPointer } from '../../inventory/pointer.js';

export interface PodContainer {
  container: Container;
  kind: ContainerKind;
  /** Pointer of the container relative to the pod spec (`/containers/0`). */
  pointer: string;
}

const LISTS: Array<[string, ContainerKind]> = [
  ['initContainers', 'initContainer'],
  ['containers', 'container'],
  ['ephemeralContainers', 'ephemeralContainer'],
];

/** Every container of a pod spec (init, regular, ephemeral), pointers relative to the spec. */
export function podContainers(spec: PodSpec): PodContainer[] {
  const out: PodContainer[] = [];
  for (const [field, kind] of LISTS) {
    const list = spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      if (c && typeof c === 'object') out.push({ container: c as Container, kind, pointer: joinPointer('', field, i) });
    });
  }
  return out;
}

/** A long-running container: a regular container or a native sidecar (init container with restartPolicy Always). */
export function isLongRunning(container: Container, kind: ContainerKind): boolean {
  return kind === 'container' || (kind === 'initContainer' && container.restartPolicy === 'Always');
}

export function isWindowsPod(spec: PodSpec): boolean {
  return spec.os?.name === 'windows';
}

/** Names of a container's kind for messages. */
export const CONTAINER_KIND_LABEL: Record<ContainerKind, string> = {
  container: 'Container',
  initContainer: 'Init container',
  ephemeralContainer: 'Ephemeral container',
};

/** Batch workloads: run to completion, where probes and some long-running practices do not apply. */
export function isBatchWorkload(kind: string): boolean {
  return kind === 'Job' || kind === 'CronJob';
}

/**
 * Pods that run to completion: Jobs and CronJobs, and pods (of any owner: a Job read from a
 * cluster, an Argo Workflow, a Tekton TaskRun...) whose restartPolicy is Never or OnFailure.
 */
export function runsToCompletion(object: { kind: string }, spec: PodSpec | undefined): boolean {
  if (isBatchWorkload(object.kind)) return true;
  const policy = (spec as { restartPolicy?: unknown } | undefined)?.restartPolicy;
  return policy === 'Never' || policy === 'OnFailure';
}

/** A pointer for a JSON patch that sets `field` under `securityContext`, creating it when absent. */
export function setSecurityContextField(securityContext: object | undefined, field: string, value: unknown): { op: 'add'; path: string; value: unknown } {
  return securityContext && typeof securityContext === 'object'
    ? { op: 'add', path: `/securityContext/${field}`, value }
    : { op: 'add', path: '/securityContext', value: { [field]: value } };
}

/** `resources.<section>.<name>` is set (containers, or the pod-level `spec.resources`). */
export function hasResource(resources: unknown, section: 'limits' | 'requests', name: string): boolean {
  if (!resources || typeof resources !== 'object') return false;
  const s = (resources as Record<string, unknown>)[section];
  if (!s || typeof s !== 'object') return false;
  const v = (s as Record<string, unknown>)[name];
  return v !== undefined && v !== null && v !== '';
}

export interface RootIdSetting {
  /** Pointer relative to the pod spec. */
  pointer: string;
  /** Containers that run with the value (pod-level settings: every container not overriding it). */
  containers: string[];
  level: 'pod' | 'container';
}

/**
 * Where a securityContext id field (runAsUser / runAsGroup) is set to `value` with effect:
 * the pod-level setting when at least one container inherits it, and each container that sets it.
 */
export function effectiveIdSettings(spec: PodSpec, field: 'runAsUser' | 'runAsGroup', value: number): RootIdSetting[] {
  const out: RootIdSetting[] = [];
  const containers = podContainers(spec);
  if (spec.securityContext?.[field] === value) {
    const inheriting = containers.filter((c) => c.container.securityContext?.[field] === undefined).map((c) => c.container.name);
    if (inheriting.length > 0) out.push({ pointer: `/securityContext/${field}`, containers: inheriting, level: 'pod' });
  }
  for (const c of containers) {
    if (c.container.securityContext?.[field] === value) out.push({ pointer: `${c.pointer}/securityContext/${field}`, containers: [c.container.name], level: 'container' });
  }
  return out;
}

/** The value when it is an array, else an empty one: manifests are input, not trusted to match their schema. */
export function asArray<T>(value: T[] | undefined | unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

/**
 * A static pod's mirror: the API object the kubelet makes for a pod it runs from a file on the
 * node (annotation `kubernetes.io/config.mirror`, owned by its Node). The kubelet, not the API,
 * decides such a pod: it gets no service account token and no controller.
 */
export function isMirrorPod(object: { kind: string; metadata: { annotations?: Record<string, string>; ownerReferences?: unknown } }): boolean {
  if (object.kind !== 'Pod') return false;
  const annotations = object.metadata.annotations;
  if (annotations && typeof annotations === 'object' && 'kubernetes.io/config.mirror' in annotations) return true;
  const owners = object.metadata.ownerReferences;
  return Array.isArray(owners) && owners.some((o) => o !== null && typeof o === 'object' && (o as { kind?: unknown }).kind === 'Node');
}
