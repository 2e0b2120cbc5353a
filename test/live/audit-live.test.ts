/**
 * Audit detections on logs written by the real kube-apiserver of the test harness (audit policy
 * RequestResponse for everything): a privileged pod, a pod PodSecurity refuses, an exec, a
 * service-account token bound to that pod reading secrets after a burst of refusals and a new
 * RoleBinding, a ClusterRoleBinding to cluster-admin used through impersonation, an anonymous
 * request. The server decides; kordon must see each of these in what it wrote.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { acquireControlPlane, apiRequest, type ControlPlaneInfo } from '../support/controlplane.js';
import { auditPaths } from '../../src/audit/run.js';
import type { AuditResult } from '../../src/audit/report.js';
import { Inventory } from '../../src/inventory/inventory.js';
import type { K8sObject } from '../../src/inventory/types.js';
import { runCli } from '../support/cli.js';

const sfx = randomBytes(3).toString('hex');
const ns = `kaudit-${sfx}`;
const locked = `kaudit-locked-${sfx}`;
const crbName = `kaudit-${sfx}-admin`;
const impUser = `kaudit-${sfx}-ops`;

let cp: ControlPlaneInfo;
let release: () => Promise<void> = async () => {};
let result: AuditResult;
let tmp: string;
const created: K8sObject[] = [];

const rbac = 'rbac.authorization.k8s.io';

function raw(method: string, urlPath: string, opts: { user?: string; token?: string; impersonate?: string; anonymous?: boolean; body?: unknown } = {}): Promise<{ status: number; body: any }> {
  const url = new URL(urlPath, cp.server);
  const cred = opts.anonymous || opts.token ? undefined : cp.credentials[opts.user ?? 'admin']!;
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (payload) headers['content-type'] = 'application/json';
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.impersonate) headers['impersonate-user'] = opts.impersonate;
  return new Promise((resolve, reject) => {
    const req = https.request(url, {
      method,
      headers,
      ca: readFileSync(cp.caFile),
      ...(cred?.certFile ? { cert: readFileSync(cred.certFile), key: readFileSync(cred.keyFile!) } : {}),
      agent: false,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

async function create(obj: K8sObject, urlPath: string, expect = 201): Promise<any> {
  const r = await raw('POST', urlPath, { body: obj });
  assert.equal(r.status, expect, `${obj.kind} ${obj.metadata.name}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
  if (expect < 300) created.push(obj);
  return r.body;
}

const ours = (r: AuditResult, id: string) =>
  r.detections.filter((d) => d.id === id && (d.objects.some((o) => o.namespace === ns || o.namespace === locked || o.name?.includes(sfx)) || d.actor.username.includes(sfx) || d.actor.username === `system:serviceaccount:${ns}:app`));

describe('audit detections on the real kube-apiserver\'s log', { timeout: 10 * 60_000 }, () => {
  before(async () => {
    const acquired = await acquireControlPlane();
    cp = acquired.cp;
    release = acquired.release;
    tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-audit-live-'));

    await create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, '/api/v1/namespaces');
    await create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: locked, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } }, '/api/v1/namespaces');
    await create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'app', namespace: ns } }, `/api/v1/namespaces/${ns}/serviceaccounts`);
    await create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: ns }, stringData: { password: `live-secret-${sfx}` } } as K8sObject, `/api/v1/namespaces/${ns}/secrets`);
    await create({ apiVersion: `${rbac}/v1`, kind: 'Role', metadata: { name: 'secret-reader', namespace: ns }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }] } as K8sObject, `/apis/${rbac}/v1/namespaces/${ns}/roles`);
    const privPod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'priv', namespace: ns }, spec: { serviceAccountName: 'app', containers: [{ name: 'c', image: 'registry.example/tools:1.0', securityContext: { privileged: true } }], volumes: [{ name: 'root', hostPath: { path: '/' } }] } } as K8sObject;
    const pod = await create(privPod, `/api/v1/namespaces/${ns}/pods`);
    // PodSecurity refuses the same pod in the restricted namespace
    await create({ ...privPod, metadata: { name: 'priv', namespace: locked } }, `/api/v1/namespaces/${locked}/pods`, 403);
    // exec: authorized; the server cannot reach a kubelet (no node), so it answers 400
    const ex = await raw('POST', `/api/v1/namespaces/${ns}/pods/priv/exec?command=sh&container=c&stdout=true`);
    assert.equal(ex.status, 400);
    // a token bound to the pod, as the kubelet would mount it
    const tr = await raw('POST', `/api/v1/namespaces/${ns}/serviceaccounts/app/token`, { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: [], boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'priv', uid: pod.metadata.uid } } } });
    assert.equal(tr.status, 201, JSON.stringify(tr.body));
    const token: string = tr.body.status.token;
    // probing: refused six times
    for (let i = 0; i < 6; i++) assert.equal((await raw('GET', `/api/v1/namespaces/${ns}/secrets/db`, { token })).status, 403);
    await create({ apiVersion: `${rbac}/v1`, kind: 'RoleBinding', metadata: { name: 'app-secrets', namespace: ns }, roleRef: { apiGroup: rbac, kind: 'Role', name: 'secret-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: ns }] } as K8sObject, `/apis/${rbac}/v1/namespaces/${ns}/rolebindings`);
    // the RBAC authorizer's cache follows the new binding within a moment
    let got = 0;
    for (let i = 0; i < 50 && got !== 200; i++) {
      got = (await raw('GET', `/api/v1/namespaces/${ns}/secrets/db`, { token })).status;
      if (got !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(got, 200);
    await create({ apiVersion: `${rbac}/v1`, kind: 'ClusterRoleBinding', metadata: { name: crbName }, roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'User', name: impUser, apiGroup: rbac }] } as K8sObject, `/apis/${rbac}/v1/clusterrolebindings`);
    got = 0;
    for (let i = 0; i < 50 && got !== 200; i++) {
      got = (await raw('GET', '/api/v1/nodes', { impersonate: impUser })).status;
      if (got !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(got, 200);
    assert.equal((await raw('GET', '/version', { anonymous: true })).status, 200);
    // the log is written before each answer (--audit-log-mode=blocking): copy it now
    const log = path.join(tmp, 'audit.log');
    writeFileSync(log, readFileSync(cp.auditLogFile));
    result = await auditPaths([log]);
  });

  after(async () => {
    if (cp) {
      await raw('DELETE', `/apis/${rbac}/v1/clusterrolebindings/${crbName}`).catch(() => {});
      await raw('DELETE', `/api/v1/namespaces/${ns}`).catch(() => {});
      await raw('DELETE', `/api/v1/namespaces/${locked}`).catch(() => {});
    }
    await release();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('reads the server\'s log without problems', () => {
    assert.equal(result.partial, false, JSON.stringify(result.problems.slice(0, 5)));
    assert.ok(result.stats.events > 50);
  });

  it('the privileged pod (KOR-0901) with its host root mount (KOR-0902), by the admin', () => {
    const priv = ours(result, 'KOR-0901').find((d) => d.objects[0]?.namespace === ns);
    assert.ok(priv);
    assert.equal(priv.severity, 'high');
    assert.equal(priv.actor.username, cp.credentials.admin!.username);
    assert.deepEqual(priv.context.details.containers, ['c']);
    assert.deepEqual(ours(result, 'KOR-0902')[0]?.context.details.hostPaths, ['/']);
  });

  it('PodSecurity\'s refusal (KOR-0970) names the policy and the object that would have been created', () => {
    const d = ours(result, 'KOR-0970').find((x) => x.objects[0]?.namespace === locked);
    assert.ok(d);
    assert.match(String(d.context.details.deniedBy), /^PodSecurity restricted:/);
    assert.deepEqual(d.context.details.wouldHave, ['privileged:c']);
    assert.equal(d.objects[0]?.name, 'priv');
    // the refused privileged pod is also KOR-0901, one step lower
    assert.equal(ours(result, 'KOR-0901').find((x) => x.objects[0]?.namespace === locked)?.severity, 'medium');
  });

  it('the exec (KOR-0907), authorized though no kubelet answered', () => {
    const d = ours(result, 'KOR-0907')[0];
    assert.ok(d);
    assert.equal(d.context.details.program, 'sh');
    assert.match(String(d.context.details.outcome), /authorized, then failed \(400\)/);
  });

  it('the service account\'s secret read (KOR-0918) after refusals (KOR-0952), through the new binding (KOR-0950), after the exec into its pod (KOR-0951)', () => {
    const sa = `system:serviceaccount:${ns}:app`;
    assert.ok(ours(result, 'KOR-0918').some((d) => d.actor.username === sa));
    assert.ok(ours(result, 'KOR-0919').some((d) => d.actor.username === sa));
    const burst = ours(result, 'KOR-0952')[0];
    assert.ok(burst, 'denied burst then allowed');
    assert.equal(burst.context.details.denied, 6);
    const use = ours(result, 'KOR-0950').find((d) => d.actor.username === sa);
    assert.ok(use, 'binding then use');
    assert.equal(use.context.details.binding, `RoleBinding/${ns}/app-secrets`);
    const exec = ours(result, 'KOR-0951')[0];
    assert.ok(exec, 'exec then secret read');
    assert.equal(exec.context.details.tokenBoundToPod, true);
    assert.equal(exec.objects[0]?.name, 'priv');
  });

  it('the ClusterRoleBinding to cluster-admin (KOR-0914) and its use through impersonation (KOR-0950)', () => {
    const b = ours(result, 'KOR-0914')[0];
    assert.ok(b);
    assert.deepEqual(b.context.details.subjects, [`User:${impUser}`]);
    const use = result.detections.find((d) => d.id === 'KOR-0950' && d.actor.username === impUser);
    assert.ok(use);
    assert.equal(use.actor.impersonator, cp.credentials.admin!.username);
  });

  it('the anonymous request to /version is allowed (KOR-0906)', () => {
    assert.ok(result.detections.some((d) => d.id === 'KOR-0906' && d.context.details.uri === '/version'));
  });

  it('with the objects as inventory, the cluster-admin binding is critical: it opens a path to cluster-admin', async () => {
    const inv = new Inventory(created.filter((o) => o.kind !== 'Secret').map((object, i) => ({ object, origin: { source: 'live', line: i + 1 } as never })));
    const log = path.join(tmp, 'audit.log');
    const r = await auditPaths([log], { inventory: inv });
    const b = r.detections.find((d) => d.id === 'KOR-0914' && d.objects[0]?.name === crbName);
    assert.equal(b?.severity, 'critical');
    assert.ok((b?.context.opens?.paths ?? 0) > 0);
  });

  it('the CLI says the same, and the secret\'s value appears nowhere', async () => {
    const log = path.join(tmp, 'audit.log');
    for (const format of ['json', 'pretty', 'sarif']) {
      const r = await runCli(['audit', log, '--format', format]);
      assert.equal(r.code, 0, r.err);
      assert.ok(!r.out.includes(`live-secret-${sfx}`));
      assert.ok(!r.out.includes(Buffer.from(`live-secret-${sfx}`).toString('base64')));
    }
    const j = JSON.parse((await runCli(['audit', log, '--format', 'json'])).out);
    assert.ok(j.detections.some((d: { id: string; objects: Array<{ name?: string }> }) => d.id === 'KOR-0914' && d.objects[0]?.name === crbName));
  });
});
