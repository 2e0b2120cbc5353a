/** hostPath volumes of a pod spec with the containers mounting them. */
import type { PodSpec } from '../../inventory/podspec.js';
import { asArray, podContainers } from './pod.js';

export interface HostPathMount {
  container: string;
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
        if (m && m.name === v.name) mounts.push({ container: c.container.name, pointer: `${c.pointer}/volumeMounts/${j}`, readOnly: m.readOnly === true });
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
