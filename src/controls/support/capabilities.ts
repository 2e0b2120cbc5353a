/**
 * What an added Linux capability gives a container, and how bad that is: one table, read by
 * KOR-0126 and printed in the catalogue. Some capabilities are graded by the pod they are in
 * (SYS_PTRACE reaches the node's processes only with hostPID, NET_ADMIN the node's network only
 * with hostNetwork).
 */
import type { SeverityCase, Severity } from '../../engine/types.js';
import type { PodSpec } from '../../inventory/podspec.js';

export interface CapabilityGrade {
  severity: Severity;
  /** What it gives, for the message ("loading kernel modules"). */
  power: string;
}

interface CapabilityRule {
  /** Graded without looking at the pod. */
  base: CapabilityGrade & { reason: string };
  /** A pod setting that raises the grade, with what it then gives. */
  with?: { field: 'hostPID' | 'hostNetwork'; grade: CapabilityGrade & { reason: string } };
}

const RULES: Record<string, CapabilityRule> = {
  ALL: { base: { severity: 'critical', power: 'every capability, SYS_ADMIN and SYS_MODULE among them', reason: 'Includes every escape below.' } },
  SYS_ADMIN: { base: { severity: 'critical', power: 'mounts, namespaces and most administrative kernel interfaces', reason: 'Mounting the host cgroup (release_agent) or block devices is a known escape to root on the node.' } },
  SYS_MODULE: { base: { severity: 'critical', power: 'loading kernel modules', reason: 'A loaded module is code running in the node\'s kernel.' } },
  DAC_READ_SEARCH: { base: { severity: 'critical', power: 'bypassing file read permission checks and opening files by handle', reason: '`open_by_handle_at` reads any file of the host filesystem (the "shocker" escape).' } },
  SYS_PTRACE: {
    base: { severity: 'low', power: 'tracing and injecting into the processes it can see', reason: 'Without hostPID only the container\'s (or, with shareProcessNamespace, the pod\'s) own processes are visible.' },
    with: { field: 'hostPID', grade: { severity: 'critical', power: 'tracing and injecting into every process of the node, which hostPID makes visible', reason: 'With hostPID it injects code into host processes running as root: an escape.' } },
  },
  NET_ADMIN: {
    base: { severity: 'low', power: 'reconfiguring the pod\'s own interfaces, routes and firewall rules', reason: 'Confined to the pod\'s network namespace (service-mesh init containers use it to redirect the pod\'s traffic).' },
    with: { field: 'hostNetwork', grade: { severity: 'high', power: 'reconfiguring the node\'s interfaces, routes and firewall rules, as the pod uses the node\'s network', reason: 'With hostNetwork it rewrites the node\'s firewall and routes: intercepting or redirecting every pod\'s traffic, disabling network policy enforcement.' } },
  },
  BPF: { base: { severity: 'high', power: 'loading eBPF programs', reason: 'eBPF programs read kernel memory and other processes\' data, and the verifier is a frequent source of kernel privilege escalations.' } },
  SYS_RAWIO: { base: { severity: 'high', power: 'raw device and I/O port access', reason: 'Raw access to disks and memory devices the container can open bypasses every filesystem permission.' } },
  SYS_BOOT: { base: { severity: 'high', power: 'rebooting the node and loading new kernels', reason: 'Reboots every pod of the node, and `kexec_load` (when seccomp allows it) replaces the node\'s kernel.' } },
  MAC_ADMIN: { base: { severity: 'high', power: 'changing the mandatory access control policy', reason: 'AppArmor and SELinux policies are node-wide: changing them lifts the confinement of every container.' } },
  PERFMON: { base: { severity: 'medium', power: 'kernel performance monitoring and eBPF tracing', reason: 'Observes other processes and kernel addresses; no escape on its own.' } },
  MAC_OVERRIDE: { base: { severity: 'medium', power: 'overriding mandatory access control', reason: 'Bypasses the MAC policy for the container\'s own accesses (Smack); no escape on its own.' } },
  SYSLOG: { base: { severity: 'low', power: 'reading and clearing the kernel log', reason: 'Kernel addresses (defeats KASLR) and other containers\' kernel messages; clearing it hides traces.' } },
  SYS_TIME: { base: { severity: 'low', power: 'setting the node clock', reason: 'The clock is node-wide: certificate and token validity checks and log timestamps of every pod can be skewed; no access to other workloads\' data.' } },
  DAC_OVERRIDE: { base: { severity: 'low', power: 'bypassing file permission checks', reason: 'Already in the default capability set of containerd, CRI-O and Docker; matters only for files the container can reach (host mounts).' } },
};

/** `cap_sys_admin`, `SYS_ADMIN` → `SYS_ADMIN`. */
export function capabilityName(raw: string): string {
  return raw.toUpperCase().replace(/^CAP_/, '');
}

/** The grade of an added capability in a pod, or undefined when it is not one this table judges. */
export function capabilityGrade(raw: string, podSpec: PodSpec | undefined): CapabilityGrade | undefined {
  const rule = RULES[capabilityName(raw)];
  if (!rule) return undefined;
  if (rule.with && podSpec?.[rule.with.field] === true) return rule.with.grade;
  return rule.base;
}

/** Every judged capability (in table order). */
export const JUDGED_CAPABILITIES: readonly string[] = Object.keys(RULES);

/** Capabilities judged high or critical whatever the pod (what an admission policy can reject outright). */
export const ALWAYS_SEVERE_CAPABILITIES: readonly string[] = JUDGED_CAPABILITIES.filter((c) => ['critical', 'high'].includes(RULES[c]!.base.severity));

/** The table as the catalogue prints it. */
export const CAPABILITY_SEVERITY_TABLE: SeverityCase[] = JUDGED_CAPABILITIES.flatMap((c) => {
  const r = RULES[c]!;
  const rows: SeverityCase[] = [{ case: r.with ? `${c} (without ${r.with.field})` : c, severity: r.base.severity, reason: r.base.reason }];
  if (r.with) rows.push({ case: `${c} with ${r.with.field}`, severity: r.with.grade.severity, reason: r.with.grade.reason });
  return rows;
});
