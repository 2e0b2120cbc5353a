/**
 * Container → node: the settings that let a process in a container take over the node.
 * Each technique has a difficulty (1: a well-known one-liner, 2: needs more work or more
 * luck) and the fields that enable it.
 */
import type { Container, PodSpec } from '../inventory/podspec.js';
import { joinPointer } from '../inventory/pointer.js';

export interface EscapeTechnique {
  technique: string;
  weight: number;
  /** Pointers (absolute, into the workload object) of the enabling fields. */
  causes: Array<{ pointer: string; detail: string }>;
}

function capName(c: string): string {
  const u = c.toUpperCase();
  return u.startsWith('CAP_') ? u.slice(4) : u;
}

/** Escapes a container's own settings allow (host paths are judged per volume, see `hostPathEscape`). */
export function containerEscapes(spec: PodSpec, specPointer: string, c: Container, cPointer: string): EscapeTechnique[] {
  const out: EscapeTechnique[] = [];
  const sc = c.securityContext ?? {};
  const hostPID = spec.hostPID === true;
  const hostPidCause = { pointer: joinPointer(specPointer, 'hostPID'), detail: 'hostPID: true (the host process table is visible)' };
  if (sc.privileged === true) {
    const priv = { pointer: joinPointer(cPointer, 'securityContext', 'privileged'), detail: 'privileged: true (all devices, all capabilities, no seccomp/AppArmor)' };
    if (hostPID) out.push({ technique: 'privileged + hostPID: nsenter into the host PID 1', weight: 1, causes: [priv, hostPidCause] });
    else out.push({ technique: 'privileged: mount the host disk or load a kernel module', weight: 1, causes: [priv] });
  }
  const added = Array.isArray(sc.capabilities?.add) ? sc.capabilities!.add! : [];
  added.forEach((raw, i) => {
    if (typeof raw !== 'string') return;
    const cap = capName(raw);
    const cause = { pointer: joinPointer(cPointer, 'securityContext', 'capabilities', 'add', i), detail: `adds capability ${cap}` };
    if (sc.privileged === true) return; // already counted as privileged
    if (cap === 'ALL') out.push({ technique: 'all capabilities: mount host filesystems or load kernel modules', weight: 1, causes: [cause] });
    else if (cap === 'SYS_MODULE') out.push({ technique: 'CAP_SYS_MODULE: load a kernel module into the host kernel', weight: 1, causes: [cause] });
    else if (cap === 'SYS_ADMIN') out.push({ technique: 'CAP_SYS_ADMIN: mount host filesystems / cgroup release_agent', weight: 2, causes: [cause] });
    else if (cap === 'SYS_PTRACE' && hostPID) out.push({ technique: 'CAP_SYS_PTRACE + hostPID: inject code into a host process', weight: 1, causes: [cause, hostPidCause] });
  });
  const hostProcess = sc.windowsOptions?.hostProcess === true || spec.securityContext?.windowsOptions?.hostProcess === true;
  if (hostProcess) {
    const pointer = sc.windowsOptions?.hostProcess === true ? joinPointer(cPointer, 'securityContext', 'windowsOptions', 'hostProcess') : joinPointer(specPointer, 'securityContext', 'windowsOptions', 'hostProcess');
    out.push({ technique: 'Windows HostProcess container: runs directly on the host', weight: 1, causes: [{ pointer, detail: 'hostProcess: true' }] });
  }
  return out;
}

export const RUNTIME_SOCKETS: readonly string[] = [
  '/var/run/docker.sock',
  '/run/docker.sock',
  '/run/containerd/containerd.sock',
  '/var/run/containerd/containerd.sock',
  '/run/crio/crio.sock',
  '/var/run/crio/crio.sock',
  '/var/run/cri-dockerd.sock',
  '/run/k3s/containerd/containerd.sock',
];

interface HostPathRule {
  path: string;
  /** Also matches paths below (e.g. /etc/kubernetes under /etc). */
  below: boolean;
  writable?: { weight: number; technique: string };
  readOnly?: { weight: number; technique: string };
}

const HOST_PATH_RULES: readonly HostPathRule[] = [
  ...RUNTIME_SOCKETS.map((path): HostPathRule => ({
    path,
    below: false,
    writable: { weight: 1, technique: `container runtime socket ${path}: start a privileged container on the node` },
    readOnly: { weight: 1, technique: `container runtime socket ${path}: start a privileged container on the node` },
  })),
  { path: '/', below: false, writable: { weight: 1, technique: 'host root filesystem writable: plant a cron job or SSH key' }, readOnly: { weight: 2, technique: 'host root filesystem readable: steal the kubelet credentials and pod tokens' } },
  { path: '/proc', below: true, writable: { weight: 1, technique: 'host /proc writable: core_pattern / sysrq handlers run on the host' }, readOnly: { weight: 2, technique: 'host /proc readable: read host process environments' } },
  { path: '/etc', below: true, writable: { weight: 1, technique: 'host /etc writable: cron, passwd, kubelet and static pod manifests' }, readOnly: { weight: 2, technique: 'host /etc readable: node credentials under /etc/kubernetes' } },
  { path: '/root', below: true, writable: { weight: 1, technique: 'host /root writable: SSH authorized_keys, shell profiles' }, readOnly: { weight: 2, technique: 'host /root readable: credentials of the node administrator' } },
  { path: '/var/lib/kubelet', below: true, writable: { weight: 1, technique: 'kubelet directory: every pod token and the kubelet credentials' }, readOnly: { weight: 1, technique: 'kubelet directory readable: every pod token and the kubelet credentials' } },
  { path: '/var/lib/docker', below: false, writable: { weight: 1, technique: 'container runtime state writable: tamper with other containers' } },
  { path: '/var/lib/containerd', below: false, writable: { weight: 1, technique: 'container runtime state writable: tamper with other containers' } },
  { path: '/run/containerd', below: false, writable: { weight: 1, technique: 'containerd run directory: the runtime socket' }, readOnly: { weight: 1, technique: 'containerd run directory: the runtime socket' } },
  { path: '/var/run', below: false, writable: { weight: 1, technique: 'host /var/run: container runtime sockets' }, readOnly: { weight: 1, technique: 'host /var/run: container runtime sockets' } },
  { path: '/run', below: false, writable: { weight: 1, technique: 'host /run: container runtime sockets' }, readOnly: { weight: 1, technique: 'host /run: container runtime sockets' } },
  { path: '/home', below: true, writable: { weight: 2, technique: 'host /home writable: user SSH keys and profiles' } },
  { path: '/dev', below: false, writable: { weight: 2, technique: 'host /dev: raw disk devices' } },
  { path: '/sys', below: false, writable: { weight: 2, technique: 'host /sys writable: kernel and cgroup settings' } },
  { path: '/boot', below: true, writable: { weight: 2, technique: 'host /boot writable: replace the kernel or bootloader' } },
];

export function normalizeHostPath(p: string): string {
  let s = p.replace(/\/+/g, '/');
  if (s.length > 1 && s.endsWith('/')) s = s.slice(0, -1);
  return s;
}

/**
 * The escape a hostPath volume gives, or undefined. A mount of a directory above a sensitive
 * path (`/var` holds `/var/lib/kubelet`) counts as that path. `/var/log` needs a writable mount
 * and a way to read pod logs (`pods/log`): the kubelet follows a planted symlink.
 */
export function hostPathEscape(rawPath: string, writable: boolean, podLogsReadable: boolean): { weight: number; technique: string } | undefined {
  const p = normalizeHostPath(rawPath);
  let best: { weight: number; technique: string } | undefined;
  for (const r of HOST_PATH_RULES) {
    const hit = p === r.path || (p === '/' ? false : r.path.startsWith(p + '/')) || (r.below && p.startsWith(r.path + '/'));
    if (!hit) continue;
    const t = writable ? r.writable ?? r.readOnly : r.readOnly;
    if (t && (!best || t.weight < best.weight)) best = t;
  }
  if (p === '/') {
    const root = HOST_PATH_RULES.find((r) => r.path === '/')!;
    const t = writable ? root.writable! : root.readOnly!;
    if (!best || t.weight <= best.weight) best = t;
  }
  const isLog = p === '/var/log' || p.startsWith('/var/log/') || '/var/log'.startsWith(p + '/');
  if (!best && isLog && writable && podLogsReadable) best = { weight: 2, technique: 'host /var/log writable + pods/log read: the kubelet follows a planted symlink to any host file' };
  return best;
}
