/**
 * What a hostPath mount gives a container, by path, by file or directory, and by whether it can
 * write: one table, read by KOR-0123 and printed in the catalogue. Runtime sockets are KOR-0122's,
 * /var/log KOR-0124's, cloud credential files KOR-0151's.
 */
import type { Severity, SeverityCase } from '../../engine/types.js';
import { normalizeHostPath } from './host-paths.js';

interface HostPathEntry {
  path: string;
  /** Severity of a read-only mount; null: reading it gives nothing worth a finding. */
  ro: Severity | null;
  rw: Severity;
  /** What the path holds ("node configuration and credentials"). */
  gives: string;
  /** What writing it gives, when the write half is what makes it severe. */
  writeGives?: string;
  /** A single file (not a directory). */
  file?: boolean;
}

const ENTRIES: readonly HostPathEntry[] = [
  { path: '/etc', ro: 'high', rw: 'critical', gives: 'the node\'s configuration and credentials (/etc/shadow, SSH host keys, /etc/kubernetes kubeconfigs and keys on control-plane nodes)', writeGives: 'cron jobs, sudoers and static pod manifests run as root' },
  { path: '/etc/kubernetes', ro: 'high', rw: 'critical', gives: 'the kubelet\'s and, on control-plane nodes, the administrators\' kubeconfigs', writeGives: 'static pod manifests the kubelet runs with any privilege' },
  { path: '/etc/kubernetes/pki', ro: 'critical', rw: 'critical', gives: 'the cluster\'s CA and service-account signing keys (on control-plane nodes)' },
  { path: '/etc/kubernetes/admin.conf', ro: 'critical', rw: 'critical', gives: 'a cluster-admin kubeconfig (on control-plane nodes)', file: true },
  { path: '/etc/kubernetes/super-admin.conf', ro: 'critical', rw: 'critical', gives: 'a system:masters kubeconfig (on control-plane nodes)', file: true },
  { path: '/etc/shadow', ro: 'high', rw: 'critical', gives: 'the password hashes of the node\'s accounts', file: true },
  { path: '/etc/gshadow', ro: 'high', rw: 'critical', gives: 'the group password hashes of the node', file: true },
  { path: '/etc/sudoers', ro: 'low', rw: 'critical', gives: 'who may become root on the node', file: true },
  { path: '/etc/passwd', ro: null, rw: 'high', gives: 'the node\'s account list', writeGives: 'a new root account on the node', file: true },
  { path: '/etc/group', ro: null, rw: 'high', gives: 'the node\'s group list', writeGives: 'membership in privileged groups', file: true },
  { path: '/etc/hosts', ro: null, rw: 'high', gives: 'the node\'s host name table', writeGives: 'control over where the kubelet and the container runtime connect', file: true },
  { path: '/etc/resolv.conf', ro: null, rw: 'high', gives: 'the node\'s DNS configuration', writeGives: 'control over where the kubelet and the container runtime connect', file: true },
  { path: '/etc/localtime', ro: null, rw: 'low', gives: 'the node\'s time zone', file: true },
  { path: '/etc/timezone', ro: null, rw: 'low', gives: 'the node\'s time zone', file: true },
  { path: '/etc/machine-id', ro: null, rw: 'low', gives: 'the node\'s machine id', file: true },
  { path: '/etc/hostname', ro: null, rw: 'low', gives: 'the node\'s host name', file: true },
  { path: '/etc/os-release', ro: null, rw: 'low', gives: 'the node\'s OS release', file: true },
  { path: '/etc/ssl', ro: null, rw: 'high', gives: 'the node\'s trusted CA certificates (public)', writeGives: 'the node\'s trust in an attacker\'s certificates' },
  { path: '/etc/pki', ro: null, rw: 'high', gives: 'the node\'s trusted CA certificates (public)', writeGives: 'the node\'s trust in an attacker\'s certificates' },
  { path: '/etc/ca-certificates', ro: null, rw: 'high', gives: 'the node\'s trusted CA certificates (public)', writeGives: 'the node\'s trust in an attacker\'s certificates' },
  { path: '/etc/cni/net.d', ro: 'medium', rw: 'critical', gives: 'the CNI configuration (with the CNI plugin\'s kubeconfig for some plugins)', writeGives: 'the network setup of every new pod' },
  { path: '/root', ro: 'high', rw: 'critical', gives: 'root\'s home on the node (SSH keys, CLI credentials)', writeGives: 'SSH authorized_keys and shell start-up files of root' },
  { path: '/home', ro: 'high', rw: 'critical', gives: 'the users\' homes on the node (SSH keys, CLI credentials)', writeGives: 'SSH authorized_keys and shell start-up files' },
  { path: '/proc', ro: 'medium', rw: 'critical', gives: 'every process of the node (command lines, the environment of root processes)', writeGives: 'kernel settings such as core_pattern, which runs a program as root on the node' },
  { path: '/sys/fs/bpf', ro: 'low', rw: 'high', gives: 'the node\'s pinned eBPF maps and programs (the network datapath of eBPF CNIs)', writeGives: 'control over the node\'s network datapath and policy enforcement' },
  { path: '/run/dbus', ro: 'high', rw: 'high', gives: 'the system D-Bus socket (systemd and other root services take requests on it; a read-only mount does not stop connecting)' },
  { path: '/var/run/dbus', ro: 'high', rw: 'high', gives: 'the system D-Bus socket (systemd and other root services take requests on it; a read-only mount does not stop connecting)' },
  { path: '/run/systemd', ro: 'high', rw: 'high', gives: 'systemd\'s private sockets (starting units as root; a read-only mount does not stop connecting)' },
  { path: '/sys', ro: 'low', rw: 'critical', gives: 'kernel and device information', writeGives: 'kernel settings, cgroups and uevent helpers, which run programs as root on the node' },
  { path: '/dev', ro: 'low', rw: 'high', gives: 'the node\'s device nodes', writeGives: 'new and altered device nodes' },
  { path: '/boot', ro: 'medium', rw: 'critical', gives: 'the node\'s kernels and boot configuration', writeGives: 'the kernel the node boots next' },
  { path: '/lib/modules', ro: null, rw: 'critical', gives: 'the node\'s kernel modules (public)', writeGives: 'kernel modules the node loads' },
  { path: '/usr', ro: null, rw: 'critical', gives: 'the node\'s programs (public)', writeGives: 'programs the node runs as root' },
  { path: '/bin', ro: null, rw: 'critical', gives: 'the node\'s programs (public)', writeGives: 'programs the node runs as root' },
  { path: '/sbin', ro: null, rw: 'critical', gives: 'the node\'s programs (public)', writeGives: 'programs the node runs as root' },
  { path: '/lib', ro: null, rw: 'critical', gives: 'the node\'s libraries (public)', writeGives: 'libraries the node\'s root processes load' },
  { path: '/opt/cni/bin', ro: null, rw: 'critical', gives: 'the CNI plugin binaries (public)', writeGives: 'binaries the kubelet runs as root for every new pod' },
  { path: '/var/lib/kubelet', ro: 'high', rw: 'critical', gives: 'the kubelet\'s credentials and the service account tokens and Secret volumes of every pod on the node' },
  { path: '/var/lib/kubelet/device-plugins', ro: 'low', rw: 'medium', gives: 'the kubelet\'s device plugin sockets', writeGives: 'the registration of device plugins, which decide the devices the kubelet hands to pods' },
  { path: '/var/lib/kubelet/plugins', ro: 'low', rw: 'medium', gives: 'the sockets of CSI and DRA node plugins', writeGives: 'the impersonation of a storage or device driver to the kubelet' },
  { path: '/var/lib/kubelet/plugins_registry', ro: 'low', rw: 'medium', gives: 'the kubelet\'s plugin registration sockets', writeGives: 'the registration of a storage or device driver with the kubelet' },
  { path: '/var/lib/kubelet/pod-resources', ro: 'low', rw: 'low', gives: 'the kubelet\'s pod-resources API (which devices and CPUs each pod uses)' },
  { path: '/var/lib/docker', ro: 'high', rw: 'critical', gives: 'every container\'s filesystem on the node', writeGives: 'the files other containers run' },
  { path: '/var/lib/containerd', ro: 'high', rw: 'critical', gives: 'every container\'s filesystem on the node', writeGives: 'the files other containers run' },
  { path: '/var/lib/crio', ro: 'high', rw: 'critical', gives: 'every container\'s filesystem on the node', writeGives: 'the files other containers run' },
  { path: '/var/lib/etcd', ro: 'critical', rw: 'critical', gives: 'the etcd database with every Secret of the cluster (on control-plane nodes)' },
  { path: '/var/lib/rancher', ro: 'high', rw: 'critical', gives: 'the k3s/RKE2 state (server token, kubeconfigs, datastore on servers)' },
];

const SEVERITY_ORDER: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];
function rank(s: Severity | null): number {
  return s === null ? -1 : SEVERITY_ORDER.indexOf(s);
}
function lower(s: Severity | null): Severity | null {
  const i = rank(s);
  return i <= 1 ? null : SEVERITY_ORDER[i - 1]!;
}

/** How many paths a message about a parent directory names. */
const EXPOSED_LIST_MAX = 4;

/** hostPath types that make the mount one file (or socket, or device), not a directory. */
const FILE_TYPES = new Set(['File', 'FileOrCreate', 'Socket', 'CharDevice', 'BlockDevice']);

export interface HostPathRisk {
  severity: Severity;
  /** What the mount exposes, for the message. */
  exposed: string;
  /** The table entry that decided (the mount path itself, a directory holding it, or one below it). */
  entry: string;
}

function within(path: string, base: string): boolean {
  return base === '/' || path === base || path.startsWith(base + '/');
}

/**
 * How bad mounting `hostPath` is: by the most specific table entry holding it, or (for a parent
 * directory such as `/` or `/var`) by the worst entry below it. Undefined when it exposes nothing
 * of the table, or only what is harmless to read and the mount is read-only.
 */
export function hostPathRisk(hostPath: string, type: string | undefined, readOnly: boolean, nonRootReaders = false): HostPathRisk | undefined {
  const risk = tableRisk(hostPath, type, readOnly);
  // read-only and read by non-root users only: root-only files (keys, shadow, etcd data) stay closed
  if (!risk || !readOnly || !nonRootReaders) return risk;
  const severity = lower(risk.severity);
  return severity === null ? undefined : { ...risk, severity };
}

function tableRisk(hostPath: string, type: string | undefined, readOnly: boolean): HostPathRisk | undefined {
  const p = normalizeHostPath(hostPath);
  const holding = ENTRIES.filter((e) => within(p, e.path)).sort((a, b) => b.path.length - a.path.length)[0];
  if (holding) {
    // one file inside a sensitive directory (not itself in the table) exposes less than the directory when read
    const singleFile = holding.path !== p && !holding.file && type !== undefined && FILE_TYPES.has(type);
    const severity = readOnly ? (singleFile ? lower(holding.ro) : holding.ro) : holding.rw;
    if (severity === null) return undefined;
    const what = !readOnly && holding.writeGives ? `${holding.gives}; write access gives ${holding.writeGives}` : holding.gives;
    return { severity, exposed: holding.path === p ? what : `${singleFile ? 'one file' : 'part'} of ${holding.path}, which holds ${what}`, entry: holding.path };
  }
  // a parent directory exposes everything below it: judged by the worst
  const below = ENTRIES.filter((e) => within(e.path, p));
  let worst: HostPathEntry | undefined;
  for (const e of below) if (!worst || rank(readOnly ? e.ro : e.rw) > rank(readOnly ? worst.ro : worst.rw)) worst = e;
  if (!worst) return undefined;
  const severity = readOnly ? worst.ro : worst.rw;
  if (severity === null) return undefined;
  const sameGrade = below.filter((e) => (readOnly ? e.ro : e.rw) === severity && !below.some((o) => o !== e && within(e.path, o.path) && (readOnly ? o.ro : o.rw) === severity));
  const named = sameGrade.slice(0, EXPOSED_LIST_MAX).map((e) => e.path).join(', ');
  const more = sameGrade.length - EXPOSED_LIST_MAX;
  return { severity, exposed: more > 0 ? `${named} and ${more} more` : named, entry: worst.path };
}

/** The table as the catalogue prints it. */
export const HOST_PATH_SEVERITY_TABLE: SeverityCase[] = [
  ...ENTRIES.flatMap((e): SeverityCase[] => [
    e.ro === null
      ? { case: `${e.path} read-only`, severity: 'none', reason: `Reads ${e.gives}: harmless.` }
      : { case: `${e.path} read-only`, severity: e.ro, reason: `Reads ${e.gives}.` },
    { case: `${e.path} writable`, severity: e.rw, reason: `Writes ${e.writeGives ?? e.gives}.` },
  ]),
  { case: 'one file (hostPath type File, Socket or a device) inside a directory above, read-only', severity: 'medium', reason: 'One step below the directory\'s read-only severity (high becomes medium, medium low; low is not reported): the file, not the whole directory, is exposed.' },
  { case: 'a parent of paths above (/, /var, /var/lib, ...)', severity: 'critical', reason: 'The worst of the paths it contains, read-only or writable as mounted.' },
  { case: 'read-only, and every container mounting it runs as a non-root user without privileged mode or file-access capabilities', severity: 'high', reason: 'One step below the read-only severity above (critical becomes high, low is not reported): credentials and keys on a node are readable by root only.' },
];
