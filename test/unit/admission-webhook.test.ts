/**
 * The webhook's AdmissionReview handling without the API server: decisions, warnings, fixes,
 * exceptions, and malformed reviews (fast-check: the handler never throws anything but a
 * MalformedReview, the server never crashes and answers every request in time).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { allControls } from '../../src/controls/index.js';
import { MalformedReview, reviewAdmission, SAFE_FIX_CONTROLS, type ReviewSettings } from '../../src/admission/review.js';
import { applyPatch } from '../../src/admission/patch.js';
import { startWebhookServer, type WebhookServer } from '../../src/admission/server.js';
import { anyValue, mutatedObjects, SEED_OBJECTS } from '../support/fuzz.js';
import { makeCa, makeServingCert } from '../live/webhook-certs.js';
import { runCli } from '../support/cli.js';

const controls = allControls.filter((c) => c.phases.includes('deploy'));
const settings: ReviewSettings = { controls, denyOn: 'high', warnOn: 'low', mutate: Object.keys(SAFE_FIX_CONTROLS) };

function review(object: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'u-1', operation: 'CREATE', namespace: 'shop', object, ...extra } };
}

const privileged = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' }, spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1.0', securityContext: { privileged: true } }] } };

describe('AdmissionReview handling', () => {
  it('denies at or above --deny-on with the controls named, warns below', () => {
    const out = reviewAdmission(review(privileged), 'validate', settings).review.response;
    assert.equal(out.uid, 'u-1');
    assert.equal(out.allowed, false);
    assert.equal(out.status?.code, 403);
    assert.match(out.status!.message, /KOR-0003 pss-privileged \(critical\)/);
    assert.ok(out.warnings?.some((w) => /\(medium\)/.test(w)));
    const warnOnly = reviewAdmission(review(privileged), 'validate', { ...settings, warnOnly: true }).review.response;
    assert.equal(warnOnly.allowed, true);
    assert.ok(warnOnly.warnings?.some((w) => w.includes('KOR-0003')));
  });

  it('honours exceptions (annotation and file) and excluded namespaces', () => {
    const annotated = { ...privileged, metadata: { ...privileged.metadata, annotations: { 'kordon.dev/ignore': 'KOR-0003' } } };
    const a = reviewAdmission(review(annotated), 'validate', settings).review.response;
    assert.ok(!a.status?.message.includes('KOR-0003'));
    const file = reviewAdmission(review(privileged), 'validate', { ...settings, exceptions: [{ rule: { controls: ['KOR-0003'], match: { namespace: 'shop' }, reason: 'accepted' }, source: 'x.yaml' }] }).review.response;
    assert.ok(!file.status?.message.includes('KOR-0003'));
    const excluded = reviewAdmission(review(privileged), 'validate', { ...settings, excludeNamespaces: ['shop'] }).review.response;
    assert.deepEqual(excluded, { uid: 'u-1', allowed: true });
  });

  it('mutates only with opted-in safe fixes, as a JSON patch that applies', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' }, spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1.0', imagePullPolicy: 'IfNotPresent' }] } };
    const none = reviewAdmission(review(pod), 'mutate', { ...settings, mutate: [] }).review.response;
    assert.equal(none.patch, undefined);
    const out = reviewAdmission(review(pod), 'mutate', settings).review.response;
    assert.equal(out.allowed, true);
    assert.equal(out.patchType, 'JSONPatch');
    const ops = JSON.parse(Buffer.from(out.patch!, 'base64').toString('utf8'));
    const { applied, result } = applyPatch(pod, ops);
    assert.equal(applied.length, ops.length);
    assert.equal((result as any).spec.containers[0].imagePullPolicy, 'Always');
    assert.equal((result as any).spec.containers[0].securityContext.allowPrivilegeEscalation, false);
    assert.equal((result as any).spec.securityContext?.seccompProfile?.type ?? (result as any).spec.containers[0].securityContext.seccompProfile?.type, 'RuntimeDefault');
    // the fixed object no longer raises the fixed controls
    const again = reviewAdmission(review(result), 'validate', settings).review.response;
    for (const id of ['KOR-0113', 'KOR-0014', 'KOR-0017']) assert.ok(!(again.warnings ?? []).some((w) => w.startsWith(id)), `${id} still raised`);
  });

  it('an update is refused only for what it adds', () => {
    const fine = { ...privileged, spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1.0' }] } };
    const relabelled = { ...privileged, metadata: { ...privileged.metadata, labels: { rev: '2' } } };
    // already privileged: a change of labels goes through, with the finding as a warning
    const kept = reviewAdmission(review(relabelled, { operation: 'UPDATE', oldObject: privileged }), 'validate', settings).review.response;
    assert.equal(kept.allowed, true);
    assert.ok(kept.warnings?.some((w) => w.startsWith('KOR-0003')));
    // made privileged by the update: refused
    const added = reviewAdmission(review(privileged, { operation: 'UPDATE', oldObject: fine }), 'validate', settings).review.response;
    assert.equal(added.allowed, false);
    assert.match(added.status!.message, /KOR-0003/);
  });

  it('deletes, status updates and objects of kinds kordon does not judge are allowed', () => {
    assert.equal(reviewAdmission(review(privileged, { operation: 'DELETE' }), 'validate', settings).review.response.allowed, true);
    assert.equal(reviewAdmission(review(privileged, { operation: 'UPDATE', subResource: 'status' }), 'validate', settings).review.response.allowed, true);
    assert.equal(reviewAdmission(review({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { x: 1 } }), 'validate', settings).review.response.allowed, true);
  });

  it('a malformed review is a MalformedReview naming what is wrong', () => {
    assert.throws(() => reviewAdmission(null, 'validate', settings), /not a JSON object/);
    assert.throws(() => reviewAdmission({ apiVersion: 'admission.k8s.io/v1beta1', kind: 'AdmissionReview', request: {} }, 'validate', settings), /apiVersion must be admission\.k8s\.io\/v1/);
    assert.throws(() => reviewAdmission({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { operation: 'CREATE' } }, 'validate', settings), /request\.uid/);
  });

  it('fuzz: any review either gets a well-formed answer with its uid or a MalformedReview, never another error', () => {
    const objects = fc.oneof(anyValue, mutatedObjects.map((o) => o[0] ?? {}), fc.constantFrom(...SEED_OBJECTS));
    const reviews = fc.record({
      apiVersion: fc.oneof(fc.constant('admission.k8s.io/v1'), anyValue),
      kind: fc.oneof(fc.constant('AdmissionReview'), anyValue),
      request: fc.oneof(
        anyValue,
        fc.record({
          uid: fc.oneof(fc.string({ minLength: 1 }), anyValue),
          operation: fc.oneof(fc.constantFrom('CREATE', 'UPDATE', 'DELETE', 'CONNECT'), anyValue),
          namespace: fc.oneof(fc.constantFrom('shop', 'kube-system', ''), anyValue),
          dryRun: fc.oneof(fc.boolean(), anyValue),
          subResource: fc.oneof(fc.constantFrom('status', 'ephemeralcontainers'), anyValue),
          object: objects,
          oldObject: objects,
        }, { requiredKeys: [] }),
      ),
    }, { requiredKeys: [] });
    fc.assert(
      fc.property(reviews, fc.constantFrom<'validate' | 'mutate'>('validate', 'mutate'), (body, mode) => {
        try {
          const out = reviewAdmission(body, mode, settings);
          assert.equal(out.review.apiVersion, 'admission.k8s.io/v1');
          assert.equal(typeof out.review.response.uid, 'string');
          assert.equal(typeof out.review.response.allowed, 'boolean');
          JSON.stringify(out.review);
        } catch (err) {
          if (!(err instanceof MalformedReview)) throw err;
        }
      }),
      { numRuns: 400, seed: 17 },
    );
  });
});

describe('the webhook server', () => {
  let dir: string;
  let server: WebhookServer;
  let ca: Buffer;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kordon-webhook-unit-'));
    const c = makeCa(path.join(dir, 'pki'));
    const s = makeServingCert(c, 'serving');
    ca = (await import('node:fs')).readFileSync(c.caFile);
    server = await startWebhookServer({ certFile: s.certFile, keyFile: s.keyFile, port: 0, host: '127.0.0.1', settings, requestTimeoutMs: 2000 });
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function post(p: string, body: string | Buffer): Promise<{ status: number; text: string; ms: number }> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const req = https.request({ host: '127.0.0.1', port: server.port, path: p, method: 'POST', ca, servername: 'localhost', agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), ms: Date.now() - started }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it('answers a review, and 400 / 404 / 413 for what is not one; keeps serving', async () => {
    const ok = await post('/validate', JSON.stringify(review(privileged)));
    assert.equal(ok.status, 200);
    assert.equal(JSON.parse(ok.text).response.allowed, false);
    assert.equal((await post('/validate', '{not json')).status, 400);
    const bad = await post('/mutate', JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }));
    assert.equal(bad.status, 400);
    assert.match(bad.text, /request is missing/);
    assert.equal((await post('/other', '{}')).status, 404);
    const big = await post('/validate', Buffer.alloc(4 * 1024 * 1024, 0x20)).catch(() => ({ status: 413, text: '', ms: 0 }));
    assert.equal(big.status, 413);
    assert.equal((await post('/validate', JSON.stringify(review(privileged)))).status, 200);
  });

  it('fuzz: random bodies never crash it and each is answered within the API server timeout', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), anyValue.map((v) => JSON.stringify(v) ?? 'null'), mutatedObjects.map((o) => JSON.stringify(review(o[0])))), async (body) => {
        const r = await post('/validate', body);
        assert.ok([200, 400].includes(r.status), `status ${r.status}: ${r.text.slice(0, 200)}`);
        assert.ok(r.ms < 5000, `took ${r.ms} ms`);
      }),
      { numRuns: 60, seed: 17 },
    );
    assert.equal((await post('/validate', JSON.stringify(review(privileged)))).status, 200);
  });
});

describe('kordon webhook and kordon admission webhooks (CLI)', () => {
  it('refuses unsafe fixes, bad thresholds and missing files as usage errors', async () => {
    const unsafe = await runCli(['webhook', '--cert', 'x', '--key', 'y', '--no-config', '--mutate', 'KOR-0107']);
    assert.equal(unsafe.code, 2);
    assert.match(unsafe.err, /not one kordon applies automatically/);
    assert.equal((await runCli(['webhook', '--cert', 'x', '--key', 'y', '--no-config', '--deny-on', 'huge'])).code, 2);
    assert.equal((await runCli(['webhook', '--cert', 'missing.crt', '--key', 'missing.key', '--no-config'])).code, 2);
  });

  it('writes both configurations with the CA bundle, the paths and the namespaces left alone', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kordon-webhook-cfg-'));
    try {
      const c = makeCa(path.join(dir, 'pki'));
      const r = await runCli(['admission', 'webhooks', '--ca-file', c.caFile, '--service', 'kordon-system/kordon-webhook', '--exclude-namespace', 'kordon-system']);
      assert.equal(r.code, 0, r.err);
      const { parseAllDocuments } = await import('yaml');
      const docs = parseAllDocuments(r.out).map((d) => d.toJS());
      assert.deepEqual(docs.map((d) => d.kind), ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']);
      const v = docs[1].webhooks[0];
      assert.equal(v.clientConfig.service.path, '/validate');
      assert.equal(Buffer.from(v.clientConfig.caBundle, 'base64').toString('utf8'), (await import('node:fs')).readFileSync(c.caFile, 'utf8'));
      assert.deepEqual(v.namespaceSelector.matchExpressions[0].values, ['kordon-system']);
      assert.equal(v.sideEffects, 'None');
      assert.equal((await runCli(['admission', 'webhooks', '--ca-file', c.caFile])).code, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('kordon webhook as a process', () => {
  it('serves, drains on SIGTERM (readiness fails, answers still come, each closing its connection), exits 0', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kordon-webhook-proc-'));
    const { spawn } = await import('node:child_process');
    const { readFileSync } = await import('node:fs');
    const net = await import('node:net');
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as import('node:net').AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const c = makeCa(path.join(dir, 'pki'));
    const s = makeServingCert(c, 'serving');
    const caPem = readFileSync(c.caFile);
    const proc = spawn(process.execPath, [path.resolve('bin/kordon'), 'webhook', '--cert', s.certFile, '--key', s.keyFile, '--port', String(port), '--host', '127.0.0.1', '--no-config', '--drain-seconds', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    proc.stderr!.on('data', (d: Buffer) => (log += d.toString('utf8')));
    const get = (p: string, method = 'GET', body?: string): Promise<{ status: number; connection: string | undefined; text: string }> =>
      new Promise((resolve, reject) => {
        const req = https.request({ host: '127.0.0.1', port, path: p, method, ca: caPem, servername: 'localhost', agent: false, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString('utf8')));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, text }));
        });
        req.on('error', reject);
        req.end(body);
      });
    try {
      const deadline = Date.now() + 20_000;
      while (!(await get('/readyz').then((r) => r.status === 200).catch(() => false))) {
        assert.ok(Date.now() < deadline, `not ready: ${log}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const answer = await get('/validate', 'POST', JSON.stringify(review(privileged)));
      assert.equal(JSON.parse(answer.text).response.allowed, false);
      const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
      proc.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal((await get('/readyz')).status, 503);
      const during = await get('/validate', 'POST', JSON.stringify(review(privileged)));
      assert.equal(during.status, 200);
      assert.equal(during.connection, 'close');
      assert.equal(await exited, 0);
      assert.match(log, /"event":"draining"/);
      assert.match(log, /"event":"stopped"/);
      // the decision log names objects and controls, never values
      assert.doesNotMatch(log, /registry\.example\.com/);
    } finally {
      proc.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
