/**
 * A small JSON client for the Kubernetes API on top of @kubernetes/client-node's KubeConfig
 * (which handles kubeconfig loading, client certificates, tokens, exec plugins and TLS).
 * Responses are decoded as plain JSON, exactly as `kubectl get -o json` shows them, so
 * findings from a cluster equal findings from the same objects in files.
 *
 * Every request is bounded: `timeoutMs` is the most one request may take from connecting to
 * its last byte (a server that trickles bytes is cut off like a silent one), and a body may be
 * at most `maxBodyBytes` long. What goes wrong is one of three errors:
 * - ApiError: this request failed (an HTTP error status, an answer that is not JSON, a timeout,
 *   a connection reset or a body cut short, after the retries); the caller decides whether the
 *   read goes on (a list call becomes a coverage gap);
 * - UnreachableError: the API server cannot be used at all (no kubeconfig, connection refused,
 *   unknown host, TLS failure); the CLI exits 4 with its one-line message.
 * Messages name the kubeconfig context and the server, never credentials: the userinfo of a
 * server URL (`https://user:password@host`) is taken out wherever the server is named.
 */
import type http from 'node:http';
import type https from 'node:https';
import { builtin } from '../../util/builtins.js';
import type { KubeConfig } from '@kubernetes/client-node';
import { errnoText } from '../../util/errno.js';

export interface ClusterConnection {
  kubeconfig?: string;
  context?: string;
  /** The most one request may take, from connecting to its last byte (default 30 s). */
  timeoutMs?: number;
  /** Retries on 429, 5xx, connection resets and bodies cut short (default 4). */
  retries?: number;
  /** Base backoff (default 250 ms; doubled each retry, honours Retry-After). */
  backoffMs?: number;
  /** The largest response body read (default 256 MiB). */
  maxBodyBytes?: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024 * 1024;

/** One request failed. `status` is the HTTP status, undefined when there was no complete answer. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    /** The Status reason (`Forbidden`), or what went wrong without one: `BadResponse`, `Timeout`, `ConnectionReset`, `TooLarge`. */
    readonly reason: string,
    readonly path: string,
  ) {
    super(message);
  }
}

/** The API server could not be used at all. */
export class UnreachableError extends Error {}

/** Why a kubeconfig did not load, never from the parser's message (it quotes the file). */
function kubeconfigProblem(err: unknown): string {
  return errnoText(err) ?? 'not a valid kubeconfig (YAML with clusters, users and contexts)';
}

/**
 * A server URL as it may be shown: without userinfo (`https://user:pw@host` → `https://host`)
 * and without a trailing slash. Also for text that is no valid URL.
 */
export function displayServer(server: string): string {
  return server.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/?#]*@/i, '$1').replace(/\/+$/, '');
}

/** What a failed connection says, in words (the code kept for searching). */
function networkText(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'connection refused (ECONNREFUSED)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `unknown host (${e.code})`;
    case 'ECONNRESET':
      return 'connection reset (ECONNRESET)';
    case 'EPIPE':
      return 'connection closed (EPIPE)';
    case 'ETIMEDOUT':
      return 'connection timed out (ETIMEDOUT)';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `no route to the host (${e.code})`;
  }
  // OpenSSL's text (`write EPROTO 80...:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:...`): its reason
  const ssl = /SSL routines:[^:]*:([^:]+)/.exec(String(e.message ?? ''));
  if (ssl) return ssl[1] === 'wrong version number' ? `TLS handshake failed: the server does not speak TLS on this port (is it http://?) (${e.code ?? 'EPROTO'})` : `TLS handshake failed: ${ssl[1]} (${e.code ?? 'EPROTO'})`;
  const first = String(e.message ?? '').split('\n')[0]!.trim().replace(/:\s*$/, '');
  return (e.code ? `${first} (${e.code})` : first) || 'connection failed';
}

function isTlsError(e: NodeJS.ErrnoException): boolean {
  return /CERT|SSL|TLS|SELF_SIGNED|EPROTO|UNABLE_TO|ALTNAME/i.test(e.code ?? '') || /certificate|self.signed|SSL|TLS|alert/i.test(e.message ?? '');
}

/** Fatal connection errors: the server cannot be used at all, a retry would not help. */
function isFatalNetworkError(e: NodeJS.ErrnoException): boolean {
  return e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' || e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH' || isTlsError(e);
}

export class ApiClient {
  readonly kc: KubeConfig;
  /** The server as it may be shown (no userinfo). */
  readonly server: string;
  readonly contextName: string;
  private readonly url: URL;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly maxBodyBytes: number;
  private agentOptions: https.RequestOptions | undefined;
  /** Connections are kept alive and reused across the many list calls of a scan. */
  private readonly httpsAgent = new (builtin('https').Agent)({ keepAlive: true, maxSockets: 16 });
  private readonly httpAgent = new (builtin('http').Agent)({ keepAlive: true, maxSockets: 16 });

  /** Loads the kubeconfig (the Kubernetes client is imported only when a cluster is used). */
  static async create(conn: ClusterConnection = {}): Promise<ApiClient> {
    const { KubeConfig } = await import('@kubernetes/client-node');
    return new ApiClient(new KubeConfig(), conn);
  }

  private constructor(kc: KubeConfig, conn: ClusterConnection) {
    this.kc = kc;
    try {
      if (conn.kubeconfig) this.kc.loadFromFile(conn.kubeconfig);
      else this.kc.loadFromDefault();
    } catch (err) {
      // a missing, unreadable or malformed kubeconfig: say which file and why, never quote it
      // (it holds credentials, and parser messages show the text around the error)
      const where = conn.kubeconfig ?? process.env['KUBECONFIG'] ?? '~/.kube/config';
      throw new UnreachableError(`cannot load the kubeconfig ${where}: ${kubeconfigProblem(err)}`);
    }
    if (conn.context) {
      if (!this.kc.getContextObject(conn.context)) throw new UnreachableError(`context "${conn.context}" is not in the kubeconfig`);
      this.kc.setCurrentContext(conn.context);
    }
    this.contextName = this.kc.getCurrentContext() || 'default';
    const cluster = this.kc.getCurrentCluster();
    if (!cluster) throw new UnreachableError(`context "${this.contextName}": the kubeconfig names no cluster for it (use --kubeconfig or --context)`);
    const raw = typeof cluster.server === 'string' ? cluster.server.trim() : '';
    this.server = displayServer(raw);
    let url: URL | undefined;
    try {
      url = new URL(raw.replace(/\/+$/, ''));
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname) {
      throw new UnreachableError(`context "${this.contextName}": the server ${raw ? `"${this.server}"` : '(empty)'} is not a valid https:// URL`);
    }
    // userinfo is never sent (the kubeconfig's user says how to authenticate), nor shown
    url.username = '';
    url.password = '';
    this.url = url;
    this.timeoutMs = conn.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retries = conn.retries ?? 4;
    this.backoffMs = conn.backoffMs ?? 250;
    this.maxBodyBytes = conn.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  }

  /** `context "x", server https://host:6443`: how messages name the cluster. */
  get where(): string {
    return `context "${this.contextName}", server ${this.server}`;
  }

  private async options(): Promise<https.RequestOptions> {
    if (!this.agentOptions) {
      const opts: https.RequestOptions = {};
      try {
        await this.kc.applyToHTTPSOptions(opts);
      } catch (err) {
        // certificate files that cannot be read, an exec plugin that fails, plain http without
        // insecure-skip-tls-verify: the user of the context cannot be used
        const why = errnoText(err) ?? credentialProblem(err);
        throw new UnreachableError(`cannot use the credentials of the kubeconfig (${this.where}): ${why}`);
      }
      this.agentOptions = opts;
    }
    return this.agentOptions;
  }

  close(): void {
    this.httpsAgent.destroy();
    this.httpAgent.destroy();
    const agent = this.agentOptions?.agent;
    if (agent && typeof (agent as http.Agent).destroy === 'function') (agent as http.Agent).destroy();
  }

  /** GET a path and decode JSON, with retries and backoff. Throws ApiError / UnreachableError. */
  async getJson<T = unknown>(path: string): Promise<T> {
    let attempt = 0;
    for (;;) {
      try {
        return await this.once<T>(path);
      } catch (err) {
        const retryable = err instanceof ApiError && (err.status === 429 || (err.status !== undefined && err.status >= 500) || err.reason === 'ConnectionReset');
        if (!retryable || attempt >= this.retries) throw err;
        const retryAfter = (err as ApiError & { retryAfter?: number }).retryAfter;
        const wait = retryAfter !== undefined ? retryAfter * 1000 : this.backoffMs * 2 ** attempt;
        attempt++;
        await new Promise((r) => setTimeout(r, Math.min(wait, 10_000)));
      }
    }
  }

  private async once<T>(path: string): Promise<T> {
    const base = await this.options();
    const url = new URL(this.url.pathname.replace(/\/+$/, '') + path, this.url);
    const isHttps = url.protocol === 'https:';
    const reqOpts: https.RequestOptions = {
      ...base,
      method: 'GET',
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || (isHttps ? 443 : 80),
      path: url.pathname + url.search,
      headers: { ...(base.headers ?? {}), Accept: 'application/json' },
      timeout: this.timeoutMs,
      agent: base.agent ?? (isHttps ? this.httpsAgent : this.httpAgent),
    };
    const seconds = `${Math.round(this.timeoutMs / 100) / 10} s`;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        fn();
      };
      const fail = (e: Error): void => settle(() => reject(e));
      const req = (isHttps ? builtin('https') : builtin('http')).request(reqOpts, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > this.maxBodyBytes) {
            fail(new ApiError(`${path}: the answer is larger than ${this.maxBodyBytes} bytes`, undefined, 'TooLarge', path));
            req.destroy();
            return;
          }
          chunks.push(c);
        });
        res.on('aborted', () => fail(new ApiError(`${path}: the connection was closed before the whole answer arrived`, undefined, 'ConnectionReset', path)));
        res.on('error', () => fail(new ApiError(`${path}: the connection was closed before the whole answer arrived`, undefined, 'ConnectionReset', path)));
        res.on('end', () => {
          if (settled) return;
          if (!res.complete) {
            fail(new ApiError(`${path}: the connection was closed before the whole answer arrived`, undefined, 'ConnectionReset', path));
            return;
          }
          const status = res.statusCode ?? 0;
          let text: string;
          try {
            text = Buffer.concat(chunks).toString('utf8');
          } catch {
            fail(new ApiError(`${path}: the answer is too large to decode`, undefined, 'TooLarge', path));
            return;
          }
          if (status >= 200 && status < 300) {
            let value: T;
            try {
              value = JSON.parse(text) as T;
            } catch {
              fail(new ApiError(`${path}: the answer is not JSON`, status, 'BadResponse', path));
              return;
            }
            settle(() => resolve(value));
            return;
          }
          let reason = res.statusMessage || 'Error';
          try {
            const body = JSON.parse(text) as { reason?: unknown };
            if (typeof body?.reason === 'string' && /^[A-Za-z]{1,64}$/.test(body.reason)) reason = body.reason;
          } catch {
            /* not a Status */
          }
          reason = reason.replace(/[^\x20-\x7e]/g, '').slice(0, 80) || 'Error';
          const e = new ApiError(`${path}: ${status} ${reason}`, status, reason, path) as ApiError & { retryAfter?: number };
          const ra = Number(res.headers['retry-after']);
          if (res.headers['retry-after'] !== undefined && Number.isFinite(ra) && ra >= 0) e.retryAfter = ra;
          fail(e);
        });
      });
      // the whole request, not only silence, is bounded: a server trickling bytes is cut off too
      const deadline = setTimeout(() => {
        fail(new ApiError(`${path}: no complete answer within ${seconds}`, undefined, 'Timeout', path));
        req.destroy();
      }, this.timeoutMs);
      req.on('timeout', () => {
        fail(new ApiError(`${path}: no answer for ${seconds}`, undefined, 'Timeout', path));
        req.destroy();
      });
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (settled) return;
        if (isFatalNetworkError(e)) {
          const text = networkText(e);
          fail(new UnreachableError(`cannot reach the API server (${this.where}): ${isTlsError(e) && !/^(TLS|SSL)/i.test(text) ? 'TLS: ' : ''}${text}`));
        }
        else fail(new ApiError(`${path}: ${networkText(e)}`, undefined, 'ConnectionReset', path));
      });
      req.end();
    });
  }
}

/** Why the kubeconfig's user could not be used, without quoting anything that may be secret. */
function credentialProblem(err: unknown): string {
  const msg = String((err as Error)?.message ?? '');
  if (/HTTP protocol is not allowed/.test(msg)) return 'an http:// server needs insecure-skip-tls-verify: true';
  if (/proxy/i.test(msg)) return 'the proxy-url is not supported';
  if (/exec|command/i.test(msg)) return 'the exec credential plugin failed';
  return 'its certificate, key or credential plugin could not be used';
}
