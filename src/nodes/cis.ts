/**
 * The CIS Kubernetes Benchmark v1.10.0, sections 1–4 (control plane files and components, etcd,
 * control-plane configuration, worker nodes): every item, and how kordon answers it from what it
 * can see. From the API, file permissions and flags that only exist on a node are "needs node
 * access" with the reason; items the benchmark itself marks as judgement calls without a check
 * are "manual" with what to review. `kordon node` answers the file items on the node.
 */
import type { Severity } from '../engine/types.js';
import { boolValue, featureGates, listValue } from './flags.js';
import type { CisFacts, Component, ComponentFacts, FileFact } from './facts.js';

export const CIS_BENCHMARK = 'CIS Kubernetes Benchmark v1.10.0';

export type CisStatus = 'pass' | 'fail' | 'needs-node-access' | 'manual' | 'not-applicable';
export const CIS_STATUSES: readonly CisStatus[] = ['fail', 'pass', 'needs-node-access', 'manual', 'not-applicable'];

export interface CisAnswer {
  status: CisStatus;
  reason: string;
  /** The flag or configuration field judged (`--anonymous-auth`, `authentication.anonymous.enabled`). */
  field?: string;
  /** The component whose setting was judged. */
  component?: Component;
  /** The file judged. */
  path?: string;
}

export interface CisItem {
  id: string;
  title: string;
  /** `Automated` or `Manual`, as the benchmark marks the item. */
  assessment: 'Automated' | 'Manual';
  /** How bad a failure is (kordon's grading; the benchmark has none). */
  severity: Severity;
  /** What answers it: a component's flags, the kubelet configuration, files, or review only. */
  basis: 'flags' | 'kubelet' | 'kube-proxy' | 'files' | 'review';
  check(facts: CisFacts): CisAnswer;
}

export interface CisResult extends CisAnswer {
  id: string;
  title: string;
  assessment: CisItem['assessment'];
  severity: Severity;
}

/* ------------------------------------------------------------------ helpers */

const NODE_ONLY = 'the file system of the node is not visible through the API: run `kordon node` on the node';

function absent(c: Component, facts: CisFacts): CisAnswer {
  if (facts.access === 'api') {
    const how = c === 'kubelet' ? 'no kubelet configuration could be read (nodes/proxy configz is not permitted, or no node was read)' : c === 'kube-proxy' ? 'no kube-proxy configuration (ConfigMap kube-system/kube-proxy) was read' : `no ${c} static (mirror) pod in kube-system: a managed control plane or one not run as static pods does not show its flags through the API`;
    return { status: 'needs-node-access', reason: how, component: c };
  }
  return { status: 'not-applicable', reason: `no ${c} process runs on this node`, component: c };
}

/** Judges one component's flags; `absent` when the component was not seen. */
function onFlags(c: Component, judge: (f: ComponentFacts) => CisAnswer): (facts: CisFacts) => CisAnswer {
  return (facts) => {
    const f = facts.components[c];
    if (!f) return absent(c, facts);
    return { component: c, ...judge(f) };
  };
}

const flag = (f: ComponentFacts, name: string): string | undefined => f.flags.values.get(name);
/** etcd reads every flag from an `ETCD_<NAME>` variable too (the flag wins). */
const etcdFlag = (f: ComponentFacts, name: string): string | undefined => f.flags.values.get(name) ?? f.env[`ETCD_${name.toUpperCase().replace(/-/g, '_')}`];

const pass = (reason: string, field?: string): CisAnswer => ({ status: 'pass', reason, ...(field ? { field } : {}) });
const fail = (reason: string, field?: string): CisAnswer => ({ status: 'fail', reason, ...(field ? { field } : {}) });

function flagSet(name: string, get = flag): (f: ComponentFacts) => CisAnswer {
  return (f) => (get(f, name) ? pass(`--${name} is set`, `--${name}`) : fail(`--${name} is not set`, `--${name}`));
}
function flagsSet(names: string[], get = flag): (f: ComponentFacts) => CisAnswer {
  return (f) => {
    const missing = names.filter((n) => !get(f, n));
    return missing.length === 0 ? pass(`${names.map((n) => `--${n}`).join(' and ')} are set`, `--${names[0]}`) : fail(`${missing.map((n) => `--${n}`).join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set`, `--${missing[0]}`);
  };
}
function flagNotSet(name: string): (f: ComponentFacts) => CisAnswer {
  return (f) => (flag(f, name) !== undefined ? fail(`--${name} is set`, `--${name}`) : pass(`--${name} is not set`, `--${name}`));
}
/** A boolean flag that must have `want`; `dflt` is the component's default when unset. */
function flagBool(name: string, want: boolean, dflt: boolean, get = flag): (f: ComponentFacts) => CisAnswer {
  return (f) => {
    const raw = get(f, name);
    const v = raw === undefined ? dflt : boolValue(raw);
    const shown = raw === undefined ? `--${name} is not set (default ${dflt})` : `--${name}=${raw}`;
    return v === want ? pass(shown, `--${name}`) : fail(shown, `--${name}`);
  };
}
function flagAtLeast(name: string, min: number): (f: ComponentFacts) => CisAnswer {
  return (f) => {
    const raw = flag(f, name);
    if (raw === undefined) return fail(`--${name} is not set`, `--${name}`);
    const n = Number(raw);
    return Number.isFinite(n) && n >= min ? pass(`--${name}=${raw}`, `--${name}`) : fail(`--${name}=${raw} (below ${min})`, `--${name}`);
  };
}
function admissionEnabled(plugin: string, onByDefault: boolean): (f: ComponentFacts) => CisAnswer {
  return (f) => {
    const enabled = listValue(flag(f, 'enable-admission-plugins'));
    const disabled = listValue(flag(f, 'disable-admission-plugins'));
    if (disabled.includes(plugin)) return fail(`${plugin} is in --disable-admission-plugins`, '--disable-admission-plugins');
    if (enabled.includes(plugin)) return pass(`${plugin} is in --enable-admission-plugins`, '--enable-admission-plugins');
    return onByDefault ? pass(`${plugin} is enabled by default and not disabled`, '--enable-admission-plugins') : fail(`${plugin} is not in --enable-admission-plugins`, '--enable-admission-plugins');
  };
}
function authzMode(f: ComponentFacts): string[] {
  const v = flag(f, 'authorization-mode');
  // since 1.29 --authorization-config may replace the flag; its file is on the node
  return v === undefined ? [] : listValue(v);
}

/* file items (node access) */

function fileItem(paths: (facts: CisFacts) => string[], judge: (st: FileFact) => string | undefined, what: string, opts: { optional?: boolean; missing?: string } = {}): (facts: CisFacts) => CisAnswer {
  return (facts) => {
    if (facts.access === 'api' || !facts.files) return { status: 'needs-node-access', reason: NODE_ONLY };
    const list = paths(facts);
    const seen: FileFact[] = [];
    for (const p of list) {
      const st = facts.files.stat(p);
      if (st) seen.push(st);
    }
    if (seen.length === 0) return { status: 'not-applicable', reason: opts.missing ?? `${list.length ? list.join(', ') : 'the file'} does not exist on this node` };
    const bad = seen.map((st) => ({ st, why: judge(st) })).filter((x) => x.why !== undefined);
    if (bad.length === 0) return { status: 'pass', reason: `${seen.length === 1 ? seen[0]!.path : `${seen.length} files`}: ${what}`, path: seen[0]!.path };
    const first = bad[0]!;
    return { status: 'fail', reason: `${first.st.path}: ${first.why}${bad.length > 1 ? ` (and ${bad.length - 1} more)` : ''}`, path: first.st.path };
  };
}
const octal = (m: number): string => m.toString(8).padStart(3, '0');
/** "600 or more restrictive": no bit outside the allowed mask. */
const permAtMost = (max: number) => (st: FileFact): string | undefined => ((st.mode & ~max & 0o777) !== 0 ? `permissions ${octal(st.mode)}, more than ${octal(max)}` : undefined);
const ownedBy = (want: string) => (st: FileFact): string | undefined => (`${st.user}:${st.group}` !== want ? `owned by ${st.user}:${st.group}, not ${want}` : undefined);

const MANIFESTS = '/etc/kubernetes/manifests';
const manifest = (name: string) => (): string[] => [`${MANIFESTS}/${name}.yaml`];
/** The file a flag of a component names, or the kubeadm default. */
function flagPath(c: Component, name: string, dflt: string | undefined) {
  return (facts: CisFacts): string[] => {
    const v = facts.components[c]?.flags.values.get(name);
    return v ? [v] : dflt ? [dflt] : [];
  };
}
function etcdDataDir(facts: CisFacts): string[] {
  const f = facts.components.etcd;
  const v = f ? etcdFlag(f, 'data-dir') : undefined;
  return [v ?? '/var/lib/etcd'];
}
function underDir(dir: string, filter: (p: string) => boolean, includeDir = false) {
  return (facts: CisFacts): string[] => {
    const files = facts.files?.list(dir).filter(filter) ?? [];
    return includeDir && facts.files?.stat(dir) ? [dir, ...files] : files;
  };
}
function cniFiles(facts: CisFacts): string[] {
  const k = facts.components.kubelet;
  const dir = k?.flags.values.get('cni-conf-dir') ?? '/etc/cni/net.d';
  return [...(facts.files?.list(dir) ?? []), ...(facts.files?.list('/var/lib/cni/networks') ?? [])];
}
function kubeletConfigPath(facts: CisFacts): string[] {
  const v = facts.components.kubelet?.flags.values.get('config');
  return [v ?? '/var/lib/kubelet/config.yaml'];
}
function kubeletServiceFiles(facts: CisFacts): string[] {
  const candidates = ['/etc/systemd/system/kubelet.service.d/10-kubeadm.conf', '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf', '/lib/systemd/system/kubelet.service', '/etc/systemd/system/kubelet.service', '/usr/lib/systemd/system/kubelet.service'];
  return candidates.filter((p) => facts.files?.stat(p));
}
function kubeletClientCa(facts: CisFacts): string[] {
  const flagV = facts.components.kubelet?.flags.values.get('client-ca-file');
  const cfgV = getPath(facts.kubeletConfig?.config, 'authentication.x509.clientCAFile');
  const v = flagV ?? (typeof cfgV === 'string' ? cfgV : undefined);
  return [v ?? '/etc/kubernetes/pki/ca.crt'];
}
function proxyKubeconfig(facts: CisFacts): string[] {
  const v = facts.components['kube-proxy']?.flags.values.get('kubeconfig');
  return v ? [v] : [];
}

/* kubelet: flags override the config file; configz shows the effective value */

export function getPath(obj: unknown, dotted: string): unknown {
  let cur: unknown = obj;
  for (const k of dotted.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

interface KubeletSetting {
  value: unknown;
  /** `--anonymous-auth=true`, `authentication.anonymous.enabled: true (configz of node n1)`, `default`. */
  shown: string;
  field: string;
}

/**
 * The kubelet's value of a setting: the command-line flag, else the configuration (file or
 * configz), else the default of the configuration file (v1beta1) or of the flag when no file is used.
 */
function kubeletSetting(facts: CisFacts, flagName: string | undefined, path: string, defaults: { config: unknown; flag: unknown }): KubeletSetting | undefined {
  const k = facts.components.kubelet;
  const raw = flagName ? k?.flags.values.get(flagName) : undefined;
  if (raw !== undefined) return { value: raw, shown: `--${flagName}=${raw}`, field: `--${flagName}` };
  const cfg = facts.kubeletConfig;
  if (cfg) {
    const v = getPath(cfg.config, path);
    if (v !== undefined) return { value: v, shown: `${path}: ${JSON.stringify(v)} (${cfg.where})`, field: path };
    return { value: defaults.config, shown: `${path} is not set (${cfg.where}; default ${JSON.stringify(defaults.config)})`, field: path };
  }
  if (k) return { value: defaults.flag, shown: `--${flagName ?? path} is not set and the kubelet uses no config file (default ${JSON.stringify(defaults.flag)})`, field: flagName ? `--${flagName}` : path };
  return undefined;
}
function onKubelet(flagName: string | undefined, path: string, defaults: { config: unknown; flag: unknown }, ok: (v: unknown) => boolean): (facts: CisFacts) => CisAnswer {
  return (facts) => {
    const s = kubeletSetting(facts, flagName, path, defaults);
    if (!s) return absent('kubelet', facts);
    return { status: ok(s.value) ? 'pass' : 'fail', reason: s.shown, field: s.field, component: 'kubelet' };
  };
}
const asBool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : typeof v === 'string' ? boolValue(v) : undefined);
const asNumber = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);
/** Go durations as the kubelet writes them (`4h0m0s`, `0s`, `5m`): zero or not. */
const isZeroDuration = (v: unknown): boolean => (typeof v === 'number' ? v === 0 : typeof v === 'string' ? /^(?:0+(?:\.0+)?(?:ns|us|µs|ms|s|m|h))+$|^0+$/.test(v.trim()) : false);

const manual = (reason: string) => (): CisAnswer => ({ status: 'manual', reason });

/** TLS cipher suites the benchmark accepts for the API server (1.2.29). */
const APISERVER_CIPHERS = new Set(['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256']);
/** TLS cipher suites the benchmark accepts for the kubelet (4.2.12). */
const KUBELET_CIPHERS = new Set(['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'TLS_RSA_WITH_AES_256_GCM_SHA384', 'TLS_RSA_WITH_AES_128_GCM_SHA256']);

function cipherCheck(list: string[], allowed: ReadonlySet<string>, field: string): CisAnswer {
  if (list.length === 0) return fail(`${field} is not set: Go's default suites are used, which include ones the benchmark does not accept`, field);
  const weak = list.filter((c) => !allowed.has(c));
  return weak.length ? fail(`${field} includes ${weak.join(', ')}`, field) : pass(`${field} has only strong suites`, field);
}

/* ------------------------------------------------------------------ the table */

type Def = Omit<CisItem, 'check'> & { check: (facts: CisFacts) => CisAnswer };
const A = 'Automated' as const;
const M = 'Manual' as const;

const perm600 = permAtMost(0o600);
const rootOwned = ownedBy('root:root');

export const CIS_ITEMS: readonly CisItem[] = ([
  // 1.1 Control Plane Node Configuration Files
  { id: '1.1.1', title: 'Ensure that the API server pod specification file permissions are set to 600 or more restrictive', assessment: A, severity: 'medium', basis: 'files', check: fileItem(manifest('kube-apiserver'), perm600, 'permissions 600 or less') },
  { id: '1.1.2', title: 'Ensure that the API server pod specification file ownership is set to root:root', assessment: A, severity: 'medium', basis: 'files', check: fileItem(manifest('kube-apiserver'), rootOwned, 'owned by root:root') },
  { id: '1.1.3', title: 'Ensure that the controller manager pod specification file permissions are set to 600 or more restrictive', assessment: A, severity: 'medium', basis: 'files', check: fileItem(manifest('kube-controller-manager'), perm600, 'permissions 600 or less') },
  { id: '1.1.4', title: 'Ensure that the controller manager pod specification file ownership is set to root:root', assessment: A, severity: 'medium', basis: 'files', check: fileItem(manifest('kube-controller-manager'), rootOwned, 'owned by root:root') },
  { id: '1.1.5', title: 'Ensure that the scheduler pod specification file permissions are set to 600 or more restrictive', assessment: A, severity: 'medium', basis: 'files', check: fileItem(manifest('kube-scheduler'), perm600, 'permissions 600 or less') },
  { id: '1.1.6', title: 'Ensure that the scheduler pod specification file ownership is set to root:root', assessment: A, severity: 'medium', basis: 'files', check: fileItem(manifest('kube-scheduler'), rootOwned, 'owned by root:root') },
  { id: '1.1.7', title: 'Ensure that the etcd pod specification file permissions are set to 600 or more restrictive', assessment: A, severity: 'medium', basis: 'files', check: fileItem(manifest('etcd'), perm600, 'permissions 600 or less') },
  { id: '1.1.8', title: 'Ensure that the etcd pod specification file ownership is set to root:root', assessment: A, severity: 'medium', basis: 'files', check: fileItem(manifest('etcd'), rootOwned, 'owned by root:root') },
  { id: '1.1.9', title: 'Ensure that the Container Network Interface file permissions are set to 600 or more restrictive', assessment: M, severity: 'low', basis: 'files', check: fileItem(cniFiles, perm600, 'permissions 600 or less', { missing: 'no CNI configuration files on this node' }) },
  { id: '1.1.10', title: 'Ensure that the Container Network Interface file ownership is set to root:root', assessment: M, severity: 'low', basis: 'files', check: fileItem(cniFiles, rootOwned, 'owned by root:root', { missing: 'no CNI configuration files on this node' }) },
  { id: '1.1.11', title: 'Ensure that the etcd data directory permissions are set to 700 or more restrictive', assessment: A, severity: 'high', basis: 'files', check: fileItem(etcdDataDir, permAtMost(0o700), 'permissions 700 or less') },
  { id: '1.1.12', title: 'Ensure that the etcd data directory ownership is set to etcd:etcd', assessment: A, severity: 'medium', basis: 'files', check: fileItem(etcdDataDir, ownedBy('etcd:etcd'), 'owned by etcd:etcd') },
  { id: '1.1.13', title: 'Ensure that the default administrative credential file permissions are set to 600', assessment: A, severity: 'high', basis: 'files', check: fileItem(() => ['/etc/kubernetes/admin.conf', '/etc/kubernetes/super-admin.conf'], perm600, 'permissions 600 or less') },
  { id: '1.1.14', title: 'Ensure that the default administrative credential file ownership is set to root:root', assessment: A, severity: 'high', basis: 'files', check: fileItem(() => ['/etc/kubernetes/admin.conf', '/etc/kubernetes/super-admin.conf'], rootOwned, 'owned by root:root') },
  { id: '1.1.15', title: 'Ensure that the scheduler.conf file permissions are set to 600 or more restrictive', assessment: A, severity: 'medium', basis: 'files', check: fileItem(flagPath('kube-scheduler', 'kubeconfig', '/etc/kubernetes/scheduler.conf'), perm600, 'permissions 600 or less') },
  { id: '1.1.16', title: 'Ensure that the scheduler.conf file ownership is set to root:root', assessment: A, severity: 'medium', basis: 'files', check: fileItem(flagPath('kube-scheduler', 'kubeconfig', '/etc/kubernetes/scheduler.conf'), rootOwned, 'owned by root:root') },
  { id: '1.1.17', title: 'Ensure that the controller-manager.conf file permissions are set to 600 or more restrictive', assessment: A, severity: 'medium', basis: 'files', check: fileItem(flagPath('kube-controller-manager', 'kubeconfig', '/etc/kubernetes/controller-manager.conf'), perm600, 'permissions 600 or less') },
  { id: '1.1.18', title: 'Ensure that the controller-manager.conf file ownership is set to root:root', assessment: A, severity: 'medium', basis: 'files', check: fileItem(flagPath('kube-controller-manager', 'kubeconfig', '/etc/kubernetes/controller-manager.conf'), rootOwned, 'owned by root:root') },
  { id: '1.1.19', title: 'Ensure that the Kubernetes PKI directory and file ownership is set to root:root', assessment: A, severity: 'high', basis: 'files', check: fileItem(underDir('/etc/kubernetes/pki', () => true, true), rootOwned, 'owned by root:root', { missing: '/etc/kubernetes/pki does not exist on this node' }) },
  { id: '1.1.20', title: 'Ensure that the Kubernetes PKI certificate file permissions are set to 600 or more restrictive', assessment: M, severity: 'low', basis: 'files', check: fileItem(underDir('/etc/kubernetes/pki', (p) => p.endsWith('.crt')), perm600, 'permissions 600 or less', { missing: 'no certificate files under /etc/kubernetes/pki' }) },
  { id: '1.1.21', title: 'Ensure that the Kubernetes PKI key file permissions are set to 600', assessment: M, severity: 'high', basis: 'files', check: fileItem(underDir('/etc/kubernetes/pki', (p) => p.endsWith('.key')), perm600, 'permissions 600 or less', { missing: 'no key files under /etc/kubernetes/pki' }) },

  // 1.2 API Server
  { id: '1.2.1', title: 'Ensure that the --anonymous-auth argument is set to false', assessment: M, severity: 'medium', basis: 'flags', check: onFlags('kube-apiserver', flagBool('anonymous-auth', false, true)) },
  { id: '1.2.2', title: 'Ensure that the --token-auth-file parameter is not set', assessment: A, severity: 'high', basis: 'flags', check: onFlags('kube-apiserver', flagNotSet('token-auth-file')) },
  { id: '1.2.3', title: 'Ensure that the DenyServiceExternalIPs admission plugin is set', assessment: M, severity: 'low', basis: 'flags', check: onFlags('kube-apiserver', admissionEnabled('DenyServiceExternalIPs', false)) },
  { id: '1.2.4', title: 'Ensure that the --kubelet-client-certificate and --kubelet-client-key arguments are set as appropriate', assessment: A, severity: 'high', basis: 'flags', check: onFlags('kube-apiserver', flagsSet(['kubelet-client-certificate', 'kubelet-client-key'])) },
  { id: '1.2.5', title: 'Ensure that the --kubelet-certificate-authority argument is set as appropriate', assessment: A, severity: 'medium', basis: 'flags', check: onFlags('kube-apiserver', flagSet('kubelet-certificate-authority')) },
  { id: '1.2.6', title: 'Ensure that the --authorization-mode argument is not set to AlwaysAllow', assessment: A, severity: 'critical', basis: 'flags', check: onFlags('kube-apiserver', (f) => {
    const modes = authzMode(f);
    if (modes.length === 0 && flag(f, 'authorization-config')) return pass('authorization is configured by --authorization-config (no --authorization-mode)', '--authorization-config');
    // the flag's default is AlwaysAllow
    if (modes.length === 0) return fail('--authorization-mode is not set (default AlwaysAllow)', '--authorization-mode');
    return modes.includes('AlwaysAllow') ? fail(`--authorization-mode=${modes.join(',')}`, '--authorization-mode') : pass(`--authorization-mode=${modes.join(',')}`, '--authorization-mode');
  }) },
  { id: '1.2.7', title: 'Ensure that the --authorization-mode argument includes Node', assessment: A, severity: 'high', basis: 'flags', check: onFlags('kube-apiserver', (f) => {
    if (authzMode(f).length === 0 && flag(f, 'authorization-config')) return { status: 'needs-node-access', reason: 'authorization is configured by --authorization-config, a file on the node', field: '--authorization-config' };
    return authzMode(f).includes('Node') ? pass(`--authorization-mode=${authzMode(f).join(',')}`, '--authorization-mode') : fail(`--authorization-mode=${authzMode(f).join(',') || '(default AlwaysAllow)'} does not include Node`, '--authorization-mode');
  }) },
  { id: '1.2.8', title: 'Ensure that the --authorization-mode argument includes RBAC', assessment: A, severity: 'high', basis: 'flags', check: onFlags('kube-apiserver', (f) => {
    if (authzMode(f).length === 0 && flag(f, 'authorization-config')) return { status: 'needs-node-access', reason: 'authorization is configured by --authorization-config, a file on the node', field: '--authorization-config' };
    return authzMode(f).includes('RBAC') ? pass(`--authorization-mode=${authzMode(f).join(',')}`, '--authorization-mode') : fail(`--authorization-mode=${authzMode(f).join(',') || '(default AlwaysAllow)'} does not include RBAC`, '--authorization-mode');
  }) },
  { id: '1.2.9', title: 'Ensure that the admission control plugin EventRateLimit is set', assessment: M, severity: 'low', basis: 'flags', check: onFlags('kube-apiserver', admissionEnabled('EventRateLimit', false)) },
  { id: '1.2.10', title: 'Ensure that the admission control plugin AlwaysAdmit is not set', assessment: A, severity: 'high', basis: 'flags', check: onFlags('kube-apiserver', (f) => (listValue(flag(f, 'enable-admission-plugins')).includes('AlwaysAdmit') ? fail('AlwaysAdmit is in --enable-admission-plugins', '--enable-admission-plugins') : pass('AlwaysAdmit is not enabled', '--enable-admission-plugins'))) },
  { id: '1.2.11', title: 'Ensure that the admission control plugin AlwaysPullImages is set', assessment: M, severity: 'low', basis: 'flags', check: onFlags('kube-apiserver', admissionEnabled('AlwaysPullImages', false)) },
  { id: '1.2.12', title: 'Ensure that the admission control plugin ServiceAccount is set', assessment: A, severity: 'medium', basis: 'flags', check: onFlags('kube-apiserver', admissionEnabled('ServiceAccount', true)) },
  { id: '1.2.13', title: 'Ensure that the admission control plugin NamespaceLifecycle is set', assessment: A, severity: 'medium', basis: 'flags', check: onFlags('kube-apiserver', admissionEnabled('NamespaceLifecycle', true)) },
  { id: '1.2.14', title: 'Ensure that the admission control plugin NodeRestriction is set', assessment: A, severity: 'high', basis: 'flags', check: onFlags('kube-apiserver', admissionEnabled('NodeRestriction', false)) },
  { id: '1.2.15', title: 'Ensure that the --profiling argument is set to false', assessment: A, severity: 'low', basis: 'flags', check: onFlags('kube-apiserver', flagBool('profiling', false, true)) },
  { id: '1.2.16', title: 'Ensure that the --audit-log-path argument is set', assessment: A, severity: 'medium', basis: 'flags', check: onFlags('kube-apiserver', flagSet('audit-log-path')) },
  { id: '1.2.17', title: 'Ensure that the --audit-log-maxage argument is set to 30 or as appropriate', assessment: A, severity: 'low', basis: 'flags', check: onFlags('kube-apiserver', flagAtLeast('audit-log-maxage', 30)) },
  { id: '1.2.18', title: 'Ensure that the --audit-log-maxbackup argument is set to 10 or as appropriate', assessment: A, severity: 'low', basis: 'flags', check: onFlags('kube-apiserver', flagAtLeast('audit-log-maxbackup', 10)) },
  { id: '1.2.19', title: 'Ensure that the --audit-log-maxsize argument is set to 100 or as appropriate', assessment: A, severity: 'low', basis: 'flags', check: onFlags('kube-apiserver', flagAtLeast('audit-log-maxsize', 100)) },
  { id: '1.2.20', title: 'Ensure that the --request-timeout argument is set as appropriate', assessment: M, severity: 'info', basis: 'review', check: onFlags('kube-apiserver', (f) => ({ status: 'manual', reason: `a judgement on the cluster's load: --request-timeout is ${flag(f, 'request-timeout') ?? 'not set (default 1m0s)'}`, field: '--request-timeout' })) },
  { id: '1.2.21', title: 'Ensure that the --service-account-lookup argument is set to true', assessment: A, severity: 'medium', basis: 'flags', check: onFlags('kube-apiserver', flagBool('service-account-lookup', true, true)) },
  { id: '1.2.22', title: 'Ensure that the --service-account-key-file argument is set as appropriate', assessment: A, severity: 'medium', basis: 'flags', check: onFlags('kube-apiserver', flagSet('service-account-key-file')) },
  { id: '1.2.23', title: 'Ensure that the --etcd-certfile and --etcd-keyfile arguments are set as appropriate', assessment: A, severity: 'high', basis: 'flags', check: onFlags('kube-apiserver', flagsSet(['etcd-certfile', 'etcd-keyfile'])) },
  { id: '1.2.24', title: 'Ensure that the --tls-cert-file and --tls-private-key-file arguments are set as appropriate', assessment: A, severity: 'medium', basis: 'flags', check: onFlags('kube-apiserver', flagsSet(['tls-cert-file', 'tls-private-key-file'])) },
  { id: '1.2.25', title: 'Ensure that the --client-ca-file argument is set as appropriate', assessment: A, severity: 'medium', basis: 'flags', check: onFlags('kube-apiserver', flagSet('client-ca-file')) },
  { id: '1.2.26', title: 'Ensure that the --etcd-cafile argument is set as appropriate', assessment: A, severity: 'medium', basis: 'flags', check: onFlags('kube-apiserver', flagSet('etcd-cafile')) },
  { id: '1.2.27', title: 'Ensure that the --encryption-provider-config argument is set as appropriate', assessment: M, severity: 'high', basis: 'flags', check: onFlags('kube-apiserver', flagSet('encryption-provider-config')) },
  { id: '1.2.28', title: 'Ensure that encryption providers are appropriately configured', assessment: M, severity: 'high', basis: 'files', check: (facts) => {
    const f = facts.components['kube-apiserver'];
    if (!f) return absent('kube-apiserver', facts);
    const file = flag(f, 'encryption-provider-config');
    if (!file) return { status: 'fail', reason: '--encryption-provider-config is not set: Secrets are stored in etcd unencrypted', field: '--encryption-provider-config', component: 'kube-apiserver' };
    if (facts.access === 'api' || !facts.files) return { status: 'needs-node-access', reason: `the encryption configuration ${file} is a file on the control-plane node`, field: '--encryption-provider-config', component: 'kube-apiserver' };
    const text = facts.files.read(file);
    if (text === undefined) return { status: 'fail', reason: `${file} (--encryption-provider-config) cannot be read on this node`, path: file, component: 'kube-apiserver' };
    const first = firstProvider(text);
    if (!first) return { status: 'fail', reason: `${file}: no provider found`, path: file, component: 'kube-apiserver' };
    return ['aescbc', 'kms', 'secretbox', 'aesgcm'].includes(first) ? { status: 'pass', reason: `${file}: the first (writing) provider is ${first}`, path: file, component: 'kube-apiserver' } : { status: 'fail', reason: `${file}: the first (writing) provider is ${first}, so new Secrets are ${first === 'identity' ? 'not encrypted' : 'not encrypted with an accepted provider'}`, path: file, component: 'kube-apiserver' };
  } },
  { id: '1.2.29', title: 'Ensure that the API Server only makes use of Strong Cryptographic Ciphers', assessment: M, severity: 'low', basis: 'flags', check: onFlags('kube-apiserver', (f) => cipherCheck(listValue(flag(f, 'tls-cipher-suites')), APISERVER_CIPHERS, '--tls-cipher-suites')) },

  // 1.3 Controller Manager
  { id: '1.3.1', title: 'Ensure that the --terminated-pod-gc-threshold argument is set as appropriate', assessment: M, severity: 'info', basis: 'flags', check: onFlags('kube-controller-manager', flagSet('terminated-pod-gc-threshold')) },
  { id: '1.3.2', title: 'Ensure that the --profiling argument is set to false', assessment: A, severity: 'low', basis: 'flags', check: onFlags('kube-controller-manager', flagBool('profiling', false, true)) },
  { id: '1.3.3', title: 'Ensure that the --use-service-account-credentials argument is set to true', assessment: A, severity: 'medium', basis: 'flags', check: onFlags('kube-controller-manager', flagBool('use-service-account-credentials', true, false)) },
  { id: '1.3.4', title: 'Ensure that the --service-account-private-key-file argument is set as appropriate', assessment: A, severity: 'medium', basis: 'flags', check: onFlags('kube-controller-manager', flagSet('service-account-private-key-file')) },
  { id: '1.3.5', title: 'Ensure that the --root-ca-file argument is set as appropriate', assessment: A, severity: 'medium', basis: 'flags', check: onFlags('kube-controller-manager', flagSet('root-ca-file')) },
  { id: '1.3.6', title: 'Ensure that the RotateKubeletServerCertificate argument is set to true', assessment: A, severity: 'medium', basis: 'flags', check: onFlags('kube-controller-manager', (f) => (featureGates(flag(f, 'feature-gates'))['RotateKubeletServerCertificate'] === false ? fail('--feature-gates has RotateKubeletServerCertificate=false', '--feature-gates') : pass('RotateKubeletServerCertificate is not turned off (on by default)', '--feature-gates'))) },
  { id: '1.3.7', title: 'Ensure that the --bind-address argument is set to 127.0.0.1', assessment: A, severity: 'medium', basis: 'flags', check: onFlags('kube-controller-manager', bindLocal) },

  // 1.4 Scheduler
  { id: '1.4.1', title: 'Ensure that the --profiling argument is set to false', assessment: A, severity: 'low', basis: 'flags', check: onFlags('kube-scheduler', flagBool('profiling', false, true)) },
  { id: '1.4.2', title: 'Ensure that the --bind-address argument is set to 127.0.0.1', assessment: A, severity: 'medium', basis: 'flags', check: onFlags('kube-scheduler', bindLocal) },

  // 2 etcd
  { id: '2.1', title: 'Ensure that the --cert-file and --key-file arguments are set as appropriate', assessment: A, severity: 'critical', basis: 'flags', check: onFlags('etcd', flagsSet(['cert-file', 'key-file'], etcdFlag)) },
  { id: '2.2', title: 'Ensure that the --client-cert-auth argument is set to true', assessment: A, severity: 'critical', basis: 'flags', check: onFlags('etcd', flagBool('client-cert-auth', true, false, etcdFlag)) },
  { id: '2.3', title: 'Ensure that the --auto-tls argument is not set to true', assessment: A, severity: 'high', basis: 'flags', check: onFlags('etcd', flagBool('auto-tls', false, false, etcdFlag)) },
  { id: '2.4', title: 'Ensure that the --peer-cert-file and --peer-key-file arguments are set as appropriate', assessment: A, severity: 'high', basis: 'flags', check: onFlags('etcd', (f) => (singleMember(f) ? { status: 'not-applicable', reason: 'a single-member etcd has no peers (--initial-cluster names one member)', field: '--initial-cluster' } : flagsSet(['peer-cert-file', 'peer-key-file'], etcdFlag)(f))) },
  { id: '2.5', title: 'Ensure that the --peer-client-cert-auth argument is set to true', assessment: A, severity: 'high', basis: 'flags', check: onFlags('etcd', (f) => (singleMember(f) ? { status: 'not-applicable', reason: 'a single-member etcd has no peers (--initial-cluster names one member)', field: '--initial-cluster' } : flagBool('peer-client-cert-auth', true, false, etcdFlag)(f))) },
  { id: '2.6', title: 'Ensure that the --peer-auto-tls argument is not set to true', assessment: A, severity: 'high', basis: 'flags', check: onFlags('etcd', flagBool('peer-auto-tls', false, false, etcdFlag)) },
  { id: '2.7', title: 'Ensure that a unique Certificate Authority is used for etcd', assessment: M, severity: 'medium', basis: 'flags', check: (facts) => {
    const e = facts.components.etcd;
    if (!e) return absent('etcd', facts);
    const etcdCa = etcdFlag(e, 'trusted-ca-file');
    if (!etcdCa) return { status: 'fail', reason: 'etcd has no --trusted-ca-file: it does not verify clients against any CA', field: '--trusted-ca-file', component: 'etcd' };
    const apiCa = facts.components['kube-apiserver']?.flags.values.get('client-ca-file');
    if (apiCa && apiCa === etcdCa) return { status: 'fail', reason: `etcd trusts ${etcdCa}, the CA of the API server's clients (--client-ca-file): every Kubernetes client certificate is also an etcd client`, field: '--trusted-ca-file', component: 'etcd' };
    return { status: 'manual', reason: `etcd trusts ${etcdCa}${apiCa ? `, a file other than the API server's client CA ${apiCa}` : ''}; whether it is a CA of its own needs the certificates compared`, field: '--trusted-ca-file', component: 'etcd' };
  } },

  // 3 Control Plane Configuration
  { id: '3.1.1', title: 'Client certificate authentication should not be used for users', assessment: M, severity: 'medium', basis: 'review', check: manual('who holds client certificates is not recorded in the cluster (certificates cannot be revoked): review the CertificateSigningRequests issued to users and the kubeconfigs handed out') },
  { id: '3.1.2', title: 'Service account token authentication should not be used for users', assessment: M, severity: 'medium', basis: 'review', check: manual('whether a person uses a service account token is not visible in the configuration: review the audit log for service-account users acting from outside the cluster') },
  { id: '3.1.3', title: 'Bootstrap token authentication should not be used for users', assessment: M, severity: 'medium', basis: 'review', check: manual('review the bootstrap token Secrets in kube-system (type bootstrap.kubernetes.io/token) and their expiry; they are for node joining only') },
  { id: '3.2.1', title: 'Ensure that a minimal audit policy is created', assessment: M, severity: 'medium', basis: 'flags', check: onFlags('kube-apiserver', flagSet('audit-policy-file')) },
  { id: '3.2.2', title: 'Ensure that the audit policy covers key security concerns', assessment: M, severity: 'low', basis: 'review', check: (facts) => {
    const f = facts.components['kube-apiserver'];
    const file = f?.flags.values.get('audit-policy-file');
    return { status: 'manual', reason: file ? `review the rules of ${file}: Secrets, ConfigMaps and TokenReviews at Metadata only, changes of pods and deployments, pods/exec, pods/portforward, pods/proxy and services/proxy` : 'no audit policy file is known; once there is one, review that it covers Secrets (at Metadata), workload changes and pods/exec, portforward, proxy', ...(file ? { field: '--audit-policy-file', component: 'kube-apiserver' as const } : {}) };
  } },

  // 4.1 Worker Node Configuration Files
  { id: '4.1.1', title: 'Ensure that the kubelet service file permissions are set to 600 or more restrictive', assessment: A, severity: 'medium', basis: 'files', check: fileItem(kubeletServiceFiles, perm600, 'permissions 600 or less', { missing: 'no kubelet systemd unit or drop-in found on this node' }) },
  { id: '4.1.2', title: 'Ensure that the kubelet service file ownership is set to root:root', assessment: A, severity: 'medium', basis: 'files', check: fileItem(kubeletServiceFiles, rootOwned, 'owned by root:root', { missing: 'no kubelet systemd unit or drop-in found on this node' }) },
  { id: '4.1.3', title: 'If proxy kubeconfig file exists ensure permissions are set to 600 or more restrictive', assessment: M, severity: 'medium', basis: 'files', check: fileItem(proxyKubeconfig, perm600, 'permissions 600 or less', { missing: 'kube-proxy runs without a --kubeconfig file on this node' }) },
  { id: '4.1.4', title: 'If proxy kubeconfig file exists ensure ownership is set to root:root', assessment: M, severity: 'medium', basis: 'files', check: fileItem(proxyKubeconfig, rootOwned, 'owned by root:root', { missing: 'kube-proxy runs without a --kubeconfig file on this node' }) },
  { id: '4.1.5', title: 'Ensure that the --kubeconfig kubelet.conf file permissions are set to 600 or more restrictive', assessment: A, severity: 'high', basis: 'files', check: fileItem(flagPath('kubelet', 'kubeconfig', '/etc/kubernetes/kubelet.conf'), perm600, 'permissions 600 or less') },
  { id: '4.1.6', title: 'Ensure that the --kubeconfig kubelet.conf file ownership is set to root:root', assessment: A, severity: 'high', basis: 'files', check: fileItem(flagPath('kubelet', 'kubeconfig', '/etc/kubernetes/kubelet.conf'), rootOwned, 'owned by root:root') },
  { id: '4.1.7', title: 'Ensure that the certificate authorities file permissions are set to 600 or more restrictive', assessment: M, severity: 'low', basis: 'files', check: fileItem(kubeletClientCa, perm600, 'permissions 600 or less') },
  { id: '4.1.8', title: 'Ensure that the client certificate authorities file ownership is set to root:root', assessment: M, severity: 'medium', basis: 'files', check: fileItem(kubeletClientCa, rootOwned, 'owned by root:root') },
  { id: '4.1.9', title: 'If the kubelet config.yaml configuration file is being used validate permissions set to 600 or more restrictive', assessment: A, severity: 'medium', basis: 'files', check: fileItem(kubeletConfigPath, perm600, 'permissions 600 or less', { missing: 'the kubelet uses no config file on this node' }) },
  { id: '4.1.10', title: 'If the kubelet config.yaml configuration file is being used validate file ownership is set to root:root', assessment: A, severity: 'medium', basis: 'files', check: fileItem(kubeletConfigPath, rootOwned, 'owned by root:root', { missing: 'the kubelet uses no config file on this node' }) },

  // 4.2 Kubelet
  { id: '4.2.1', title: 'Ensure that the --anonymous-auth argument is set to false', assessment: A, severity: 'critical', basis: 'kubelet', check: onKubelet('anonymous-auth', 'authentication.anonymous.enabled', { config: false, flag: true }, (v) => asBool(v) === false) },
  { id: '4.2.2', title: 'Ensure that the --authorization-mode argument is not set to AlwaysAllow', assessment: A, severity: 'critical', basis: 'kubelet', check: onKubelet('authorization-mode', 'authorization.mode', { config: 'Webhook', flag: 'AlwaysAllow' }, (v) => v !== 'AlwaysAllow') },
  { id: '4.2.3', title: 'Ensure that the --client-ca-file argument is set as appropriate', assessment: A, severity: 'high', basis: 'kubelet', check: onKubelet('client-ca-file', 'authentication.x509.clientCAFile', { config: '', flag: '' }, (v) => typeof v === 'string' && v !== '') },
  { id: '4.2.4', title: 'Verify that the --read-only-port argument is set to 0', assessment: M, severity: 'high', basis: 'kubelet', check: onKubelet('read-only-port', 'readOnlyPort', { config: 0, flag: 10255 }, (v) => asNumber(v) === 0) },
  { id: '4.2.5', title: 'Ensure that the --streaming-connection-idle-timeout argument is not set to 0', assessment: M, severity: 'low', basis: 'kubelet', check: onKubelet('streaming-connection-idle-timeout', 'streamingConnectionIdleTimeout', { config: '4h0m0s', flag: '4h0m0s' }, (v) => !isZeroDuration(v)) },
  { id: '4.2.6', title: 'Ensure that the --make-iptables-util-chains argument is set to true', assessment: A, severity: 'low', basis: 'kubelet', check: onKubelet('make-iptables-util-chains', 'makeIPTablesUtilChains', { config: true, flag: true }, (v) => asBool(v) === true) },
  { id: '4.2.7', title: 'Ensure that the --hostname-override argument is not set', assessment: M, severity: 'low', basis: 'kubelet', check: (facts) => {
    const k = facts.components.kubelet;
    if (!k) return facts.access === 'api' ? { status: 'needs-node-access', reason: '--hostname-override is a command-line flag only (not in the kubelet configuration the API shows): run `kordon node` on the node', component: 'kubelet' } : absent('kubelet', facts);
    return { component: 'kubelet', ...flagNotSet('hostname-override')(k) };
  } },
  { id: '4.2.8', title: 'Ensure that the eventRecordQPS argument is set to a level which ensures appropriate event capture', assessment: M, severity: 'info', basis: 'kubelet', check: onKubelet('event-qps', 'eventRecordQPS', { config: 50, flag: 50 }, (v) => (asNumber(v) ?? -1) >= 0) },
  { id: '4.2.9', title: 'Ensure that the --tls-cert-file and --tls-private-key-file arguments are set as appropriate', assessment: M, severity: 'medium', basis: 'kubelet', check: (facts) => {
    const cert = kubeletSetting(facts, 'tls-cert-file', 'tlsCertFile', { config: '', flag: '' });
    if (!cert) return absent('kubelet', facts);
    if (typeof cert.value === 'string' && cert.value !== '') {
      const key = kubeletSetting(facts, 'tls-private-key-file', 'tlsPrivateKeyFile', { config: '', flag: '' });
      return typeof key?.value === 'string' && key.value !== '' ? { status: 'pass', reason: `${cert.shown}; ${key.shown}`, field: cert.field, component: 'kubelet' } : { status: 'fail', reason: `${cert.shown} but no private key file is set`, field: key?.field ?? 'tlsPrivateKeyFile', component: 'kubelet' };
    }
    const rotate = kubeletSetting(facts, undefined, 'serverTLSBootstrap', { config: false, flag: false });
    if (asBool(rotate?.value) === true) return { status: 'pass', reason: `no tlsCertFile, but ${rotate!.shown}: the serving certificate comes from the cluster CA through a CSR`, field: 'serverTLSBootstrap', component: 'kubelet' };
    return { status: 'fail', reason: `${cert.shown}: the kubelet serves a self-signed certificate nobody can verify`, field: cert.field, component: 'kubelet' };
  } },
  { id: '4.2.10', title: 'Ensure that the --rotate-certificates argument is not set to false', assessment: A, severity: 'medium', basis: 'kubelet', check: onKubelet('rotate-certificates', 'rotateCertificates', { config: false, flag: false }, (v) => asBool(v) === true) },
  { id: '4.2.11', title: 'Verify that the RotateKubeletServerCertificate argument is set to true', assessment: M, severity: 'medium', basis: 'kubelet', check: (facts) => {
    const k = facts.components.kubelet;
    const fromFlag = k ? featureGates(k.flags.values.get('feature-gates'))['RotateKubeletServerCertificate'] : undefined;
    const cfg = facts.kubeletConfig;
    const fromCfg = asBool(getPath(cfg?.config, 'featureGates.RotateKubeletServerCertificate'));
    if (!k && !cfg) return absent('kubelet', facts);
    const v = fromFlag ?? fromCfg;
    return v === false ? { status: 'fail', reason: `RotateKubeletServerCertificate=false (${fromFlag !== undefined ? '--feature-gates' : `featureGates, ${cfg!.where}`})`, field: fromFlag !== undefined ? '--feature-gates' : 'featureGates.RotateKubeletServerCertificate', component: 'kubelet' } : { status: 'pass', reason: 'RotateKubeletServerCertificate is not turned off (on by default)', field: 'featureGates', component: 'kubelet' };
  } },
  { id: '4.2.12', title: 'Ensure that the Kubelet only makes use of Strong Cryptographic Ciphers', assessment: M, severity: 'low', basis: 'kubelet', check: (facts) => {
    const s = kubeletSetting(facts, 'tls-cipher-suites', 'tlsCipherSuites', { config: [], flag: [] });
    if (!s) return absent('kubelet', facts);
    const list = Array.isArray(s.value) ? s.value.filter((x): x is string => typeof x === 'string') : typeof s.value === 'string' ? listValue(s.value) : [];
    return { component: 'kubelet', ...cipherCheck(list, KUBELET_CIPHERS, s.field) };
  } },
  { id: '4.2.13', title: 'Ensure that a limit is set on pod PIDs', assessment: M, severity: 'low', basis: 'kubelet', check: onKubelet('pod-max-pids', 'podPidsLimit', { config: -1, flag: -1 }, (v) => (asNumber(v) ?? -1) > 0) },

  // 4.3 kube-proxy
  { id: '4.3.1', title: 'Ensure that the kube-proxy metrics service is bound to localhost', assessment: A, severity: 'medium', basis: 'kube-proxy', check: (facts) => {
    const p = facts.components['kube-proxy'];
    const raw = p?.flags.values.get('metrics-bind-address');
    if (raw !== undefined) return { component: 'kube-proxy', ...(isLoopbackBind(raw) ? pass(`--metrics-bind-address=${raw}`, '--metrics-bind-address') : fail(`--metrics-bind-address=${raw} is not a loopback address`, '--metrics-bind-address')) };
    const cfg = facts.kubeProxyConfig;
    if (cfg) {
      const v = getPath(cfg.config, 'metricsBindAddress');
      if (typeof v !== 'string' || v === '') return { status: 'pass', reason: `metricsBindAddress is not set (${cfg.where}; default 127.0.0.1:10249)`, field: 'metricsBindAddress', component: 'kube-proxy' };
      return { component: 'kube-proxy', ...(isLoopbackBind(v) ? pass(`metricsBindAddress: ${v} (${cfg.where})`, 'metricsBindAddress') : fail(`metricsBindAddress: ${v} (${cfg.where}) is not a loopback address`, 'metricsBindAddress')) };
    }
    if (p) return { status: 'pass', reason: '--metrics-bind-address is not set and kube-proxy uses no config file (default 127.0.0.1:10249)', field: '--metrics-bind-address', component: 'kube-proxy' };
    return absent('kube-proxy', facts);
  } },
] satisfies Def[]).map((d) => d as CisItem);

function bindLocal(f: ComponentFacts): CisAnswer {
  const v = flag(f, 'bind-address');
  if (v === undefined) return fail('--bind-address is not set (default 0.0.0.0: the secure port listens on every interface)', '--bind-address');
  return v === '127.0.0.1' ? pass('--bind-address=127.0.0.1', '--bind-address') : fail(`--bind-address=${v}`, '--bind-address');
}

function isLoopbackBind(v: string): boolean {
  const host = v.startsWith('[') ? v.slice(1, v.indexOf(']')) : v.includes(':') && v.split(':').length === 2 ? v.split(':')[0]! : v;
  return /^127\./.test(host) || host === '::1' || host === 'localhost';
}

function singleMember(f: ComponentFacts): boolean {
  const ic = etcdFlag(f, 'initial-cluster');
  return ic !== undefined && listValue(ic).length === 1;
}

/** The first provider of the first resource of an EncryptionConfiguration (the one that writes). */
export function firstProvider(text: string): string | undefined {
  const m = /providers:\s*\n\s*-\s*([A-Za-z]+)\s*:/.exec(text) ?? /"providers"\s*:\s*\[\s*\{\s*"([A-Za-z]+)"/.exec(text);
  return m?.[1];
}

/** Every item answered on these facts, in benchmark order. */
export function evaluateCis(facts: CisFacts, items: readonly CisItem[] = CIS_ITEMS): CisResult[] {
  return items.map((it) => ({ id: it.id, title: it.title, assessment: it.assessment, severity: it.severity, ...it.check(facts) }));
}

export function cisItem(id: string): CisItem | undefined {
  return CIS_ITEMS.find((i) => i.id === id);
}
