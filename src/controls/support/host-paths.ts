/** hostPath matching: a mount exposes a sensitive path when it is that path, inside it, or one of its ancestors. */

/** `/var//run/` → `/var/run`. */
export function normalizeHostPath(path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else out.push(p);
  }
  return '/' + out.join('/');
}

function isWithin(path: string, base: string): boolean {
  return base === '/' || path === base || path.startsWith(base + '/');
}

/**
 * The sensitive path a host path exposes: `path` equals it, lies inside it, or contains it (a parent
 * directory exposes everything below). Returns the first match of `sensitive`, or undefined.
 */
export function exposedSensitivePath(hostPath: string, sensitive: readonly string[], opts: { ancestors?: boolean } = {}): string | undefined {
  const p = normalizeHostPath(hostPath);
  for (const s of sensitive) {
    if (isWithin(p, s)) return s;
    if (opts.ancestors !== false && isWithin(s, p)) return s;
  }
  return undefined;
}

/** Container runtime API sockets (and the directories holding them): control of the runtime is control of the node. */
export const RUNTIME_SOCKETS: readonly string[] = [
  '/var/run/docker.sock',
  '/run/docker.sock',
  '/var/run/containerd/containerd.sock',
  '/run/containerd/containerd.sock',
  '/var/run/crio/crio.sock',
  '/run/crio/crio.sock',
  '/var/run/cri-dockerd.sock',
  '/run/cri-dockerd.sock',
  '/run/k3s/containerd/containerd.sock',
  '/var/run/podman/podman.sock',
  '/run/podman/podman.sock',
];
