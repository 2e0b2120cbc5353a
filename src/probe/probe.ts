/**
 * `kordon probe`: from where it runs, which Kubernetes endpoints answer without credentials.
 * Opt-in, bounded (per-connection timeout, a deadline for the whole run, at most N targets, M in
 * parallel) and read-only: a TCP connect, then at most a few HTTP(S) GETs of well-known paths
 * (`/version`, `/api`, `/pods`, `/metrics`), never with credentials. Services are identified by
 * what they answer, not by their port number: Docker's /version has `ApiVersion`, etcd's has
 * `etcdserver`, the API server's `gitVersion`, a kubelet's /pods is a PodList, kube-proxy's
 * /metrics names `kubeproxy_`. Heavy built-ins load on first use (a file scan never loads them).
 */
import { isPublicAddress } from '../graph/public-address.js';

type Net = typeof import('node:net');
type Http = typeof import('node:http');
type Https = typeof import('node:https');
type Dns = typeof import('node:dns');
const mod = <T>(name: string): T => process.getBuiltinModule(name) as T;

export type ProbeVerdict = 'exposed' | 'protected' | 'closed' | 'unidentified';

export interface ProbeResult {
  host: string;
  port: number;
  /** What answered: `docker`, `etcd`, `kube-apiserver`, `kubelet`, `kubelet-read-only`, `kube-proxy-metrics`, `mtls`, `http`, `tls`, or `closed`. */
  service: string;
  verdict: ProbeVerdict;
  /** What was seen, in words (status codes, versions; never a body). */
  detail: string;
  /** Severity of an exposure (empty when not exposed). */
  severity?: 'critical' | 'high' | 'medium' | 'low';
}

export interface EndpointResult {
  server: string;
  host: string;
  addresses: Array<{ address: string; public: boolean }>;
  /** Anonymous GET /version and /api: status code, or the error. */
  version: string;
  api: string;
  verdict: 'anonymous-allowed' | 'anonymous-version-only' | 'anonymous-rejected' | 'unreachable';
  detail: string;
}

export interface ProbeOptions {
  /** Per-connection and per-request timeout (ms). */
  timeoutMs: number;
  concurrency: number;
  /** The whole run's deadline (ms). */
  deadlineMs: number;
}

export const DEFAULT_PORTS: readonly number[] = [2375, 2379, 6443, 10249, 10250, 10255, 10256, 10257, 10259];

interface HttpAnswer {
  status: number;
  body: string;
  error?: string;
}

function get(url: string, timeoutMs: number, signal: { deadline: number }): Promise<HttpAnswer> {
  const u = new URL(url);
  const isHttps = u.protocol === 'https:';
  const lib = isHttps ? mod<Https>('node:https') : mod<Http>('node:http');
  const budget = Math.max(1, Math.min(timeoutMs, signal.deadline - Date.now()));
  return new Promise((resolve) => {
    let done = false;
    const finish = (a: HttpAnswer): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(a);
    };
    const req = lib.request(
      { hostname: u.hostname.replace(/^\[|\]$/g, ''), port: u.port, path: u.pathname, method: 'GET', timeout: budget, agent: false, headers: { Accept: 'application/json' }, ...(isHttps ? { rejectUnauthorized: false } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= 64 * 1024) chunks.push(c);
        });
        res.on('end', () => finish({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (e) => finish({ status: 0, body: '', error: e.message }));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      finish({ status: 0, body: '', error: `no answer within ${budget} ms` });
    }, budget);
    req.on('error', (e: NodeJS.ErrnoException) => finish({ status: 0, body: '', error: e.code ?? e.message }));
    req.end();
  });
}

function connect(host: string, port: number, timeoutMs: number): Promise<boolean> {
  const net = mod<Net>('node:net');
  return new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: timeoutMs });
    const end = (ok: boolean): void => {
      s.destroy();
      resolve(ok);
    };
    s.once('connect', () => end(true));
    s.once('timeout', () => end(false));
    s.once('error', () => end(false));
  });
}

const json = (body: string): Record<string, unknown> | undefined => {
  try {
    const v = JSON.parse(body) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/** Identifies what listens on host:port, without credentials. */
export async function probeTarget(host: string, port: number, opts: ProbeOptions, signal: { deadline: number }): Promise<ProbeResult> {
  const h = host.includes(':') ? `[${host}]` : host;
  if (!(await connect(host, port, opts.timeoutMs))) return { host, port, service: 'closed', verdict: 'closed', detail: 'no TCP connection' };
  // plain HTTP first (Docker, etcd without TLS, the read-only kubelet port, metrics)
  const plain = await get(`http://${h}:${port}/version`, opts.timeoutMs, signal);
  if (plain.status > 0) {
    const v = json(plain.body);
    if (plain.status === 200 && v && typeof v['ApiVersion'] === 'string') return { host, port, service: 'docker', verdict: 'exposed', severity: 'critical', detail: `Docker Engine API ${String(v['Version'] ?? '')} over plain HTTP without authentication: whoever reaches it runs privileged containers on the host` };
    if (plain.status === 200 && v && typeof v['etcdserver'] === 'string') return { host, port, service: 'etcd', verdict: 'exposed', severity: 'critical', detail: `etcd ${v['etcdserver']} over plain HTTP: no TLS and no client certificates, every key (all cluster state, Secrets included) readable and writable` };
    const pods = await get(`http://${h}:${port}/pods`, opts.timeoutMs, signal);
    if (pods.status === 200 && json(pods.body)?.['kind'] === 'PodList') return { host, port, service: 'kubelet-read-only', verdict: 'exposed', severity: 'high', detail: 'kubelet read-only port: /pods lists every pod of the node with its spec, without authentication' };
    const metrics = await get(`http://${h}:${port}/metrics`, opts.timeoutMs, signal);
    if (metrics.status === 200 && /\bkubeproxy_/.test(metrics.body)) return { host, port, service: 'kube-proxy-metrics', verdict: 'exposed', severity: 'medium', detail: 'kube-proxy metrics without authentication (services and endpoints of the cluster)' };
    if (plain.status === 400 && /HTTPS/i.test(plain.body)) {
      // an HTTPS server answering plain HTTP: go on with TLS below
    } else return { host, port, service: 'http', verdict: 'unidentified', detail: `HTTP server (GET /version: ${plain.status})` };
  }
  const tls = await get(`https://${h}:${port}/version`, opts.timeoutMs, signal);
  if (tls.status === 0) {
    if (tls.error && /CERT|ALERT|HANDSHAKE|certificate|EPROTO|ECONNRESET/i.test(tls.error)) return { host, port, service: 'mtls', verdict: 'protected', detail: `TLS server that requires a client certificate (${tls.error}): etcd with --client-cert-auth, or another mutual-TLS service` };
    return { host, port, service: 'unknown', verdict: 'unidentified', detail: `open port; neither HTTP nor HTTPS answered (${tls.error ?? 'no answer'})` };
  }
  const v = json(tls.body);
  if (tls.status === 200 && v && typeof v['etcdserver'] === 'string') return { host, port, service: 'etcd', verdict: 'exposed', severity: 'critical', detail: `etcd ${v['etcdserver']} over TLS without requiring a client certificate: every key readable and writable` };
  if (v && typeof v['gitVersion'] === 'string') {
    const api = await get(`https://${h}:${port}/api`, opts.timeoutMs, signal);
    return api.status === 200
      ? { host, port, service: 'kube-apiserver', verdict: 'exposed', severity: 'high', detail: `Kubernetes API server ${v['gitVersion']}: anonymous GET /version and /api answered 200 (anonymous requests are authenticated and authorized for discovery)` }
      : { host, port, service: 'kube-apiserver', verdict: 'protected', detail: `Kubernetes API server ${v['gitVersion']}: anonymous /version answered (public-info-viewer), /api ${api.status || api.error}` };
  }
  if (tls.status === 401 && json(tls.body)?.['kind'] === 'Status') return { host, port, service: 'kube-apiserver', verdict: 'protected', detail: 'Kubernetes API server: anonymous requests rejected (401)' };
  const pods = await get(`https://${h}:${port}/pods`, opts.timeoutMs, signal);
  if (pods.status === 200 && json(pods.body)?.['kind'] === 'PodList') return { host, port, service: 'kubelet', verdict: 'exposed', severity: 'critical', detail: 'kubelet API: anonymous GET /pods answered 200 (anonymous authentication with AlwaysAllow authorization: exec and run in every pod of the node)' };
  if (pods.status === 403 && /nodes|kubelet/i.test(pods.body)) return { host, port, service: 'kubelet', verdict: 'protected', severity: 'low', detail: 'kubelet API: anonymous requests authenticated but not authorized (403): anonymous auth is on, Webhook authorization stops them' };
  if (pods.status === 401) return { host, port, service: 'https', verdict: 'protected', detail: 'HTTPS server rejecting anonymous requests (401): a kubelet or a controller-manager/scheduler secure port with authentication' };
  return { host, port, service: 'https', verdict: 'unidentified', detail: `HTTPS server (GET /version: ${tls.status})` };
}

/** Probes every host:port, at most `concurrency` at once, until the deadline. */
export async function probeTargets(targets: Array<{ host: string; port: number }>, opts: ProbeOptions): Promise<{ results: ProbeResult[]; skipped: number }> {
  const signal = { deadline: Date.now() + opts.deadlineMs };
  const results: ProbeResult[] = [];
  let next = 0;
  let skipped = 0;
  await Promise.all(
    Array.from({ length: Math.min(Math.max(1, opts.concurrency), targets.length) }, async () => {
      while (next < targets.length) {
        const t = targets[next++]!;
        if (Date.now() >= signal.deadline) {
          skipped++;
          continue;
        }
        results.push(await probeTarget(t.host, t.port, opts, signal));
      }
    }),
  );
  results.sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : a.port - b.port));
  return { results, skipped };
}

/** The API server of a kubeconfig: where its name resolves, and what anonymous requests get. */
export async function probeEndpoint(server: string, opts: ProbeOptions): Promise<EndpointResult> {
  const u = new URL(server);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const dns = mod<Dns>('node:dns');
  let addresses: Array<{ address: string; public: boolean }> = [];
  try {
    addresses = (await dns.promises.lookup(host, { all: true })).map((a) => ({ address: a.address, public: isPublicAddress(a.address) })).sort((a, b) => (a.address < b.address ? -1 : 1));
  } catch (err) {
    return { server, host, addresses, version: 'not resolved', api: 'not resolved', verdict: 'unreachable', detail: `${host} does not resolve (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
  }
  const signal = { deadline: Date.now() + opts.deadlineMs };
  const base = `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  const version = await get(`${base}/version`, opts.timeoutMs, signal);
  const api = await get(`${base}/api`, opts.timeoutMs, signal);
  const show = (a: HttpAnswer): string => (a.status ? String(a.status) : `error: ${a.error}`);
  const pub = addresses.some((a) => a.public);
  const where = pub ? 'a public address: reachable from the internet unless a firewall says otherwise' : 'private addresses only';
  if (version.status === 0) return { server, host, addresses, version: show(version), api: show(api), verdict: 'unreachable', detail: `no answer (${version.error}); ${where}` };
  const verdict = api.status === 200 ? 'anonymous-allowed' : version.status === 200 ? 'anonymous-version-only' : 'anonymous-rejected';
  const what = verdict === 'anonymous-allowed' ? 'anonymous requests are accepted and may read the API discovery' : verdict === 'anonymous-version-only' ? 'anonymous requests are accepted (the version is public); /api is not' : 'anonymous requests are rejected';
  return { server, host, addresses, version: show(version), api: show(api), verdict, detail: `${what}; ${where}` };
}

/** `10.0.0.0/30`, `10.0.0.5`, `node-1.example` → addresses or names; a range larger than `max` is an error. */
export function expandTargets(specs: string[], max: number): string[] {
  const out: string[] = [];
  for (const spec of specs) {
    const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(spec.trim());
    if (!m) {
      out.push(spec.trim());
      continue;
    }
    const bits = Number(m[2]);
    const parts = m[1]!.split('.').map(Number);
    if (bits > 32 || parts.some((p) => p > 255)) throw new Error(`${spec} is not a valid IPv4 CIDR`);
    const size = 2 ** (32 - bits);
    if (size > max) throw new Error(`${spec} has ${size} addresses, more than --max-targets ${max}`);
    const base = ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
    const start = (base & (bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0)) >>> 0;
    for (let i = 0; i < size; i++) {
      const a = (start + i) >>> 0;
      out.push(`${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`);
    }
  }
  return [...new Set(out)];
}
