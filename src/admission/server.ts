/**
 * The webhook's HTTPS server: `/validate` and `/mutate` (AdmissionReview v1), `/healthz` and
 * `/readyz`. The certificate and key are read from files and reloaded when they change (a
 * Secret mounted into the pod is replaced atomically); a request never crashes the server: a
 * malformed review gets a 400 naming what is wrong, an oversized or slow one is cut off.
 */
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { MalformedReview, reviewAdmission, type ReviewContext, type ReviewOutcome, type ReviewSettings } from './review.js';

/** The API server never sends more (its own request limit is 3 MiB). */
export const MAX_REVIEW_BYTES = 3 * 1024 * 1024;

export interface WebhookServerOptions {
  certFile: string;
  keyFile: string;
  port: number;
  host?: string;
  settings: ReviewSettings;
  context?: ReviewContext;
  /** Whether the context is loaded (answers /readyz). */
  ready?: () => boolean;
  /** One line per decision (never object contents). */
  log?: (entry: Record<string, unknown>) => void;
  /** How often the certificate files are checked for changes (ms; default 1000). */
  reloadIntervalMs?: number;
  /** Cut off a request body that has not arrived in this time (ms; default 10,000). */
  requestTimeoutMs?: number;
}

export interface WebhookServer {
  port: number;
  /** Stops accepting, answers the requests in flight, then closes (cut after `graceMs`, default 10 s). */
  close(graceMs?: number): Promise<void>;
  /**
   * Graceful stop: for `ms`, /readyz says 503 (the pod leaves the Service's endpoints) while
   * requests are still answered, each closing its connection; then close().
   */
  drain(ms: number): Promise<void>;
  /** Reloads the certificate now (also done on change). */
  reloadCertificate(): boolean;
}

function sendRaw(res: import('node:http').ServerResponse, code: number, body: string, type = 'application/json', draining = false): void {
  if (res.headersSent) return;
  // while draining, every answer closes its connection: the client opens the next one elsewhere
  res.writeHead(code, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...(draining ? { connection: 'close' } : {}) });
  res.end(body);
}

export async function startWebhookServer(opts: WebhookServerOptions): Promise<WebhookServer> {
  const readPair = (): { cert: Buffer; key: Buffer } => ({ cert: readFileSync(opts.certFile), key: readFileSync(opts.keyFile) });
  const log = opts.log ?? (() => {});
  let draining = false;
  const server = https.createServer({ ...readPair(), requestTimeout: opts.requestTimeoutMs ?? 10_000, headersTimeout: opts.requestTimeoutMs ?? 10_000, keepAliveTimeout: 30_000 }, (req, res) => {
    const send = (r: typeof res, code: number, body: string, type?: string): void => sendRaw(r, code, body, type, draining);
    const url = new URL(req.url ?? '/', 'https://webhook');
    if (req.method === 'GET' && url.pathname === '/healthz') return send(res, 200, 'ok\n', 'text/plain');
    if (req.method === 'GET' && url.pathname === '/readyz') return draining ? send(res, 503, 'draining\n', 'text/plain') : opts.ready && !opts.ready() ? send(res, 503, 'loading the cluster context\n', 'text/plain') : send(res, 200, 'ok\n', 'text/plain');
    const mode = url.pathname === '/validate' ? 'validate' : url.pathname === '/mutate' ? 'mutate' : undefined;
    if (!mode) return send(res, 404, JSON.stringify({ error: `no such path ${url.pathname.slice(0, 100)}; use /validate or /mutate` }));
    if (req.method !== 'POST') return send(res, 405, JSON.stringify({ error: 'use POST' }));
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      if (tooLarge) return;
      size += c.length;
      if (size > MAX_REVIEW_BYTES) {
        tooLarge = true;
        send(res, 413, JSON.stringify({ error: `the AdmissionReview is larger than ${MAX_REVIEW_BYTES} bytes` }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('error', () => {});
    req.on('end', () => {
      if (tooLarge) return;
      const started = process.hrtime.bigint();
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        log({ path: url.pathname, error: 'the body is not JSON' });
        return send(res, 400, JSON.stringify({ error: 'the body is not JSON' }));
      }
      let outcome: ReviewOutcome;
      try {
        outcome = reviewAdmission(body, mode, opts.settings, opts.context);
      } catch (err) {
        if (err instanceof MalformedReview) {
          log({ path: url.pathname, error: `malformed AdmissionReview: ${err.message}` });
          return send(res, 400, JSON.stringify({ error: `malformed AdmissionReview: ${err.message}` }));
        }
        // a bug: answer (the API server applies its failurePolicy) and keep serving
        log({ path: url.pathname, error: `internal error: ${err instanceof Error ? err.message : String(err)}` });
        return send(res, 500, JSON.stringify({ error: 'internal error in kordon (see its log)' }));
      }
      const r = outcome.review.response;
      send(res, 200, JSON.stringify(outcome.review));
      log({
        path: url.pathname,
        uid: r.uid,
        ...(outcome.object ? { object: outcome.object } : {}),
        allowed: r.allowed,
        ...(outcome.dryRun ? { dryRun: true } : {}),
        findings: outcome.findings.filter((f) => !f.suppressed).map((f) => f.controlId),
        ...(r.patch ? { patched: true } : {}),
        ms: Number(process.hrtime.bigint() - started) / 1e6,
      });
    });
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  const reloadCertificate = (): boolean => {
    try {
      server.setSecureContext(readPair());
      log({ event: 'certificate reloaded' });
      return true;
    } catch (err) {
      // a half-written pair: keep serving with the old one until the next change
      log({ event: 'certificate reload failed', error: err instanceof Error ? err.message : String(err) });
      return false;
    }
  };
  const interval = opts.reloadIntervalMs ?? 1000;
  const onChange = (cur: { mtimeMs: number }, prev: { mtimeMs: number }): void => {
    if (cur.mtimeMs !== prev.mtimeMs) reloadCertificate();
  };
  watchFile(opts.certFile, { interval, persistent: false }, onChange);
  watchFile(opts.keyFile, { interval, persistent: false }, onChange);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => resolve());
  });
  const close = (graceMs = 10_000): Promise<void> =>
    new Promise<void>((resolve) => {
      unwatchFile(opts.certFile, onChange);
      unwatchFile(opts.keyFile, onChange);
      // stop accepting; requests in flight are answered (their keep-alive connections then close);
      // whatever is still open after the grace period is cut
      const force = setTimeout(() => server.closeAllConnections(), graceMs);
      force.unref();
      server.close(() => {
        clearTimeout(force);
        resolve();
      });
      server.closeIdleConnections();
    });
  return {
    port: (server.address() as AddressInfo).port,
    reloadCertificate,
    drain: async (ms) => {
      draining = true;
      log({ event: 'draining', ms });
      await new Promise((r) => setTimeout(r, ms));
      await close();
    },
    close,
  };
}
