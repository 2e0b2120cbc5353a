/**
 * A small JSON client for the Kubernetes API on top of @kubernetes/client-node's KubeConfig
 * (which handles kubeconfig loading, client certificates, tokens, exec plugins and TLS).
 * Responses are decoded as plain JSON, exactly as `kubectl get -o json` shows them, so
 * findings from a cluster equal findings from the same objects in files.
 */
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { errnoText } from '../../util/errno.js';

export interface ClusterConnection {
  kubeconfig?: string;
  context?: string;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** Retries on 429, 5xx and connection resets (default 4). */
  retries?: number;
  /** Base backoff (default 250 ms; doubled each retry, honours Retry-After). */
  backoffMs?: number;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly reason: string,
    readonly path: string,
  ) {
    super(message);
  }
}

/** The API server could not be reached at all. */
export class UnreachableError extends Error {}

/** Why a kubeconfig did not load, never from the parser's message (it quotes the file). */
function kubeconfigProblem(err: unknown): string {
  return errnoText(err) ?? 'not a valid kubeconfig (YAML with clusters, users and contexts)';
}

export class ApiClient {
  readonly kc: KubeConfig;
  readonly server: string;
  readonly contextName: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private agentOptions: https.RequestOptions | undefined;
  /** Connections are kept alive and reused across the many list calls of a scan. */
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 16 });
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });

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
    const cluster = this.kc.getCurrentCluster();
    if (!cluster) throw new UnreachableError('the kubeconfig has no current cluster (use --kubeconfig or --context)');
    this.server = cluster.server.replace(/\/+$/, '');
    this.contextName = this.kc.getCurrentContext() || 'default';
    this.timeoutMs = conn.timeoutMs ?? 30_000;
    this.retries = conn.retries ?? 4;
    this.backoffMs = conn.backoffMs ?? 250;
  }

  private async options(): Promise<https.RequestOptions> {
    if (!this.agentOptions) {
      const opts: https.RequestOptions = {};
      await this.kc.applyToHTTPSOptions(opts);
      this.agentOptions = opts;
    }
    return this.agentOptions;
  }

  close(): void {
    this.httpsAgent.destroy();
    this.httpAgent.destroy();
  }

  /** GET a path and decode JSON, with retries and backoff. Throws ApiError / UnreachableError. */
  async getJson<T = unknown>(path: string): Promise<T> {
    let attempt = 0;
    for (;;) {
      try {
        return await this.once<T>(path);
      } catch (err) {
        const retryable =
          (err instanceof ApiError && (err.status === 429 || (err.status !== undefined && err.status >= 500))) ||
          (err instanceof RetryableNetworkError);
        if (!retryable || attempt >= this.retries) {
          if (err instanceof RetryableNetworkError) throw new UnreachableError(err.message);
          throw err;
        }
        const retryAfter = err instanceof ApiError ? (err as ApiError & { retryAfter?: number }).retryAfter : undefined;
        const wait = retryAfter !== undefined ? retryAfter * 1000 : this.backoffMs * 2 ** attempt;
        attempt++;
        await new Promise((r) => setTimeout(r, Math.min(wait, 10_000)));
      }
    }
  }

  private async once<T>(path: string): Promise<T> {
    const base = await this.options();
    const url = new URL(this.server + path);
    const isHttps = url.protocol === 'https:';
    const reqOpts: https.RequestOptions = {
      ...base,
      method: 'GET',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port || (isHttps ? 443 : 80),
      path: url.pathname + url.search,
      headers: { ...(base.headers ?? {}), Accept: 'application/json' },
      timeout: this.timeoutMs,
      agent: base.agent ?? (isHttps ? this.httpsAgent : this.httpAgent),
    };
    return new Promise<T>((resolve, reject) => {
      const req = (isHttps ? https : http).request(reqOpts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => reject(new RetryableNetworkError(`${path}: ${e.message}`)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            try {
              resolve(JSON.parse(text) as T);
            } catch {
              reject(new ApiError(`${path}: the API server answered with invalid JSON`, status, 'BadResponse', path));
            }
            return;
          }
          let reason = res.statusMessage ?? 'error';
          try {
            const body = JSON.parse(text) as { reason?: string };
            if (body.reason) reason = body.reason;
          } catch {
            /* not a Status */
          }
          const e = new ApiError(`${path}: ${status} ${reason}`, status, reason, path) as ApiError & { retryAfter?: number };
          const ra = Number(res.headers['retry-after']);
          if (Number.isFinite(ra) && ra >= 0) e.retryAfter = ra;
          reject(e);
        });
      });
      req.on('timeout', () => req.destroy(new Error(`timed out after ${this.timeoutMs} ms`)));
      req.on('error', (e: NodeJS.ErrnoException) => {
        const fatal = e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' || /certificate|self.signed|SSL|TLS/i.test(e.message);
        if (fatal) reject(new UnreachableError(`cannot reach the API server at ${this.server}: ${e.code ?? ''} ${e.message}`.replace(/\s+/g, ' ')));
        else reject(new RetryableNetworkError(`${path}: ${e.code ?? ''} ${e.message}`));
      });
      req.end();
    });
  }
}

class RetryableNetworkError extends Error {}
