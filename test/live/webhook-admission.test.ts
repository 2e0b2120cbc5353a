/**
 * `kordon webhook` registered with the real kube-apiserver (Validating- and
 * MutatingWebhookConfiguration with the CA bundle, a loopback URL): objects created through the
 * API are denied, allowed with warnings, or mutated as kordon decides; dry-run requests are
 * marked; the certificate is reloaded when its files change.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, X509Certificate } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { allControls } from '../../src/controls/index.js';
import { startWebhookServer, type WebhookServer } from '../../src/admission/server.js';
import { webhookConfigurations } from '../../src/admission/webhook-config.js';
import { acquireControlPlane, apiRequest, type ControlPlaneInfo } from '../support/controlplane.js';
import { makeCa, makeServingCert } from './webhook-certs.js';
import { ClusterContext } from '../../src/admission/context.js';
import { reviewAdmission } from '../../src/admission/review.js';
import { ApiClient } from '../../src/sources/cluster/client.js';

const RUN = randomBytes(4).toString('hex');
const LABEL = 'kordon.dev/webhook-test';
const NS = `kordon-webhook-${RUN}`;

let cp: ControlPlaneInfo;
let release: () => Promise<void> = async () => {};
let server: WebhookServer;
let dir: string;
let certFile: string;
let keyFile: string;
const log: Array<Record<string, unknown>> = [];
const configs: string[] = [];

function pod(name: string, container: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, labels: { [LABEL]: RUN }, ...extra },
    spec: { automountServiceAccountToken: false, containers: [{ name: 'app', image: 'registry.example.com/app:1.0', ...container }] },
  };
}

function servedCertificate(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, path: '/healthz', rejectUnauthorized: false, agent: false }, (res) => {
      const cert = (res.socket as import('node:tls').TLSSocket).getPeerCertificate();
      res.resume();
      resolve(cert.fingerprint256);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('kordon webhook behind the real API server', { timeout: 10 * 60_000 }, () => {
  before(async () => {
    ({ cp, release } = await acquireControlPlane());
    dir = mkdtempSync(path.join(os.tmpdir(), 'kordon-webhook-'));
    const ca = makeCa(path.join(dir, 'pki'));
    const first = makeServingCert(ca, 'serving-1');
    certFile = path.join(dir, 'tls.crt');
    keyFile = path.join(dir, 'tls.key');
    copyFileSync(first.certFile, certFile);
    copyFileSync(first.keyFile, keyFile);
    server = await startWebhookServer({
      certFile,
      keyFile,
      port: 0,
      host: '127.0.0.1',
      reloadIntervalMs: 200,
      settings: { controls: allControls.filter((c) => c.phases.includes('deploy')), denyOn: 'critical', warnOn: 'medium', mutate: ['KOR-0113'] },
      log: (e) => void log.push(e),
    });
    assert.equal((await apiRequest(cp, 'admin', 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } })).status, 201);
    for (const cfg of webhookConfigurations({ caBundle: readFileSync(ca.caFile, 'utf8'), url: `https://127.0.0.1:${server.port}`, name: `kordon-${RUN}`, objectSelector: { matchLabels: { [LABEL]: RUN } }, timeoutSeconds: 5 })) {
      const plural = cfg['kind'] === 'MutatingWebhookConfiguration' ? 'mutatingwebhookconfigurations' : 'validatingwebhookconfigurations';
      const r = await apiRequest(cp, 'admin', 'POST', `/apis/admissionregistration.k8s.io/v1/${plural}`, cfg);
      assert.equal(r.status, 201, r.text);
      configs.push(`/apis/admissionregistration.k8s.io/v1/${plural}/kordon-${RUN}`);
    }
    // webhook configurations load asynchronously: wait until a privileged pod is refused
    const deadline = Date.now() + 60_000;
    for (;;) {
      const r = await apiRequest(cp, 'admin', 'POST', `/api/v1/namespaces/${NS}/pods?dryRun=All`, pod('probe', { securityContext: { privileged: true } }));
      if (r.status === 403) break;
      assert.ok(Date.now() < deadline, `the webhook was not called within 60 s: ${r.status} ${r.text.slice(0, 200)}`);
      await new Promise((res) => setTimeout(res, 250));
    }
  });
  after(async () => {
    for (const p of configs) await apiRequest(cp, 'admin', 'DELETE', p).catch(() => undefined);
    await server?.close();
    await release();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('denies a privileged pod (critical), naming the control', async () => {
    const r = await apiRequest(cp, 'admin', 'POST', `/api/v1/namespaces/${NS}/pods`, pod('privileged', { securityContext: { privileged: true } }));
    assert.equal(r.status, 403, r.text);
    assert.match(r.body.message, /admission webhook "validate\.kordon\.dev" denied the request: kordon denied Pod "privileged": .*KOR-0003 pss-privileged \(critical\)/);
    assert.equal((await apiRequest(cp, 'admin', 'GET', `/api/v1/namespaces/${NS}/pods/privileged`)).status, 404);
  });

  it('denies a Deployment whose template is privileged', async () => {
    const tpl = pod('x', { securityContext: { privileged: true } });
    const dep = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS, labels: { [LABEL]: RUN } }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: (tpl as any).spec } } };
    const r = await apiRequest(cp, 'admin', 'POST', `/apis/apps/v1/namespaces/${NS}/deployments?dryRun=All`, dep);
    assert.equal(r.status, 403, r.text);
    assert.match(r.body.message, /KOR-0003/);
  });

  it('allows a pod with medium findings, with them as warnings, and mutates what was opted in (KOR-0113)', async () => {
    const r = await apiRequest(cp, 'admin', 'POST', `/api/v1/namespaces/${NS}/pods`, pod('plain', { imagePullPolicy: 'IfNotPresent' }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.spec.containers[0].imagePullPolicy, 'Always', 'the mutating webhook set imagePullPolicy: Always');
    const warnings = String(r.headers['warning'] ?? '');
    assert.match(warnings, /kordon fixed: KOR-0113 image-pull-policy-not-always/);
    assert.match(warnings, /KOR-0107 root-filesystem-writable \(medium\)/);
    // the fixed finding is no longer raised by the validating webhook, which sees the mutated pod
    assert.doesNotMatch(warnings, /KOR-0113 image-pull-policy-not-always \(/);
    await apiRequest(cp, 'admin', 'DELETE', `/api/v1/namespaces/${NS}/pods/plain?gracePeriodSeconds=0`);
  });

  it('an exception annotation on the object lets it in', async () => {
    const r = await apiRequest(cp, 'admin', 'POST', `/api/v1/namespaces/${NS}/pods?dryRun=All`, pod('excepted', { securityContext: { privileged: true } }, { annotations: { 'kordon.dev/ignore': 'KOR-0003', 'kordon.dev/ignore-reason': 'node agent' } }));
    assert.equal(r.status, 201, r.text);
  });

  it('dry-run requests are marked as such in the decision log', async () => {
    const before = log.length;
    const r = await apiRequest(cp, 'admin', 'POST', `/api/v1/namespaces/${NS}/pods?dryRun=All`, pod('dry', {}));
    assert.equal(r.status, 201, r.text);
    const entries = log.slice(before).filter((e) => (e['object'] as { name?: string } | undefined)?.name === 'dry');
    assert.ok(entries.length >= 2, 'both webhooks were called');
    assert.ok(entries.every((e) => e['dryRun'] === true));
    const real = await apiRequest(cp, 'admin', 'POST', `/api/v1/namespaces/${NS}/pods`, pod('real', {}));
    assert.equal(real.status, 201);
    assert.ok(log.filter((e) => (e['object'] as { name?: string } | undefined)?.name === 'real').every((e) => e['dryRun'] === undefined));
    await apiRequest(cp, 'admin', 'DELETE', `/api/v1/namespaces/${NS}/pods/real?gracePeriodSeconds=0`);
  });

  it('serves a new certificate when the files change, without a restart', async () => {
    const beforeFp = await servedCertificate(server.port);
    assert.equal(beforeFp, new X509Certificate(readFileSync(certFile)).fingerprint256);
    const next = makeServingCert({ dir: path.join(dir, 'pki') }, 'serving-2');
    copyFileSync(next.keyFile, keyFile);
    copyFileSync(next.certFile, certFile);
    const want = new X509Certificate(readFileSync(next.certFile)).fingerprint256;
    const deadline = Date.now() + 10_000;
    while ((await servedCertificate(server.port)) !== want) {
      assert.ok(Date.now() < deadline, 'the new certificate was not served within 10 s');
      await new Promise((res) => setTimeout(res, 100));
    }
    // and the API server still reaches the webhook with it (same CA)
    const r = await apiRequest(cp, 'admin', 'POST', `/api/v1/namespaces/${NS}/pods?dryRun=All`, pod('after-reload', { securityContext: { privileged: true } }));
    assert.equal(r.status, 403, r.text);
  });

  it('keeps the cluster context for cross-object controls (a pod takes its ServiceAccount\'s automount setting)', async () => {
    const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'quiet', namespace: NS }, automountServiceAccountToken: false };
    assert.equal((await apiRequest(cp, 'admin', 'POST', `/api/v1/namespaces/${NS}/serviceaccounts`, sa)).status, 201);
    const client = await ApiClient.create({ kubeconfig: cp.adminKubeconfig });
    const context = new ClusterContext(client, 60_000);
    try {
      await context.refresh();
      assert.ok(context.status.loaded);
      assert.deepEqual(context.status.problems, []);
      const settings = { controls: allControls.filter((c) => c.phases.includes('deploy')), denyOn: 'critical' as const, warnOn: 'info' as const };
      const silent = (account: string): Record<string, unknown> => ({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: account, operation: 'CREATE', namespace: NS, object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${account}`, namespace: NS }, spec: { serviceAccountName: account, containers: [{ name: 'app', image: 'registry.example.com/app:1.0' }] } } } });
      const warnings = (account: string, ctx?: ClusterContext): string[] => reviewAdmission(silent(account), 'validate', settings, ctx).review.response.warnings ?? [];
      assert.ok(!warnings('quiet', context).some((w) => w.startsWith('KOR-0108')), 'the ServiceAccount in the context opts out');
      assert.ok(warnings('quiet').some((w) => w.startsWith('KOR-0108')), 'without the context the pod itself must opt out');
      assert.ok(warnings('missing', context).some((w) => w.startsWith('KOR-0108')));
    } finally {
      context.stop();
      client.close();
    }
  });
});
