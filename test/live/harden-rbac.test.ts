/**
 * `kordon harden --audit` against the real API server: a service account bound to `edit` and to
 * `cluster-admin` makes real requests with its own token (TokenRequest); the server's audit log
 * (the harness logs every request) is what harden reads. The generated Roles and bindings are
 * then created on the server, the bindings harden calls unnecessary are deleted, and a
 * SubjectAccessReview for every observed request must be allowed, one for a sample of requests
 * it never made must be denied.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { acquireControlPlane, apiRequest, type ControlPlaneInfo } from '../support/controlplane.js';
import { collectionPath } from '../support/apply.js';
import { runCli } from '../support/cli.js';
import type { K8sObject } from '../../src/inventory/types.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-harden-rbac-live-'));
const NS = `harden-rbac-${process.pid}`;
const SA_USER = `system:serviceaccount:${NS}:app`;
const SA_GROUPS = ['system:serviceaccounts', `system:serviceaccounts:${NS}`, 'system:authenticated'];
const ADMIN_BINDING = `${NS}-app-admin`;

let cp: ControlPlaneInfo & { kubeconfigFor(user: string): string };
let release: () => Promise<void> = async () => {};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface AuditLine {
  auditID: string;
  stage: string;
  verb: string;
  requestURI: string;
  user: { username: string };
  objectRef?: { apiGroup?: string; resource: string; subresource?: string; namespace?: string; name?: string };
  responseStatus?: { code: number };
}

interface Account {
  serviceAccount: { namespace: string; name: string };
  roles: K8sObject[];
  bindings: K8sObject[];
  unnecessaryBindings: Array<{ binding: string; action: string; patch?: unknown[] }>;
  proof: { checked: number; denied: string[] };
  pathsClosed?: number;
}

const manifests: K8sObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'app', namespace: NS } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config', namespace: NS }, data: { mode: 'prod' } } as K8sObject,
  { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'app-leader', namespace: NS }, spec: { holderIdentity: 'none' } },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'app', namespace: NS },
    spec: { replicas: 1, selector: { matchLabels: { app: 'app' } }, template: { metadata: { labels: { app: 'app' } }, spec: { serviceAccountName: 'app', containers: [{ name: 'app', image: 'registry.example/app:1.0' }] } } },
  },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'app-edit', namespace: NS }, subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: NS }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' } } as K8sObject,
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: ADMIN_BINDING }, subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: NS }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' } } as K8sObject,
];

async function sar(attrs: { verb: string; group?: string; resource?: string; subresource?: string; namespace?: string; name?: string; path?: string }): Promise<boolean> {
  const spec = attrs.path
    ? { user: SA_USER, groups: SA_GROUPS, nonResourceAttributes: { path: attrs.path, verb: attrs.verb } }
    : { user: SA_USER, groups: SA_GROUPS, resourceAttributes: { verb: attrs.verb, group: attrs.group ?? '', resource: attrs.resource, ...(attrs.subresource ? { subresource: attrs.subresource } : {}), ...(attrs.namespace ? { namespace: attrs.namespace } : {}), ...(attrs.name ? { name: attrs.name } : {}) } };
  const r = await apiRequest(cp, 'admin', 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec });
  assert.equal(r.status, 201, r.text.slice(0, 300));
  return r.body.status.allowed === true;
}

describe('kordon harden --audit: the generated RBAC checked by the real API server', { timeout: 10 * 60_000 }, () => {
  let observed: AuditLine[] = [];
  let account: Account;
  before(async () => {
    const acquired = await acquireControlPlane();
    cp = acquired.cp;
    release = acquired.release;
    for (const o of manifests) {
      const r = await apiRequest(cp, 'admin', 'POST', o.kind === 'Lease' ? `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases` : collectionPath(o), o);
      assert.equal(r.status, 201, `${o.kind} ${o.metadata.name}: ${r.text.slice(0, 300)}`);
    }
    // the account's own token, as the kubelet would mount it
    const tr = await apiRequest(cp, 'admin', 'POST', `/api/v1/namespaces/${NS}/serviceaccounts/app/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: [] } });
    assert.equal(tr.status, 201, tr.text.slice(0, 300));
    const as = { ...cp, credentials: { app: { username: SA_USER, groups: SA_GROUPS, token: tr.body.status.token as string, kubeconfig: '' } } };
    const ids: string[] = [];
    const call = async (method: string, p: string, body?: unknown, contentType?: string): Promise<number> => {
      const r = await apiRequest(as, 'app', method, p, body, contentType ? { contentType } : undefined);
      const id = r.headers['audit-id'];
      if (typeof id === 'string') ids.push(id);
      return r.status;
    };
    // what the application does, several times over
    for (let i = 0; i < 3; i++) {
      assert.equal(await call('GET', `/api/v1/namespaces/${NS}/configmaps/app-config`), 200);
      assert.equal(await call('GET', `/api/v1/namespaces/${NS}/pods`), 200);
      assert.equal(await call('POST', `/api/v1/namespaces/${NS}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `report-${i}` }, data: { n: String(i) } }), 201);
      assert.equal(await call('PATCH', `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases/app-leader`, { spec: { holderIdentity: `app-${i}` } }, 'application/merge-patch+json'), 200);
      assert.equal(await call('GET', `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases/app-leader`), 200);
      assert.equal(await call('GET', '/api/v1/nodes'), 200);
      assert.equal(await call('GET', '/api'), 200);
    }
    // the server writes each request's audit event (blocking mode): wait for all of them
    const want = new Set(ids);
    for (let tries = 0; tries < 100; tries++) {
      observed = [];
      for (const line of readFileSync(cp.auditLogFile, 'utf8').split('\n')) {
        if (!line.includes(SA_USER)) continue;
        try {
          const e = JSON.parse(line) as AuditLine;
          if (e.stage === 'ResponseComplete' && want.has(e.auditID)) observed.push(e);
        } catch {
          /* a line being written */
        }
      }
      if (observed.length === want.size) break;
      await sleep(100);
    }
    assert.equal(observed.length, ids.length, 'every request of the account is in the audit log');
    const dir = path.join(tmp, 'in');
    rmSync(dir, { recursive: true, force: true });
    writeFileSync(path.join(tmp, 'audit.log'), observed.map((e) => JSON.stringify(e)).join('\n') + '\n');
    writeFileSync(path.join(tmp, 'manifests.yaml'), manifests.map((m) => stringify(m)).join('---\n'));
    const r = await runCli(['harden', path.join(tmp, 'manifests.yaml'), '--audit', path.join(tmp, 'audit.log'), '-f', 'json', '-q', '--no-config']);
    assert.equal(r.code, 0, r.err);
    const out = JSON.parse(r.out) as { serviceAccounts: Account[] };
    account = out.serviceAccounts.find((a) => a.serviceAccount.namespace === NS && a.serviceAccount.name === 'app')!;
    assert.ok(account, 'the account in the output');
  });
  after(async () => {
    for (const o of account?.roles ?? []) if (!o.metadata.namespace) await apiRequest(cp, 'admin', 'DELETE', `/apis/rbac.authorization.k8s.io/v1/clusterroles/${o.metadata.name}`);
    for (const o of account?.bindings ?? []) if (!o.metadata.namespace) await apiRequest(cp, 'admin', 'DELETE', `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${o.metadata.name}`);
    await apiRequest(cp, 'admin', 'DELETE', `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${ADMIN_BINDING}`);
    await apiRequest(cp, 'admin', 'DELETE', `/api/v1/namespaces/${NS}`);
    await release();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('calls both existing bindings unnecessary; kordon\'s own proof denies no observed request', () => {
    assert.deepEqual(account.unnecessaryBindings.map((b) => [b.binding, b.action]).sort(), [[`ClusterRoleBinding//${ADMIN_BINDING}`, 'delete'], [`RoleBinding/${NS}/app-edit`, 'delete']]);
    assert.equal(account.proof.denied.length, 0);
  });

  it('the generated Roles and bindings are created by the server; with the old bindings gone, every observed request is allowed (SubjectAccessReview)', async () => {
    for (const o of [...account.roles, ...account.bindings]) {
      const r = await apiRequest(cp, 'admin', 'POST', collectionPath(o), o);
      assert.equal(r.status, 201, `${o.kind} ${o.metadata.name}: ${r.text.slice(0, 400)}`);
    }
    for (const b of account.unnecessaryBindings) {
      const [kind, ns, name] = b.binding.split('/') as [string, string, string];
      const p = kind === 'RoleBinding' ? `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings/${name}` : `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${name}`;
      assert.equal((await apiRequest(cp, 'admin', 'DELETE', p)).status, 200);
    }
    let checked = 0;
    for (const e of observed) {
      const o = e.objectRef;
      const allowed = o
        ? await sar({ verb: e.verb, group: o.apiGroup ?? '', resource: o.resource, ...(o.subresource ? { subresource: o.subresource } : {}), ...(o.namespace ? { namespace: o.namespace } : {}), ...(o.name ? { name: o.name } : {}) })
        : await sar({ verb: e.verb, path: e.requestURI.split('?')[0]! });
      assert.ok(allowed, `observed and allowed before, now denied: ${e.verb} ${e.requestURI}`);
      checked++;
    }
    assert.equal(checked, observed.length);
  });

  it('a sample of requests the account never made is denied (SubjectAccessReview)', async () => {
    const never = [
      { verb: 'get', resource: 'secrets', namespace: NS, name: 'db' },
      { verb: 'list', resource: 'secrets', namespace: NS },
      { verb: 'delete', resource: 'configmaps', namespace: NS, name: 'app-config' },
      { verb: 'update', resource: 'configmaps', namespace: NS, name: 'app-config' },
      { verb: 'get', resource: 'configmaps', namespace: NS, name: 'other' },
      { verb: 'create', resource: 'pods', namespace: NS },
      { verb: 'create', resource: 'pods', subresource: 'exec', namespace: NS, name: 'x' },
      { verb: 'patch', group: 'coordination.k8s.io', resource: 'leases', namespace: NS, name: 'other-leader' },
      { verb: 'delete', resource: 'nodes', name: 'n1' },
      { verb: 'list', resource: 'pods', namespace: 'kube-system' },
      { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'rolebindings', namespace: NS },
      { verb: 'get', path: '/metrics' },
    ];
    for (const a of never) assert.equal(await sar(a), false, JSON.stringify(a));
  });
});
