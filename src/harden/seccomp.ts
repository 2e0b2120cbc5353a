/**
 * Seccomp profiles from observed syscalls: an allow list (default action SCMP_ACT_ERRNO) of
 * every syscall observed in any replica, plus the container runtime's base set.
 *
 * The runtime base set: between installing the seccomp filter and executing the entrypoint,
 * the OCI runtime (runc, crun) itself makes syscalls that no trace of the container shows.
 * kordon adds the syscalls of the Security Profiles Operator's published runc base profile
 * (examples/baseprofile-runc.yaml, runc-v1.0.0-rc92: capget … write) and the few that newer
 * runc and crun versions make on the same path (setresuid, setresgid, exit_group, arch_prctl,
 * set_tid_address, rt_sigaction, rt_sigprocmask, rt_sigreturn, mmap, mprotect, munmap, brk,
 * close_range, getuid, getgid). They are listed in each profile's `baseSyscalls` so a reader
 * sees what was added without being observed (docs/harden.md).
 */

import type { K8sObject } from '../inventory/types.js';

export const RUNTIME_BASE_SYSCALLS: readonly string[] = [
  // the Security Profiles Operator's runc base profile
  'capget',
  'capset',
  'chdir',
  'close',
  'epoll_ctl',
  'epoll_pwait',
  'execve',
  'fchown',
  'fcntl',
  'fstat',
  'fstatfs',
  'futex',
  'getdents64',
  'getpid',
  'getppid',
  'nanosleep',
  'newfstatat',
  'openat',
  'prctl',
  'read',
  'sched_yield',
  'setgid',
  'setgroups',
  'setuid',
  'write',
  // newer runc / crun on the same path, and the dynamic loader's first calls
  'arch_prctl',
  'brk',
  'close_range',
  'exit_group',
  'getgid',
  'getuid',
  'mmap',
  'mprotect',
  'munmap',
  'rt_sigaction',
  'rt_sigprocmask',
  'rt_sigreturn',
  'set_tid_address',
  'setresgid',
  'setresuid',
].sort();

export const SECCOMP_ARCHITECTURES = ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32', 'SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM'];

export interface OciSeccompProfile {
  defaultAction: 'SCMP_ACT_ERRNO';
  architectures: string[];
  syscalls: Array<{ names: string[]; action: 'SCMP_ACT_ALLOW' }>;
}

/** The OCI (runtime-spec / Docker) profile: observed ∪ base, sorted. */
export function ociProfile(observed: Iterable<string>): OciSeccompProfile {
  const names = [...new Set([...observed, ...RUNTIME_BASE_SYSCALLS])].sort();
  return { defaultAction: 'SCMP_ACT_ERRNO', architectures: [...SECCOMP_ARCHITECTURES], syscalls: [{ names, action: 'SCMP_ACT_ALLOW' }] };
}

/** The base syscalls a profile holds that were not observed. */
export function baseAdded(observed: ReadonlySet<string>): string[] {
  return RUNTIME_BASE_SYSCALLS.filter((s) => !observed.has(s));
}

/**
 * The Security Profiles Operator object installing the same profile. Since SPO v0.9.0 a
 * SeccompProfile is cluster-scoped (its CRD says `scope: Cluster`; checked against the CRD of
 * the version pinned in test/support/k8s/versions.env) and the operator writes it to
 * `operator/<name>.json` under the kubelet's seccomp root: the name carries the namespace.
 */
export function spoProfile(name: string, profile: OciSeccompProfile, labels: Record<string, string>): K8sObject {
  return {
    apiVersion: 'security-profiles-operator.x-k8s.io/v1beta1',
    kind: 'SeccompProfile',
    metadata: { name, labels },
    spec: { defaultAction: profile.defaultAction, architectures: profile.architectures, syscalls: profile.syscalls.map((s) => ({ action: s.action, names: s.names })) },
  };
}
