/** hostPath volumes of a pod spec with the containers mounting them. */
import type { Container, PodSpec } from '../../inventory/podspec.js';
import { asArray, podContainers } from './pod.js';

export interface HostPathMount {
  container: string;
  /** The container runs as a user other than root, unprivileged and without file-access capabilities. */
  nonRoot: boolean;
  /** Pointer of the volumeMount relative to the pod spec. */
  pointer: string;
  readOnly: boolean;
}

export interface HostPathVolume {
  name: string;
  path: string;
  /** `hostPath.type` (`File`, `Directory`, `Socket`, ...), when set. */
  type?: string;
  /** Pointer of the volume's `hostPath.path` relative to the pod spec. */
  pointer: string;
  mounts: HostPathMount[];
}

export function hostPathVolumes(spec: PodSpec): HostPathVolume[] {
  if (!Array.isArray(spec.volumes)) return [];
  const out: HostPathVolume[] = [];
  spec.volumes.forEach((v, i) => {
    if (!v || typeof v !== 'object' || !v.hostPath || typeof v.hostPath.path !== 'string') return;
    const mounts: HostPathMount[] = [];
    for (const c of podContainers(spec)) {
      asArray<NonNullable<typeof c.container.volumeMounts>[number]>(c.container.volumeMounts).forEach((m, j) => {
        if (m && m.name === v.name) mounts.push({ container: c.container.name, nonRoot: runsAsNonRootUnprivileged(c.container, spec), pointer: `${c.pointer}/volumeMounts/${j}`, readOnly: m.readOnly === true });
      });
    }
    const type = (v.hostPath as { type?: unknown }).type;
    out.push({ name: v.name, path: v.hostPath.path, ...(typeof type === 'string' && type !== '' ? { type } : {}), pointer: `/volumes/${i}/hostPath/path`, mounts });
  });
  return out;
}

/** Every container mounting the volume mounts it read-only (a volume no container mounts exposes nothing to write). */
export function mountedReadOnly(v: HostPathVolume): boolean {
  return v.mounts.every((m) => m.readOnly);
}

/** Capabilities that let a process read files whatever their owner and mode. */
const FILE_ACCESS_CAPABILITIES = new Set(['ALL', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'SYS_ADMIN']);

/**
 * The container runs as a user other than root (runAsUser > 0, or runAsNonRoot, container over
 * pod), not privileged, and adds no capability that opens files of other owners.
 */
export function runsAsNonRootUnprivileged(container: Container, spec: PodSpec): boolean {
  const sc = container.securityContext;
  if (sc?.privileged === true) return false;
  const add = sc?.capabilities?.add;
  if (Array.isArray(add) && add.some((c) => typeof c === 'string' && FILE_ACCESS_CAPABILITIES.has(c.toUpperCase().replace(/^CAP_/, '')))) return false;
  const user = sc?.runAsUser ?? spec.securityContext?.runAsUser;
  if (typeof user === 'number') return user > 0;
  return (sc?.runAsNonRoot ?? spec.securityContext?.runAsNonRoot) === true;
}

/** Every container mounting the volume runs as a non-root, unprivileged user (see runsAsNonRootUnprivileged). */
export function readByNonRootOnly(v: HostPathVolume): boolean {
  return v.mounts.length > 0 && v.mounts.every((m) => m.nonRoot);
}
