/**
 * Container → node: the settings that let a process in a container take over the node.
 * Each technique has a difficulty (1: a well-known one-liner, 2: needs more work or more
 * luck) and the fields that enable it.
 */
import type { Container, PodSpec } from '../inventory/podspec.js';
import { joinPointer } from '../inventory/pointer.js';
import type { Severity } from '../engine/types.js';
import { exposedSensitivePath, normalizeHostPath, RUNTIME_SOCKETS } from '../controls/support/host-paths.js';
import { hostPathRisk } from '../controls/support/host-path-risk.js';

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

/** Attack-path weight by how bad the mount is (the table of host-path-risk.ts, KOR-0123's): lower is easier. */
const WEIGHT: Partial<Record<Severity, number>> = { critical: 1, high: 2, medium: 3 };

/**
 * The escape a hostPath volume gives, or undefined, judged by the same table as the hostPath
 * control (src/controls/support/host-path-risk.ts: by path, file or directory, read-only or
 * writable), so a path never passes where the control finds nothing, nor the reverse. Runtime
 * sockets (and directories holding them) are an escape whether read-only or not: connecting
 * needs no write access to the file. `/var/log` needs a writable mount and a way to read pod
 * logs (`pods/log`): the kubelet follows a planted symlink.
 */
export function hostPathEscape(rawPath: string, type: string | undefined, writable: boolean, podLogsReadable: boolean): { weight: number; technique: string } | undefined {
  const p = normalizeHostPath(rawPath);
  const socket = exposedSensitivePath(p, RUNTIME_SOCKETS);
  if (socket && p !== '/') return { weight: 1, technique: `container runtime socket ${socket}: start a privileged container on the node` };
  const risk = hostPathRisk(p, type, !writable);
  const weight = risk ? WEIGHT[risk.severity] : undefined;
  if (risk && weight !== undefined) return { weight, technique: `host ${p} ${writable ? 'writable' : 'readable'}: ${risk.exposed}` };
  if (socket) return { weight: 1, technique: `container runtime socket ${socket}: start a privileged container on the node` };
  const isLog = p === '/var/log' || p.startsWith('/var/log/') || '/var/log'.startsWith(p + '/');
  if (isLog && writable && podLogsReadable) return { weight: 2, technique: 'host /var/log writable + pods/log read: the kubelet follows a planted symlink to any host file' };
  return undefined;
}
