/**
 * A real (but minimal) Kubernetes control plane for the live test suite:
 * etcd + kube-apiserver built from the Go module proxy by k8s/build.sh.
 *
 * - TLS everywhere on the apiserver (own CA made with openssl), client-cert
 *   identities `admin` (O=system:masters), `alice` (no permissions),
 *   `bob` (group `dev`) and a static-token identity `token-user` (group `tokens`).
 * - Authorization Node,RBAC; PodSecurity admission active; audit log at
 *   level RequestResponse for everything.
 * - No controller-manager or scheduler: pods stay Pending, and namespaces get
 *   no `default` ServiceAccount. The ServiceAccount admission plugin is
 *   therefore disabled by default (otherwise every pod create would fail with
 *   "error looking up service account"); pass `serviceAccountAdmission: true`
 *   to keep it (then create the ServiceAccount yourself).
 *
 * Env: KORDON_CACHE_DIR (binary cache, default ~/.cache/kordon),
 * KORDON_<TOOL>_BIN (use a given binary), KORDON_KEEP_CONTROLPLANE=1 (keep the
 * temp dir after stop, for debugging), KORDON_TEST_CONTROLPLANE (shared plane).
 *
 * Only Node built-ins are used.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type Tool = 'kube-apiserver' | 'etcd' | 'helm' | 'kustomize' | 'celcost';

/** Credentials of one identity: a client cert/key pair or a bearer token. */
export interface Credential {
  /** Kubernetes user name the apiserver sees. */
  username: string;
  groups: string[];
  certFile?: string;
  keyFile?: string;
  token?: string;
  kubeconfig: string;
}

/** The serialisable description of a running control plane (what the CLI writes as JSON). */
export interface ControlPlaneInfo {
  server: string;
  caFile: string;
  adminKubeconfig: string;
  /** kubeconfig paths by identity: admin, alice, bob, token-user. */
  kubeconfigs: Record<string, string>;
  /** Raw credentials by identity (same keys as kubeconfigs). */
  credentials: Record<string, Credential>;
  auditLogFile: string;
  dir: string;
  /** Directory of etcd.log / kube-apiserver.log. */
  logDir: string;
  /** Bearer token of `token-user`. */
  token: string;
  /** kube-apiserver version (e.g. v1.35.4). */
  kubernetesVersion: string;
}

export interface ControlPlane extends ControlPlaneInfo {
  kubeconfigFor(user: string): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Where to write etcd.log and kube-apiserver.log (kept after stop). Default: <dir>/logs (removed on stop). */
  logDir?: string;
  /** Keep the ServiceAccount admission plugin enabled (see module doc). Default false. */
  serviceAccountAdmission?: boolean;
  /** Extra kube-apiserver flags. */
  extraApiserverArgs?: string[];
  /** Startup timeout in ms (default 180000). */
  timeoutMs?: number;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BUILD_SH = path.join(HERE, 'k8s', 'build.sh');
const VERSIONS_ENV = path.join(HERE, 'k8s', 'versions.env');

const VERSION_KEYS: Record<Tool, string> = {
  'kube-apiserver': 'KUBERNETES_VERSION',
  etcd: 'ETCD_VERSION',
  helm: 'HELM_VERSION',
  kustomize: 'KUSTOMIZE_VERSION',
  celcost: 'KUBERNETES_VERSION',
};

/** Pinned versions from k8s/versions.env. */
export function pinnedVersions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(VERSIONS_ENV, 'utf8').split('\n')) {
    const m = /^\s*([A-Z0-9_]+)=(\S+)\s*$/.exec(line);
    if (m?.[1] && m[2]) out[m[1]] = m[2];
  }
  return out;
}

function cacheDir(): string {
  return process.env.KORDON_CACHE_DIR || path.join(os.homedir(), '.cache', 'kordon');
}

/**
 * Absolute path of a pinned tool binary. Uses the build.sh cache, building the
 * binary (synchronously, possibly for many minutes) when it is missing.
 * `KORDON_<TOOL>_BIN` (e.g. KORDON_KUBE_APISERVER_BIN) overrides.
 */
export function binaryPath(tool: Tool): string {
  const override = process.env[`KORDON_${tool.toUpperCase().replace(/-/g, '_')}_BIN`];
  if (override) return override;
  const version = pinnedVersions()[VERSION_KEYS[tool]];
  if (!version) throw new Error(`no ${VERSION_KEYS[tool]} in ${VERSIONS_ENV}`);
  const expected = path.join(cacheDir(), 'bin', `${tool}-${version}`, tool);
  if (existsSync(expected)) return expected;
  const out = execFileSync('bash', [BUILD_SH, tool], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  const line = out.split('\n').find((l) => l.startsWith(`${tool}=`));
  const built = line?.slice(tool.length + 1).trim();
  if (!built || !existsSync(built)) throw new Error(`build.sh did not produce ${tool}:\n${out}`);
  return built;
}

/** Reads the control plane shared by the test runner (KORDON_TEST_CONTROLPLANE=<json file>). */
export function sharedControlPlane(): ControlPlaneInfo | undefined {
  const file = process.env.KORDON_TEST_CONTROLPLANE;
  if (!file) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as ControlPlaneInfo;
}

/**
 * The shared control plane if the runner provides one, else a fresh one.
 * `release()` stops it only if it was started here.
 */
export async function acquireControlPlane(
  opts?: StartOptions,
): Promise<{ cp: ControlPlaneInfo & { kubeconfigFor(user: string): string }; release(): Promise<void> }> {
  const shared = sharedControlPlane();
  if (shared) {
    return { cp: { ...shared, kubeconfigFor: (u) => kubeconfigOf(shared, u) }, release: async () => {} };
  }
  const cp = await startControlPlane(opts);
  return { cp, release: () => cp.stop() };
}

function kubeconfigOf(info: ControlPlaneInfo, user: string): string {
  const k = info.kubeconfigs[user];
  if (!k) throw new Error(`no kubeconfig for '${user}' (have: ${Object.keys(info.kubeconfigs).join(', ')})`);
  return k;
}

// ---------------------------------------------------------------------------
// Plain https requests against the apiserver (for tests that must not depend
// on a Kubernetes client library).

export interface ApiResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** Parsed JSON body, or undefined if the body is not JSON. */
  body: any;
}

/** A keep-alive agent carrying an identity's TLS material, for many requests in a row. */
export function apiAgent(info: Pick<ControlPlaneInfo, 'caFile' | 'credentials'>, user: string, maxSockets = 8): https.Agent {
  const cred = info.credentials[user];
  if (!cred) throw new Error(`unknown identity '${user}'`);
  return new https.Agent({
    keepAlive: true,
    maxSockets,
    ca: readFileSync(info.caFile),
    ...(cred.certFile && cred.keyFile ? { cert: readFileSync(cred.certFile), key: readFileSync(cred.keyFile) } : {}),
  });
}

export function apiRequest(
  info: Pick<ControlPlaneInfo, 'server' | 'caFile' | 'credentials'>,
  user: string,
  method: string,
  urlPath: string,
  body?: unknown,
  opts?: {
    contentType?: string;
    timeoutMs?: number;
    /** A keep-alive agent built with this identity's TLS material (see `apiAgent`); else one connection per request. */
    agent?: https.Agent;
  },
): Promise<ApiResponse> {
  const cred = info.credentials[user];
  if (!cred) throw new Error(`unknown identity '${user}'`);
  const url = new URL(urlPath, info.server);
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (payload !== undefined) {
    headers['content-type'] = opts?.contentType ?? 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  if (cred.token) headers.authorization = `Bearer ${cred.token}`;
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method,
        headers,
        ...(opts?.agent
          ? { agent: opts.agent }
          : {
              ca: readFileSync(info.caFile),
              ...(cred.certFile && cred.keyFile ? { cert: readFileSync(cred.certFile), key: readFileSync(cred.keyFile) } : {}),
              agent: false as const,
            }),
        timeout: opts?.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${url.href}`)));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

// ---------------------------------------------------------------------------
// Start / stop

interface Live {
  procs: ChildProcess[];
  dir: string;
  keepDir: boolean;
}
const live = new Set<Live>();
let handlersInstalled = false;

function killNow(l: Live): void {
  for (const p of l.procs) {
    if (p.exitCode === null && p.signalCode === null && p.pid) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
  if (!l.keepDir) rmSync(l.dir, { recursive: true, force: true });
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const l of live) killNow(l);
    live.clear();
  });
  for (const [sig, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    const handler = (): void => {
      // Someone else handles the signal (e.g. the CLI stops gracefully); the
      // 'exit' hook still kills whatever is left when the process ends.
      if (process.listenerCount(sig) > 1) return;
      for (const l of live) killNow(l);
      live.clear();
      process.exit(code);
    };
    process.on(sig, handler);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
}

const OPENSSL_CNF = `
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ v3_ca ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
[ v3_server ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local
[ v3_client ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
`;

const CERT_USERS: { id: string; cn: string; groups: string[] }[] = [
  { id: 'admin', cn: 'kordon-admin', groups: ['system:masters'] },
  { id: 'alice', cn: 'alice', groups: [] },
  { id: 'bob', cn: 'bob', groups: ['dev'] },
];
const TOKEN_USER = { id: 'token-user', name: 'token-user', uid: 'token-user-uid', groups: ['tokens'] };

function makePki(dir: string): { ca: string; serverCert: string; serverKey: string; users: Map<string, { cert: string; key: string }> } {
  const pki = path.join(dir, 'pki');
  mkdirSync(pki, { recursive: true });
  writeFileSync(path.join(pki, 'openssl.cnf'), OPENSSL_CNF);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(pki, ['req', '-x509', '-new', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '3650',
    '-subj', '/CN=kordon-test-ca', '-config', 'openssl.cnf', '-extensions', 'v3_ca']);
  let serial = 1;
  const leaf = (name: string, subj: string, ext: string): void => {
    openssl(pki, ['req', '-new', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subj, '-config', 'openssl.cnf']);
    openssl(pki, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', String(++serial),
      '-days', '3650', '-out', `${name}.crt`, '-extfile', 'openssl.cnf', '-extensions', ext]);
  };
  leaf('apiserver', '/CN=kube-apiserver', 'v3_server');
  const users = new Map<string, { cert: string; key: string }>();
  for (const u of CERT_USERS) {
    const subj = [...u.groups.map((g) => `/O=${g}`), `/CN=${u.cn}`].join('');
    leaf(u.id, subj, 'v3_client');
    users.set(u.id, { cert: path.join(pki, `${u.id}.crt`), key: path.join(pki, `${u.id}.key`) });
  }
  // Service-account token signing key pair (RSA, as in real clusters).
  openssl(pki, ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'sa.key']);
  openssl(pki, ['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub']);
  return { ca: path.join(pki, 'ca.crt'), serverCert: path.join(pki, 'apiserver.crt'), serverKey: path.join(pki, 'apiserver.key'), users };
}

function b64(file: string): string {
  return readFileSync(file).toString('base64');
}

function writeKubeconfig(file: string, server: string, caFile: string, user: string, auth: { cert: string; key: string } | { token: string }): void {
  const userBlock =
    'token' in auth
      ? `    token: ${auth.token}\n`
      : `    client-certificate-data: ${b64(auth.cert)}\n    client-key-data: ${b64(auth.key)}\n`;
  const text =
    `apiVersion: v1\nkind: Config\n` +
    `clusters:\n- name: kordon-test\n  cluster:\n    server: ${server}\n    certificate-authority-data: ${b64(caFile)}\n` +
    `users:\n- name: ${user}\n  user:\n${userBlock}` +
    `contexts:\n- name: ${user}@kordon-test\n  context:\n    cluster: kordon-test\n    user: ${user}\n    namespace: default\n` +
    `current-context: ${user}@kordon-test\n`;
  writeFileSync(file, text, { mode: 0o600 });
}

function getStatus(url: string, tls?: https.RequestOptions): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const mod = url.startsWith('https:') ? https : http;
    const req = mod.request(url, { ...(tls ?? {}), timeout: 5000, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function waitFor(
  what: string,
  deadline: number,
  procs: { proc: ChildProcess; log: string }[],
  check: () => Promise<boolean>,
): Promise<void> {
  let lastErr = '';
  for (;;) {
    for (const { proc, log } of procs) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        throw new Error(`${path.basename(log, '.log')} exited (${proc.exitCode ?? proc.signalCode}) while waiting for ${what}:\n${tail(log)}`);
      }
    }
    try {
      if (await check()) return;
    } catch (e) {
      lastErr = (e as Error).message;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what} (${lastErr})\n${procs.map((p) => `--- ${p.log}\n${tail(p.log)}`).join('\n')}`);
    }
    await sleep(250);
  }
}

function startProc(bin: string, args: string[], logFile: string): ChildProcess {
  const fd = openSync(logFile, 'a');
  const proc = spawn(bin, args, { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  proc.on('error', () => {
    /* reported through exitCode checks */
  });
  return proc;
}

function stopProc(proc: ChildProcess, graceMs = 10_000): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

export async function startControlPlane(opts: StartOptions = {}): Promise<ControlPlane> {
  const etcdBin = binaryPath('etcd');
  const apiserverBin = binaryPath('kube-apiserver');
  const kubernetesVersion = pinnedVersions().KUBERNETES_VERSION ?? 'unknown';

  const dir = mkdtempSync(path.join(os.tmpdir(), 'kordon-cp-'));
  const logDir = opts.logDir ? path.resolve(opts.logDir) : path.join(dir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const state: Live = { procs: [], dir, keepDir: !!process.env.KORDON_KEEP_CONTROLPLANE };
  installHandlers();
  live.add(state);

  try {
    const pki = makePki(dir);
    const [etcdClient, etcdPeer, apiPort] = [await freePort(), await freePort(), await freePort()];
    const server = `https://127.0.0.1:${apiPort}`;

    // --- etcd (plain http on loopback; data in the temp dir)
    const etcdLog = path.join(logDir, 'etcd.log');
    const etcd = startProc(etcdBin, [
      '--name=kordon',
      `--data-dir=${path.join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=kordon=http://127.0.0.1:${etcdPeer}`,
      '--initial-cluster-state=new',
      '--unsafe-no-fsync',
      '--log-level=warn',
    ], etcdLog);
    state.procs.push(etcd);
    const deadline = Date.now() + (opts.timeoutMs ?? 180_000);
    await waitFor('etcd /health', deadline, [{ proc: etcd, log: etcdLog }], async () => {
      const r = await getStatus(`http://127.0.0.1:${etcdClient}/health`);
      return r.status === 200 && r.text.includes('true');
    });

    // --- kube-apiserver
    const tokenUserToken = randomBytes(24).toString('hex');
    const tokenFile = path.join(dir, 'tokens.csv');
    writeFileSync(tokenFile, `${tokenUserToken},${TOKEN_USER.name},${TOKEN_USER.uid},"${TOKEN_USER.groups.join(',')}"\n`, { mode: 0o600 });
    const auditPolicy = path.join(dir, 'audit-policy.yaml');
    writeFileSync(auditPolicy, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: RequestResponse\n');
    const auditLogFile = path.join(dir, 'audit.log');
    const apiLog = path.join(logDir, 'kube-apiserver.log');
    const disabled = opts.serviceAccountAdmission ? [] : ['--disable-admission-plugins=ServiceAccount'];
    const apiserver = startProc(apiserverBin, [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--cert-dir=${path.join(dir, 'apiserver-certs')}`,
      `--tls-cert-file=${pki.serverCert}`,
      `--tls-private-key-file=${pki.serverKey}`,
      `--client-ca-file=${pki.ca}`,
      `--token-auth-file=${tokenFile}`,
      '--authorization-mode=Node,RBAC',
      '--enable-admission-plugins=PodSecurity,NodeRestriction',
      ...disabled,
      '--allow-privileged=true',
      `--audit-log-path=${auditLogFile}`,
      `--audit-policy-file=${auditPolicy}`,
      '--audit-log-format=json',
      '--audit-log-mode=blocking',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${path.join(dir, 'pki', 'sa.pub')}`,
      `--service-account-signing-key-file=${path.join(dir, 'pki', 'sa.key')}`,
      '--service-cluster-ip-range=10.96.0.0/16',
      '--profiling=false',
      '--v=1',
      ...(opts.extraApiserverArgs ?? []),
    ], apiLog);
    state.procs.push(apiserver);

    const admin = pki.users.get('admin')!;
    const adminTls: https.RequestOptions = { ca: readFileSync(pki.ca), cert: readFileSync(admin.cert), key: readFileSync(admin.key) };
    const procs = [{ proc: etcd, log: etcdLog }, { proc: apiserver, log: apiLog }];
    await waitFor('kube-apiserver /readyz', deadline, procs, async () => {
      const r = await getStatus(`${server}/readyz`, adminTls);
      return r.status === 200 && r.text.trim() === 'ok';
    });
    for (const p of ['/api/v1/namespaces/default', '/apis/rbac.authorization.k8s.io/v1/clusterroles/cluster-admin',
      '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/cluster-admin', '/apis/rbac.authorization.k8s.io/v1/clusterroles/view']) {
      await waitFor(`GET ${p}`, deadline, procs, async () => (await getStatus(`${server}${p}`, adminTls)).status === 200);
    }

    // --- kubeconfigs
    const kcDir = path.join(dir, 'kubeconfigs');
    mkdirSync(kcDir);
    const credentials: Record<string, Credential> = {};
    const kubeconfigs: Record<string, string> = {};
    for (const u of CERT_USERS) {
      const c = pki.users.get(u.id)!;
      const kc = path.join(kcDir, `${u.id}.kubeconfig`);
      writeKubeconfig(kc, server, pki.ca, u.id, c);
      kubeconfigs[u.id] = kc;
      credentials[u.id] = { username: u.cn, groups: u.groups, certFile: c.cert, keyFile: c.key, kubeconfig: kc };
    }
    const tkc = path.join(kcDir, `${TOKEN_USER.id}.kubeconfig`);
    writeKubeconfig(tkc, server, pki.ca, TOKEN_USER.id, { token: tokenUserToken });
    kubeconfigs[TOKEN_USER.id] = tkc;
    credentials[TOKEN_USER.id] = { username: TOKEN_USER.name, groups: TOKEN_USER.groups, token: tokenUserToken, kubeconfig: tkc };

    const info: ControlPlaneInfo = {
      server,
      caFile: pki.ca,
      adminKubeconfig: kubeconfigs.admin!,
      kubeconfigs,
      credentials,
      auditLogFile,
      dir,
      logDir,
      token: tokenUserToken,
      kubernetesVersion,
    };
    let stopped: Promise<void> | undefined;
    return {
      ...info,
      kubeconfigFor: (user: string) => kubeconfigOf(info, user),
      stop: () =>
        (stopped ??= (async () => {
          await stopProc(apiserver);
          await stopProc(etcd);
          live.delete(state);
          if (!state.keepDir) rmSync(dir, { recursive: true, force: true });
        })()),
    };
  } catch (e) {
    live.delete(state);
    await Promise.all(state.procs.map((p) => stopProc(p, 2000)));
    if (!state.keepDir) rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
