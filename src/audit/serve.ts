/**
 * The audit webhook backend (`kordon audit serve`): the API server posts EventLists
 * (--audit-webhook-config-file); each accepted batch is written to the spool directory and
 * synced before the answer 200, then judged in order; detections are handed on as they come.
 *
 * - TLS always; clients authenticate with a certificate signed by --client-ca and/or a bearer
 *   token from --token-file (compared in constant time). Anything else: 401.
 * - Size limit per request (413), content type JSON (415), POST only (405).
 * - Back-pressure: when the batches waiting to be judged exceed the queue limit, 503 with
 *   Retry-After: the API server's webhook backend retries with back-off; nothing accepted is lost.
 * - On start, batches left in the spool (a crash between 200 and judging) are judged first.
 * - A batch is removed from the spool once judged (kept with keepSpool).
 */
import type { Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promises as fs, mkdirSync } from 'node:fs';
import path from 'node:path';
import { builtin } from '../util/builtins.js';
import type { TLSSocket } from 'node:tls';
import { AuditReader } from '../sources/audit/read.js';
import type { AuditProblem } from '../sources/audit/read.js';
import { AuditAnalyzer, type AnalyzeOptions, type Detection } from './analyze.js';
import type { AuditContext } from './context.js';

export interface ReceiverOptions extends AnalyzeOptions {
  host: string;
  port: number;
  tlsCert: Buffer;
  tlsKey: Buffer;
  /** PEM of the CA whose client certificates are accepted. */
  clientCa?: Buffer;
  /** Accepted bearer tokens. */
  tokens?: string[];
  spoolDir: string;
  /** Largest request body (bytes; default 10 MiB, the API server's default batch limit). */
  maxBody?: number;
  /** Batches waiting to be judged before new ones are refused with 503 (default 1,000). */
  maxQueue?: number;
  keepSpool?: boolean;
  /** Context from an inventory, applied to each detection as it comes. */
  context?: AuditContext;
  onProblem?: (p: AuditProblem) => void;
  /** Called after each batch is judged, with its timings (ms): spool = receive end → 200 sent. */
  onBatch?: (b: { events: number; spoolMs: number; judgeMs: number }) => void;
}

export interface Receiver {
  url: string;
  port: number;
  stats: { batches: number; events: number; rejected: Record<string, number>; detections: number; replayed: number };
  /** Resolves when every accepted batch has been judged. */
  drain(): Promise<void>;
  close(): Promise<void>;
  detections(): Detection[];
}

function tokenMatch(given: string, tokens: readonly Buffer[]): boolean {
  const crypto = builtin('crypto');
  const h = crypto.createHash('sha256').update(given).digest();
  let ok = false;
  for (const t of tokens) if (crypto.timingSafeEqual(h, t)) ok = true;
  return ok;
}

export async function startAuditReceiver(opts: ReceiverOptions): Promise<Receiver> {
  const maxBody = opts.maxBody ?? 10 * 1024 * 1024;
  const maxQueue = opts.maxQueue ?? 1000;
  const tokenHashes = (opts.tokens ?? []).filter(Boolean).map((t) => builtin('crypto').createHash('sha256').update(t).digest());
  if (!opts.clientCa && tokenHashes.length === 0) throw new Error('audit serve needs client authentication: --client-ca and/or --token-file');
  mkdirSync(opts.spoolDir, { recursive: true });
  const stats: Receiver['stats'] = { batches: 0, events: 0, rejected: {}, detections: 0, replayed: 0 };
  const analyzer = new AuditAnalyzer({
    ...opts,
    onDetection: (d) => {
      stats.detections++;
      opts.onDetection?.(opts.context ? opts.context.apply(d) : d);
    },
  });
  const reader = new AuditReader((e) => analyzer.add(e), {});
  const reject = (res: ServerResponse, code: number, why: string, headers: Record<string, string> = {}): void => {
    stats.rejected[why] = (stats.rejected[why] ?? 0) + 1;
    res.writeHead(code, { 'content-type': 'application/json', ...headers });
    res.end(`${JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: why, code })}\n`);
  };

  // the queue of spooled batches, judged one at a time in order
  const queue: string[] = [];
  let seq = 0;
  let working: Promise<void> | undefined;
  let idle: Array<() => void> = [];
  const judgeFile = async (file: string): Promise<void> => {
    const t0 = performance.now();
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch {
      return;
    }
    const before = reader.stats.events;
    const name = path.basename(file);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      opts.onProblem?.({ source: name, code: 'json-syntax', severity: 'error', message: 'the batch is not JSON' });
    }
    if (value !== undefined) reader.judgeValue(value, name, undefined, false);
    for (const p of reader.problems.splice(0)) opts.onProblem?.(p);
    stats.events += reader.stats.events - before;
    if (!opts.keepSpool) await fs.rm(file, { force: true });
    else await fs.rename(file, `${file}.done`).catch(() => {});
    const meta = spoolTimes.get(file);
    spoolTimes.delete(file);
    opts.onBatch?.({ events: reader.stats.events - before, spoolMs: meta ?? 0, judgeMs: performance.now() - t0 });
  };
  const pump = (): void => {
    if (working) return;
    const run = async (): Promise<void> => {
      await Promise.resolve(); // `working` is set before the loop runs
      while (queue.length) await judgeFile(queue.shift()!);
      working = undefined;
      const w = idle;
      idle = [];
      for (const f of w) f();
    };
    working = run();
  };
  const spoolTimes = new Map<string, number>();

  // batches left from an earlier run
  const left = (await fs.readdir(opts.spoolDir)).filter((f) => f.endsWith('.json') && f.startsWith('batch-')).sort();
  for (const f of left) queue.push(path.join(opts.spoolDir, f));
  stats.replayed = left.length;
  pump();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const sock = req.socket as TLSSocket;
    const certOk = opts.clientCa !== undefined && sock.authorized === true;
    const auth = req.headers.authorization;
    const tokenOk = tokenHashes.length > 0 && typeof auth === 'string' && auth.startsWith('Bearer ') && tokenMatch(auth.slice(7).trim(), tokenHashes);
    if (req.method === 'GET' && (req.url === '/healthz' || req.url === '/readyz')) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (!certOk && !tokenOk) return reject(res, 401, 'unauthorized');
    if (req.method !== 'POST') return reject(res, 405, 'method not allowed', { allow: 'POST' });
    const ct = String(req.headers['content-type'] ?? '');
    if (!/^application\/json\b/i.test(ct)) return reject(res, 415, 'content type must be application/json');
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > maxBody) {
      req.resume();
      return reject(res, 413, `request body over ${maxBody} bytes`, { connection: 'close' });
    }
    if (queue.length >= maxQueue) {
      req.resume();
      return reject(res, 503, 'too many batches waiting to be judged', { 'retry-after': '1' });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    for await (const c of req as AsyncIterable<Buffer>) {
      size += c.length;
      if (size > maxBody) {
        over = true;
        break;
      }
      chunks.push(c);
    }
    if (over) return reject(res, 413, `request body over ${maxBody} bytes`, { connection: 'close' });
    const t0 = performance.now();
    const file = path.join(opts.spoolDir, `batch-${Date.now().toString().padStart(15, '0')}-${String(seq++).padStart(9, '0')}.json`);
    const tmp = `${file}.tmp`;
    try {
      const fh = await fs.open(tmp, 'w');
      try {
        await fh.write(Buffer.concat(chunks));
        await fh.datasync(); // the content on disk (fdatasync: no wait for the inode times)
      } finally {
        await fh.close();
      }
      await fs.rename(tmp, file);
    } catch (err) {
      await fs.rm(tmp, { force: true }).catch(() => {});
      return reject(res, 503, `cannot spool the batch: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { 'retry-after': '5' });
    }
    stats.batches++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}\n');
    spoolTimes.set(file, performance.now() - t0);
    queue.push(file);
    pump();
  };

  const server: Server = builtin('https').createServer(
    {
      cert: opts.tlsCert,
      key: opts.tlsKey,
      ...(opts.clientCa ? { ca: opts.clientCa, requestCert: true, rejectUnauthorized: false } : {}),
      minVersion: 'TLSv1.2',
    },
    (req, res) => {
      handle(req, res).catch(() => {
        if (!res.headersSent) reject(res, 500, 'internal error');
        else res.destroy();
      });
    },
  );
  server.requestTimeout = 60_000;
  server.headersTimeout = 15_000;
  await new Promise<void>((resolve, rejectStart) => {
    server.once('error', rejectStart);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const drain = (): Promise<void> => (working || queue.length ? new Promise<void>((r) => { idle.push(r); pump(); }) : Promise.resolve());
  return {
    url: `https://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`,
    port,
    stats,
    drain,
    close: async () => {
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await closed;
      await drain();
    },
    detections: () => analyzer.detections(),
  };
}
