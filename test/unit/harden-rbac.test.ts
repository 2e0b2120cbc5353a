/**
 * `kordon harden --audit`: RBAC per service account from audit logs, on test/corpus/harden7/rbac
 * (a web front end exposed by a LoadBalancer whose account is bound to cluster-admin, a worker
 * bound to edit together with a group, 30 hours of requests, a refused request, a cut line).
 * The generated roles are checked with kordon's authorizer here; test/live/harden-rbac.test.ts
 * checks them with the real API server (SubjectAccessReview).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../support/cli.js';
import { Inventory } from '../../src/inventory/inventory.js';
import type { K8sObject } from '../../src/inventory/types.js';
import { RbacIndex } from '../../src/rbac/model.js';
import { authorize } from '../../src/rbac/authorize.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CORPUS = path.resolve(HERE, '../corpus/harden7/rbac');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-harden-rbac-'));

interface Account {
  serviceAccount: { namespace: string; name: string };
  requests: number;
  denied: number;
  workloads: Array<{ name: string }>;
  roles: Array<K8sObject & { rules: Array<{ apiGroups?: string[]; resources?: string[]; resourceNames?: string[]; nonResourceURLs?: string[]; verbs: string[] }> }>;
  bindings: Array<K8sObject & { subjects: unknown[]; roleRef: { kind: string; name: string } }>;
  unnecessaryBindings: Array<{ binding: string; role: string; action: string; patch?: Array<{ op: string; path: string }>; pathsClosed?: number; used: string[] }>;
  proof: { checked: number; denied: string[] };
  pathsClosed?: number;
  thin: boolean;
  notes: string[];
}
interface Out {
  workloads: Array<{ workload: { name: string }; rbac: { roles: unknown[]; bindings: unknown[]; status: string; serviceAccount?: string; pathsClosed?: number } }>;
  serviceAccounts: Account[];
  plan: Array<{ rank: number; workload: { kind: string; name: string }; effort: string; pathsClosed?: number; changes: string[] }>;
  problems: Array<{ source: string; line?: number; message: string }>;
  partial: boolean;
}

let json: Out;
let raw: string;
let code: number;
const account = (name: string): Account => {
  const a = json.serviceAccounts.find((x) => x.serviceAccount.name === name);
  assert.ok(a, `account ${name}`);
  return a;
};

before(async () => {
  const r = await runCli(['harden', path.join(CORPUS, 'manifests.yaml'), '--audit', path.join(CORPUS, 'audit.log'), '-f', 'json', '--out', path.join(tmp, 'out'), '-q', '--no-config']);
  raw = r.out;
  code = r.code;
  json = JSON.parse(r.out) as Out;
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('kordon harden --audit', () => {
  it('reports the cut line of the log by file and line and still computes everything else (exit 3)', () => {
    assert.equal(code, 3);
    assert.equal(json.partial, true);
    const p = json.problems.find((x) => x.source.endsWith('audit.log'));
    assert.ok(p && p.line === 304, JSON.stringify(json.problems));
    // kube-system's controllers (permissions from the bootstrap policy, no binding in the input) are not judged
    assert.ok(!json.serviceAccounts.some((a) => a.serviceAccount.namespace === 'kube-system'));
    assert.equal(json.serviceAccounts.length, 3);
  });

  it('writes a Role with exactly the observed requests, resourceNames only where stable', () => {
    const web = account('web');
    assert.equal(web.requests, 60);
    assert.deepEqual(web.roles.map((r) => `${r.kind}/${r.metadata.namespace ?? ''}/${r.metadata.name}`), ['Role/shop/kordon-harden:shop:web']);
    assert.deepEqual(web.roles[0]!.rules, [
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['web-config'], verbs: ['get'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['watch'] },
    ]);
    const worker = account('worker');
    const role = worker.roles.find((r) => r.kind === 'Role')!;
    const rules = role.rules.map((r) => `${r.verbs.join(',')} ${r.apiGroups![0]}/${r.resources!.join(',')}${r.resourceNames ? ` ${r.resourceNames.join(',')}` : ''}`).sort();
    // pods/log of five generated pod names: no names; the lease: the same name every time
    assert.deepEqual(rules, ['create batch/jobs', 'get /pods/log', 'get,update coordination.k8s.io/leases worker-leader', 'list /pods']);
    const cluster = worker.roles.find((r) => r.kind === 'ClusterRole')!;
    // /api is readable by every authenticated identity: no rule; /metrics is not
    assert.deepEqual(cluster.rules, [{ apiGroups: [''], resources: ['nodes'], verbs: ['list'] }, { nonResourceURLs: ['/metrics'], verbs: ['get'] }]);
    assert.ok(worker.notes.some((n) => /no resourceNames for get pods\/log/.test(n)));
    // the refused request is said, never granted
    assert.equal(worker.denied, 1);
    assert.ok(worker.notes.some((n) => /refused \(403\).*get secrets in shop/.test(n)));
    assert.ok(!JSON.stringify(worker.roles).includes('secrets'));
  });

  it('binds the roles to the account', () => {
    for (const a of json.serviceAccounts) {
      assert.equal(a.bindings.length, a.roles.length);
      for (const b of a.bindings) {
        assert.deepEqual(b.subjects, [{ kind: 'ServiceAccount', name: a.serviceAccount.name, namespace: a.serviceAccount.namespace }]);
        assert.ok(a.roles.some((r) => r.kind === b.roleRef.kind && r.metadata.name === b.roleRef.name && (r.metadata.namespace ?? '') === (b.metadata.namespace ?? '')));
      }
    }
  });

  it('every observed request is allowed by the new roles alone (kordon authorizer), and others are not', () => {
    const objects = json.serviceAccounts.flatMap((a) => [...a.roles, ...a.bindings]);
    const index = new RbacIndex(undefined, new Inventory(objects.map((object) => ({ object, origin: { source: 't', documentIndex: 0, itemPointer: '', line: 0, column: 0 } }))).objects);
    const worker = { user: 'system:serviceaccount:shop:worker', groups: ['system:serviceaccounts', 'system:serviceaccounts:shop', 'system:authenticated'] };
    // every line of the log, decided again
    let checked = 0;
    for (const line of readFileSync(path.join(CORPUS, 'audit.log'), 'utf8').split('\n')) {
      let e: { verb: string; user: { username: string; groups: string[] }; objectRef?: { apiGroup?: string; resource: string; subresource?: string; namespace?: string; name?: string }; requestURI: string; responseStatus: { code: number } };
      try {
        e = JSON.parse(line);
      } catch {
        continue;
      }
      const attrs = e.objectRef
        ? { user: e.user.username, groups: e.user.groups, verb: e.verb, apiGroup: e.objectRef.apiGroup ?? '', resource: e.objectRef.resource, ...(e.objectRef.subresource ? { subresource: e.objectRef.subresource } : {}), namespace: e.objectRef.namespace ?? '', ...(e.objectRef.name ? { name: e.objectRef.name } : {}) }
        : { user: e.user.username, groups: e.user.groups, verb: e.verb, path: e.requestURI };
      if (!e.objectRef && (e.requestURI === '/api')) continue; // granted to everyone by the bootstrap policy
      if (!e.user.username.startsWith('system:serviceaccount:shop:')) continue; // kube-system's controller: not judged
      checked++;
      assert.equal(authorize(index, attrs).allowed, e.responseStatus.code !== 403, `${e.user.username} ${e.verb} ${e.requestURI}`);
    }
    assert.ok(checked > 250);
    for (const [verb, resource, name, group] of [['get', 'secrets', 'db', ''], ['delete', 'pods', 'x', ''], ['update', 'leases', 'other-leader', 'coordination.k8s.io'], ['create', 'pods', '', ''], ['get', 'configmaps', 'web-config', '']] as const)
      assert.equal(authorize(index, { ...worker, verb, apiGroup: group, resource, namespace: 'shop', ...(name ? { name } : {}) }).allowed, false, `${verb} ${resource} ${name}`);
    assert.equal(account('worker').proof.denied.length, 0);
    assert.ok(account('worker').proof.checked >= 6);
  });

  it('names the bindings that become unnecessary, ranked by the attack paths they remove', () => {
    const web = account('web');
    assert.deepEqual(web.unnecessaryBindings.map((b) => [b.binding, b.role, b.action]), [['ClusterRoleBinding//web-operator', 'ClusterRole//cluster-admin', 'delete']]);
    // the LoadBalancer → web pods → token → cluster-admin paths close
    assert.ok((web.pathsClosed ?? 0) > 0, `paths closed: ${web.pathsClosed}`);
    assert.equal(web.unnecessaryBindings[0]!.pathsClosed, web.pathsClosed);
    const worker = account('worker');
    // shared with a group: the account is removed from the subjects (a JSON patch), the binding stays
    assert.deepEqual(worker.unnecessaryBindings.map((b) => [b.binding, b.action]), [['RoleBinding/shop/shop-editors', 'remove-subject']]);
    assert.deepEqual(worker.unnecessaryBindings[0]!.patch, [{ op: 'test', path: '/subjects/0/name', value: 'worker' }, { op: 'remove', path: '/subjects/0' }]);
    assert.ok(worker.unnecessaryBindings[0]!.used.length > 0);
    // the plan: one action per account, the one closing paths first
    const rbac = json.plan.filter((p) => p.workload.kind === 'ServiceAccount');
    assert.deepEqual(rbac.map((p) => p.workload.name), ['web', 'reporter', 'worker']);
    assert.ok(rbac[0]!.rank < rbac[1]!.rank);
    assert.equal(rbac[0]!.effort, 'low'); // 29 hours observed: not thin
  });

  it('an account that runs a workload and holds a binding but made no request: the binding is unnecessary', () => {
    const reporter = account('reporter');
    assert.equal(reporter.requests, 0);
    assert.deepEqual(reporter.roles, []);
    assert.deepEqual(reporter.unnecessaryBindings.map((b) => [b.binding, b.action, b.used.length]), [['RoleBinding/shop/reporter-view', 'delete', 0]]);
    assert.ok(reporter.notes.some((n) => /needs no permissions.*automountServiceAccountToken: false/.test(n)), JSON.stringify(reporter.notes));
    const w = json.workloads.find((x) => x.workload.name === 'reporter')!;
    assert.match(w.rbac.status, /service account shop\/reporter made no API request in 29 h of audit logs: 1 binding of it unnecessary/);
  });

  it('puts the roles on the workloads that run as the account', () => {
    const w = json.workloads.find((x) => x.workload.name === 'web')!;
    assert.equal(w.rbac.serviceAccount, 'shop/web');
    assert.equal(w.rbac.roles.length, 1);
    assert.match(w.rbac.status, /computed from 60 allowed requests/);
  });

  it('writes rbac.yaml into the patch set and a cleanup script for the unnecessary bindings', () => {
    const docs = parseAllDocuments(readFileSync(path.join(tmp, 'out', 'rbac.yaml'), 'utf8')).map((d) => d.toJS() as K8sObject);
    assert.deepEqual(docs.map((d) => d.kind).sort(), ['ClusterRole', 'ClusterRoleBinding', 'Role', 'Role', 'RoleBinding', 'RoleBinding']);
    assert.match(readFileSync(path.join(tmp, 'out', 'rbac-cleanup.sh'), 'utf8'), /kubectl delete rolebinding -n shop reporter-view/);
    const k = readFileSync(path.join(tmp, 'out', 'kustomization.yaml'), 'utf8');
    assert.match(k, /- rbac\.yaml/);
    const sh = readFileSync(path.join(tmp, 'out', 'rbac-cleanup.sh'), 'utf8');
    assert.match(sh, /kubectl delete clusterrolebinding web-operator/);
    assert.match(sh, /kubectl patch rolebinding -n shop shop-editors --type json/);
  });

  it('gives byte-identical JSON for the same input', async () => {
    const again = await runCli(['harden', path.join(CORPUS, 'manifests.yaml'), '--audit', path.join(CORPUS, 'audit.log'), '-f', 'json', '-q', '--no-config']);
    assert.equal(again.out, raw);
  });
});
