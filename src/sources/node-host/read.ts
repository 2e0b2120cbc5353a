/**
 * Reads a node as kube-bench does, from a root directory (`/` on the node, the host's root
 * mounted into a pod, or a fake node built by the tests): the command lines of the kubelet and of
 * the control-plane processes from a procfs-like tree (`<root>/proc/<pid>/cmdline`), their
 * configuration files, and the owner and permissions of the files the CIS benchmark lists.
 * Paths on the node are resolved under the root; nothing outside it is read. Environment
 * variables are read only for etcd's `ETCD_*` settings, and no file's content leaves this module
 * except the configuration objects.
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import path from 'node:path';
import { yamlLib } from '../../util/yaml-lib.js';
import type { InputProblem } from '../../inventory/types.js';
import { parseFlags, type ParsedFlags } from '../../nodes/flags.js';
import type { CisFacts, Component, ComponentFacts, ConfigFacts, FileFact, NodeFiles } from '../../nodes/facts.js';

export interface NodeProcess {
  pid: number;
  argv: string[];
}

export interface DockerDaemon {
  pid: number;
  /** `-H`/`--host` values and daemon.json `hosts`. */
  hosts: string[];
  tlsverify: boolean;
  where: string;
}

export interface NodeRead {
  root: string;
  facts: CisFacts;
  docker?: DockerDaemon;
  /** Where etcd keeps its data and whether the volume under it shows encryption at rest (when etcd runs here). */
  etcdData?: EtcdDataVolume;
  /** The hostname (etc/hostname under the root), when there is one. */
  hostname?: string;
  /** The kernel release (<proc>/sys/kernel/osrelease) and the OS (PRETTY_NAME of etc/os-release). */
  kernelVersion?: string;
  osImage?: string;
  problems: InputProblem[];
}

const BINARIES: Record<string, Component> = {
  'kube-apiserver': 'kube-apiserver',
  'kube-controller-manager': 'kube-controller-manager',
  'kube-scheduler': 'kube-scheduler',
  etcd: 'etcd',
  kubelet: 'kubelet',
  'kube-proxy': 'kube-proxy',
};

/** The most processes read from the proc tree (a node runs a few thousand). */
const MAX_PROCESSES = 100_000;
/** The most bytes read of one command line or configuration file. */
const MAX_FILE = 4 * 1024 * 1024;

export function readNode(root: string, opts: { proc?: string } = {}): NodeRead {
  const problems: InputProblem[] = [];
  const abs = path.resolve(root);
  const files = nodeFiles(abs);
  const procDir = opts.proc ? path.resolve(opts.proc) : path.join(abs, 'proc');
  const procs = readProcs(procDir, problems);
  const components: CisFacts['components'] = {};
  let docker: DockerDaemon | undefined;
  for (const p of procs) {
    const base = path.basename(p.argv[0] ?? '');
    const c = BINARIES[base];
    if (c && !components[c]) {
      const flags = parseFlags(p.argv);
      components[c] = { component: c, flags, env: c === 'etcd' ? etcdEnv(procDir, p.pid) : {}, where: `process ${p.pid}` };
    }
    if (base === 'dockerd' && !docker) docker = dockerOf(p, files, problems);
  }
  const facts: CisFacts = { access: 'node', components, files };
  const kubelet = components.kubelet;
  if (kubelet) {
    const cfg = configFile(kubelet, files, problems);
    if (cfg) facts.kubeletConfig = cfg;
  }
  const proxy = components['kube-proxy'];
  if (proxy) {
    const cfg = configFile(proxy, files, problems);
    if (cfg) facts.kubeProxyConfig = cfg;
  }
  const etcd = components.etcd;
  const etcdData = etcd ? etcdDataVolume(etcd.flags.values.get('data-dir') ?? etcd.env['ETCD_DATA_DIR'] ?? '/var/lib/etcd', procDir, files) : undefined;
  const hostname = files.read('/etc/hostname')?.trim();
  let kernelVersion: string | undefined;
  try {
    kernelVersion = readFileSync(path.join(procDir, 'sys/kernel/osrelease'), 'utf8').trim() || undefined;
  } catch {
    /* no kernel release in this proc tree */
  }
  const osRelease = files.read('/etc/os-release') ?? files.read('/usr/lib/os-release');
  const pretty = osRelease ? /^PRETTY_NAME=("?)(.*)\1$/m.exec(osRelease)?.[2] : undefined;
  return { root: abs, facts, ...(docker ? { docker } : {}), ...(etcdData ? { etcdData } : {}), ...(hostname ? { hostname } : {}), ...(kernelVersion ? { kernelVersion } : {}), ...(pretty ? { osImage: pretty } : {}), problems };
}

function readProcs(procDir: string, problems: InputProblem[]): NodeProcess[] {
  let entries: string[];
  try {
    entries = readdirSync(procDir);
  } catch (err) {
    problems.push({ source: procDir, code: 'unreadable', severity: 'error', message: `cannot list the processes in ${procDir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}; command-line items are answered as if no component ran` });
    return [];
  }
  const pids = entries.filter((e) => /^\d+$/.test(e)).map(Number).sort((a, b) => a - b).slice(0, MAX_PROCESSES);
  const out: NodeProcess[] = [];
  for (const pid of pids) {
    let buf: Buffer;
    try {
      buf = readFileSync(path.join(procDir, String(pid), 'cmdline'));
    } catch {
      continue; // the process ended, or is not ours to read
    }
    if (buf.length === 0 || buf.length > MAX_FILE) continue;
    const argv = buf.toString('utf8').split('\0');
    if (argv[argv.length - 1] === '') argv.pop();
    out.push({ pid, argv });
  }
  return out;
}

/** etcd's `ETCD_*` variables (the only environment read; etcd takes every flag from one). */
function etcdEnv(procDir: string, pid: number): Record<string, string> {
  const env: Record<string, string> = {};
  try {
    for (const kv of readFileSync(path.join(procDir, String(pid), 'environ')).toString('utf8').split('\0')) {
      const eq = kv.indexOf('=');
      if (eq > 0 && kv.startsWith('ETCD_')) env[kv.slice(0, eq)] = kv.slice(eq + 1);
    }
  } catch {
    /* no environ: flags only */
  }
  return env;
}

function configFile(c: ComponentFacts, files: NodeFiles, problems: InputProblem[]): ConfigFacts | undefined {
  const file = c.flags.values.get('config');
  if (!file) return undefined;
  const text = files.read(file);
  if (text === undefined) {
    problems.push({ source: file, code: 'unreadable', severity: 'error', message: `${c.component} --config ${file} cannot be read under the node root; its settings are judged by their defaults` });
    return undefined;
  }
  try {
    const config = yamlLib().parse(text, { maxAliasCount: 100, logLevel: 'error' }) as unknown;
    if (config === null || typeof config !== 'object' || Array.isArray(config)) {
      problems.push({ source: file, line: 1, code: 'not-an-object', severity: 'error', message: `${file}: the ${c.component} configuration is not a YAML mapping` });
      return undefined;
    }
    return { config: config as Record<string, unknown>, where: file, effective: false };
  } catch (err) {
    const line = (err as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line;
    problems.push({ source: file, ...(line ? { line } : {}), code: 'yaml-syntax', severity: 'error', message: `${file}${line ? `:${line}` : ''}: the ${c.component} configuration is not valid YAML: ${(err as Error).message.split('\n')[0]}` });
    return undefined;
  }
}

/** dockerd's listening sockets: `-H`/`--host` flags and `hosts` in /etc/docker/daemon.json. */
function dockerOf(p: NodeProcess, files: NodeFiles, problems: InputProblem[]): DockerDaemon {
  const hosts: string[] = [];
  let tlsverify = false;
  let flags: ParsedFlags | undefined;
  for (let i = 1; i < p.argv.length; i++) {
    const w = p.argv[i]!;
    const m = /^(?:-H|--host)(?:=(.*))?$/.exec(w);
    if (m) hosts.push(m[1] ?? p.argv[++i] ?? '');
    else if (/^-H./.test(w)) hosts.push(w.slice(2));
    else if (w === '--tlsverify' || w === '--tlsverify=true') tlsverify = true;
  }
  void flags;
  const json = files.read('/etc/docker/daemon.json');
  if (json !== undefined) {
    try {
      const cfg = JSON.parse(json) as Record<string, unknown>;
      if (Array.isArray(cfg['hosts'])) for (const h of cfg['hosts']) if (typeof h === 'string') hosts.push(h);
      if (cfg['tlsverify'] === true) tlsverify = true;
    } catch (err) {
      problems.push({ source: '/etc/docker/daemon.json', code: 'json-syntax', severity: 'error', message: `/etc/docker/daemon.json is not valid JSON (${(err as Error).message.split('\n')[0]}); its hosts are not judged` });
    }
  }
  return { pid: p.pid, hosts, tlsverify, where: `process ${p.pid}` };
}

/** TCP sockets of a Docker daemon that anyone who reaches them may use (no TLS client verification). */
export function dockerOpenSockets(d: DockerDaemon): string[] {
  if (d.tlsverify) return [];
  return d.hosts.filter((h) => /^tcp:\/\//.test(h) || /^[^/:]*:\d+$/.test(h));
}

/**
 * Where the node's path `p` is on this host, `root` being the node's `/`: symbolic links are
 * followed inside the root (an absolute target is the node's path, never this host's, and `..`
 * stops at the root), at most 40 of them; a path that does not exist is returned as it stands.
 */
export function resolveInRoot(root: string, p: string): string {
  const rest = path.posix.normalize('/' + p).split('/').filter(Boolean);
  const done: string[] = [];
  let hops = 0;
  while (rest.length > 0) {
    const part = rest.shift()!;
    if (part === '.') continue;
    if (part === '..') {
      done.pop();
      continue;
    }
    const here = path.join(root, ...done, part);
    let link: string | undefined;
    try {
      if (lstatSync(here).isSymbolicLink()) link = readlinkSync(here);
    } catch {
      return path.join(root, ...done, part, ...rest); // missing: nothing further to follow
    }
    if (link === undefined) {
      done.push(part);
      continue;
    }
    if (++hops > 40) throw new Error(`too many symbolic links under ${p}`);
    if (link.startsWith('/')) done.length = 0;
    rest.unshift(...link.split('/').filter(Boolean));
  }
  return path.join(root, ...done);
}

export interface EtcdDataVolume {
  dataDir: string;
  /** The mount holding it (longest mount point above it), when the mount table could be read. */
  mountPoint?: string;
  device?: string;
  fsType?: string;
  /** `dm-crypt`: a device-mapper crypt target (LUKS or plain dm-crypt); undefined: no sign of encryption. */
  encryption?: 'dm-crypt';
  /** Why it could not be told (no mount table in the proc tree). */
  unknown?: string;
}

/**
 * Whether the volume under etcd's data directory shows encryption at rest: the mount that holds
 * it (from the mount table of process 1, as the node sees it), and for a device-mapper device the
 * target type from /sys/block/dm-N/dm/uuid (`CRYPT-...` for dm-crypt and LUKS). A hint, not a
 * proof: encryption below the device (the cloud provider's disk encryption) does not show here.
 */
export function etcdDataVolume(dataDir: string, procDir: string, files: NodeFiles): EtcdDataVolume {
  let table: string | undefined;
  for (const f of ['1/mounts', 'mounts', 'self/mounts']) {
    try {
      table = readFileSync(path.join(procDir, f), 'utf8');
      break;
    } catch {
      /* next */
    }
  }
  if (table === undefined) return { dataDir, unknown: 'no mount table in the process tree' };
  const unescape = (s: string): string => s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
  let best: { point: string; device: string; fsType: string } | undefined;
  for (const line of table.split('\n')) {
    const [device, point, fsType] = line.split(' ').map(unescape);
    if (!device || !point || !fsType) continue;
    const under = point === '/' || dataDir === point || dataDir.startsWith(point.endsWith('/') ? point : `${point}/`);
    if (under && (!best || point.length >= best.point.length)) best = { point, device, fsType };
  }
  if (!best) return { dataDir, unknown: 'no mount holds the data directory' };
  const out: EtcdDataVolume = { dataDir, mountPoint: best.point, device: best.device, fsType: best.fsType };
  // /dev/dm-N, or /dev/mapper/NAME matched to dm-N by its name in /sys/block/dm-*/dm/name
  let dm = /^\/dev\/(dm-\d+)$/.exec(best.device)?.[1];
  const mapped = /^\/dev\/mapper\/(.+)$/.exec(best.device)?.[1];
  for (let n = 0; !dm && mapped && n < 256; n++) if (files.read(`/sys/block/dm-${n}/dm/name`)?.trim() === mapped) dm = `dm-${n}`;
  if (dm && files.read(`/sys/block/${dm}/dm/uuid`)?.trim().startsWith('CRYPT-')) out.encryption = 'dm-crypt';
  return out;
}

/** The node's files under `root`, with owners named from the root's /etc/passwd and /etc/group. */
export function nodeFiles(root: string): NodeFiles {
  // the host's own `/` needs no re-rooting; any other root is a node's file system mounted here
  const resolve = (p: string): string => (path.resolve(root) === '/' ? path.posix.normalize('/' + p) : resolveInRoot(root, p));
  let users: Map<number, string> | undefined;
  let groups: Map<number, string> | undefined;
  const names = (file: string): Map<number, string> => {
    const m = new Map<number, string>();
    try {
      for (const line of readFileSync(resolve(file), 'utf8').split('\n')) {
        const f = line.split(':');
        if (f.length >= 3 && /^\d+$/.test(f[2]!)) m.set(Number(f[2]), f[0]!);
      }
    } catch {
      /* numeric ids */
    }
    if (!m.has(0)) m.set(0, 'root');
    return m;
  };
  return {
    stat(p) {
      try {
        const st = statSync(resolve(p));
        users ??= names('/etc/passwd');
        groups ??= names('/etc/group');
        const fact: FileFact = { path: p, mode: st.mode & 0o777, uid: st.uid, gid: st.gid, user: users.get(st.uid) ?? String(st.uid), group: groups.get(st.gid) ?? String(st.gid), isDirectory: st.isDirectory() };
        return fact;
      } catch {
        return undefined;
      }
    },
    list(dir) {
      const out: string[] = [];
      const walk = (d: string, depth: number): void => {
        if (depth > 8 || out.length > 10_000) return;
        let entries: string[];
        try {
          entries = readdirSync(resolve(d)).sort();
        } catch {
          return;
        }
        for (const e of entries) {
          const p = path.posix.join(d, e);
          try {
            const st = lstatSync(resolve(p));
            if (st.isDirectory()) walk(p, depth + 1);
            else if (st.isFile()) out.push(p);
          } catch {
            /* gone */
          }
        }
      };
      walk(dir, 0);
      return out;
    },
    read(p) {
      try {
        const full = resolve(p);
        if (statSync(full).size > MAX_FILE) return undefined;
        return readFileSync(full, 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}
