/**
 * The audit webhook receiver's guards: token and client-certificate authentication, method,
 * content type and size limits, back-pressure (503 + Retry-After), and batches left in the spool
 * by an earlier run judged at start. (The real kube-apiserver posting to it:
 * test/live/audit-webhook.test.ts.)
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeWebhookPki, type WebhookPki } from '../support/audit-webhook.js';
import { startAuditReceiver, type Receiver, type ReceiverOptions } from '../../src/audit/serve.js';
import type { Detection } from '../../src/audit/analyze.js';

let tmp: string;
let pki: WebhookPki;
const TOKEN = 'a-long-random-token-for-the-apiserver';

const event = (id: string, extra: object = {}): object => ({
  kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Request', auditID: id, stage: 'ResponseComplete', verb: 'create',
  requestURI: '/api/v1/namespaces/shop/pods', user: { username: 'jane', groups: ['system:authenticated'] },
  objectRef: { resource: 'pods', namespace: 'shop', name: 'p', apiVersion: 'v1' }, responseStatus: { metadata: {}, code: 201 },
  requestObject: { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'p', namespace: 'shop' }, spec: { containers: [{ name: 'c', image: 'x:1', securityContext: { privileged: true } }] } },
  requestReceivedTimestamp: '2026-12-07T04:20:00.000000Z', stageTimestamp: '2026-12-07T04:20:00.000000Z', ...extra,
});
const list = (...items: object[]): string => JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items });

function post(r: Receiver, body: string, opts: { token?: string; cert?: boolean; contentType?: string; method?: string } = {}): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${r.url}/audit`, {
      method: opts.method ?? 'POST',
      ca: readFileSync(pki.ca),
      ...(opts.cert ? { cert: readFileSync(pki.clientCert), key: readFileSync(pki.clientKey) } : {}),
      headers: { 'content-type': opts.contentType ?? 'application/json', ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) },
      agent: false,
    }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(opts.method === 'GET' ? undefined : body);
  });
}

async function receiver(extra: Partial<ReceiverOptions> = {}, seen: Detection[] = []): Promise<Receiver> {
  return startAuditReceiver({
    host: '127.0.0.1', port: 0, tlsCert: readFileSync(pki.serverCert), tlsKey: readFileSync(pki.serverKey),
    clientCa: readFileSync(pki.ca), tokens: [TOKEN], spoolDir: mkdtempSync(path.join(tmp, 'spool-')),
    onDetection: (d) => void seen.push(d), ...extra,
  });
}

describe('audit webhook receiver', () => {
  before(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-audit-serve-'));
    pki = makeWebhookPki(path.join(tmp, 'pki'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('accepts a batch with a token or a client certificate, judges it, and empties the spool', async () => {
    const seen: Detection[] = [];
    const r = await receiver({}, seen);
    try {
      assert.equal((await post(r, list(event('a')), { token: TOKEN })).status, 200);
      assert.equal((await post(r, list(event('b')), { cert: true })).status, 200);
      // the API server resends a batch after a timeout: the duplicate is not counted twice
      assert.equal((await post(r, list(event('b')), { cert: true })).status, 200);
      await r.drain();
      assert.equal(r.stats.events, 2);
      assert.deepEqual(seen.map((d) => d.id).filter((id) => id === 'KOR-0901'), ['KOR-0901']);
      assert.equal(r.detections().find((d) => d.id === 'KOR-0901')?.context.count, 2);
    } finally {
      await r.close();
    }
  });

  it('refuses the unauthenticated, a wrong token, other methods, other content types and oversized bodies', async () => {
    const r = await receiver({ maxBody: 2048 });
    try {
      assert.equal((await post(r, list(event('a')))).status, 401);
      assert.equal((await post(r, list(event('a')), { token: 'wrong' })).status, 401);
      assert.equal((await post(r, '', { token: TOKEN, method: 'PUT' })).status, 405);
      assert.equal((await post(r, list(event('a')), { token: TOKEN, contentType: 'text/plain' })).status, 415);
      const big = list(...Array.from({ length: 20 }, (_, i) => event(`big-${i}`)));
      assert.ok(big.length > 2048);
      assert.equal((await post(r, big, { token: TOKEN })).status, 413);
      assert.equal(r.stats.batches, 0);
      assert.deepEqual(Object.keys(r.stats.rejected).length, 4);
    } finally {
      await r.close();
    }
  });

  it('back-pressure: a full queue answers 503 with Retry-After, and nothing is spooled', async () => {
    const r = await receiver({ maxQueue: 0 });
    try {
      const res = await post(r, list(event('a')), { token: TOKEN });
      assert.equal(res.status, 503);
      assert.equal(res.headers['retry-after'], '1');
      assert.equal(r.stats.batches, 0);
    } finally {
      await r.close();
    }
  });

  it('batches left in the spool by an earlier run are judged at start', async () => {
    const spool = path.join(tmp, 'left');
    mkdirSync(spool);
    writeFileSync(path.join(spool, 'batch-000000000000001-000000000.json'), list(event('left-1')));
    const seen: Detection[] = [];
    const r = await receiver({ spoolDir: spool }, seen);
    try {
      await r.drain();
      assert.equal(r.stats.replayed, 1);
      assert.ok(seen.some((d) => d.id === 'KOR-0901'));
      assert.deepEqual(readdirSync(spool), []);
    } finally {
      await r.close();
    }
  });

  it('needs client authentication', async () => {
    await assert.rejects(startAuditReceiver({ host: '127.0.0.1', port: 0, tlsCert: readFileSync(pki.serverCert), tlsKey: readFileSync(pki.serverKey), spoolDir: path.join(tmp, 'x') }), /client authentication/);
  });
});
