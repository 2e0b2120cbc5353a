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
import { ClusterContext, CONTEXT_RESOURCES, clusterTransport, type ContextTransport } from '../../src/admission/context.js';
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

  describe('the cluster context is watched', () => {
    const settings = { controls: allControls.filter((c) => c.phases.includes('deploy')), denyOn: 'critical' as const, warnOn: 'info' as const };
    const review = (object: Record<string, unknown>, ctx?: ClusterContext): string[] =>
      reviewAdmission({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: String((object['metadata'] as { name: string }).name), operation: 'CREATE', namespace: NS, object } }, 'validate', settings, ctx).review.response.warnings ?? [];
    const podOf = (account: string): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${account}`, namespace: NS }, spec: { serviceAccountName: account, containers: [{ name: 'app', image: 'registry.example.com/app:1.0' }] } });
    const bindingOf = (role: string): Record<string, unknown> => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `rb-${role}`, namespace: NS }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role }, subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'someone' }] });
    const roleOf = (name: string): Record<string, unknown> => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace: NS }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }] });
    const automount = (w: string[]): boolean => w.some((x) => x.startsWith('KOR-0108'));
    const secrets = (w: string[]): boolean => w.some((x) => x.startsWith('KOR-0202'));
    /** How long until `cond` holds (polling every 10 ms), failing after `limitMs`. */
    async function within(limitMs: number, what: string, cond: () => boolean): Promise<number> {
      const t0 = Date.now();
      while (!cond()) {
        assert.ok(Date.now() - t0 < limitMs, `${what}: not seen within ${limitMs} ms`);
        await new Promise((res) => setTimeout(res, 10));
      }
      return Date.now() - t0;
    }

    it('a new ServiceAccount and a new Role count in the next decisions within 2 s, without listing again', async (t) => {
      const client = await ApiClient.create({ kubeconfig: cp.adminKubeconfig });
      const events: Array<Record<string, unknown>> = [];
      const context = await ClusterContext.forCluster(client, { log: (e) => void events.push(e) });
      try {
        await context.start();
        assert.ok(context.status.loaded);
        assert.deepEqual(context.status.problems, []);
        assert.equal(context.status.lists, CONTEXT_RESOURCES.length);
        assert.ok(automount(review(podOf('quiet'), context)), 'no ServiceAccount yet: the pod itself must opt out');
        assert.ok(automount(review(podOf('quiet'))), 'without the context the pod itself must opt out');
        assert.equal((await apiRequest(cp, 'admin', 'POST', `/api/v1/namespaces/${NS}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'quiet', namespace: NS }, automountServiceAccountToken: false })).status, 201);
        const saMs = await within(2000, 'the ServiceAccount with automount false', () => !automount(review(podOf('quiet'), context)));
        assert.ok(!secrets(review(bindingOf('reader'), context)), 'the Role does not exist yet');
        assert.equal((await apiRequest(cp, 'admin', 'POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${NS}/roles`, roleOf('reader'))).status, 201);
        const roleMs = await within(2000, 'the new Role granting secrets', () => secrets(review(bindingOf('reader'), context)));
        assert.equal((await apiRequest(cp, 'admin', 'DELETE', `/apis/rbac.authorization.k8s.io/v1/namespaces/${NS}/roles/reader`)).status, 200);
        const goneMs = await within(2000, 'the Role deleted', () => !secrets(review(bindingOf('reader'), context)));
        assert.equal(context.status.lists, CONTEXT_RESOURCES.length, 'changes come from the watches, no list was made again');
        assert.deepEqual(context.status.problems, []);
        t.diagnostic(`seen after: ServiceAccount ${saMs} ms, Role ${roleMs} ms, Role deleted ${goneMs} ms`);
      } finally {
        context.stop();
        client.close();
      }
    });

    it('410 Gone lists again; a failed watch is retried after a backoff; both keep the context current', async () => {
      const client = await ApiClient.create({ kubeconfig: cp.adminKubeconfig });
      const real = await clusterTransport(client);
      const injected = { gone: 0, failed: 0 };
      // the real server answers everything; only the first serviceaccounts watch is told its
      // resourceVersion expired (the ERROR event the server sends then) and the first roles watch
      // is refused, as a server that is restarting would
      const transport: ContextTransport = {
        list: (p) => real.list(p),
        watch: async (p, q, onEvent, onDone) => {
          if (p.endsWith('/serviceaccounts') && injected.gone === 0) {
            injected.gone++;
            setTimeout(() => onEvent('ERROR', { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'too old resource version', reason: 'Expired', code: 410 }), 50);
            return { abort: () => setTimeout(() => onDone(undefined), 0) };
          }
          if (p.endsWith('/roles') && injected.failed === 0) {
            injected.failed++;
            throw Object.assign(new Error('Service Unavailable'), { statusCode: 503 });
          }
          return real.watch(p, q, onEvent, onDone);
        },
      };
      const events: Array<Record<string, unknown>> = [];
      const context = new ClusterContext(transport, { log: (e) => void events.push(e), backoffMs: 200 });
      try {
        await context.start();
        await within(2000, 'the list after 410', () => context.status.lists === CONTEXT_RESOURCES.length + 1);
        assert.ok(events.some((e) => e['event'] === 'context watch expired' && e['resource'] === 'serviceaccounts'));
        assert.ok(events.some((e) => e['event'] === 'context watch failed' && e['resource'] === 'roles' && typeof e['retryInMs'] === 'number'));
        assert.equal((await apiRequest(cp, 'admin', 'POST', `/api/v1/namespaces/${NS}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'quiet-2', namespace: NS }, automountServiceAccountToken: false })).status, 201);
        await within(2000, 'a ServiceAccount after the re-list', () => !automount(review(podOf('quiet-2'), context)));
        assert.equal((await apiRequest(cp, 'admin', 'POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${NS}/roles`, roleOf('reader-2'))).status, 201);
        await within(3000, 'a Role after the retried watch', () => secrets(review(bindingOf('reader-2'), context)));
        assert.deepEqual(context.status.problems, []);
        assert.deepEqual(injected, { gone: 1, failed: 1 });
      } finally {
        context.stop();
        client.close();
      }
    });
  });
});
