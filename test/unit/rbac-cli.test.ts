/** `kordon rbac ...` through main(), with captured output. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLUSTER = path.join(ROOT, 'test/fixtures/rbac/cluster.yaml');

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), isTTY: false, env: {} };
  const code = await main(argv, io);
  return { code, out, err };
}

describe('kordon rbac', () => {
  it('who-can lists subjects with the binding, role and rule that grant them (JSON)', async () => {
    const r = await run('rbac', 'who-can', 'get', 'secrets', '-n', 'dev', CLUSTER, '--format', 'json');
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out) as { subjects: Array<{ kind: string; name: string; namespace?: string; builtIn?: true; grants: Array<{ binding: string; role: string; rule: { verbs: string[] } }> }>; assumedBuiltIns: string[] };
    const label = (s: { kind: string; name: string; namespace?: string }) => `${s.kind}:${s.namespace ?? ''}:${s.name}`;
    assert.deepEqual(json.subjects.filter((s) => !s.builtIn).map(label), ['Group::developers', 'Group::system:masters', 'ServiceAccount:dev:admin-bot', 'User::alice']);
    // the bootstrap bindings every cluster has (the files do not define them) count, marked as built-in
    assert.deepEqual(json.subjects.filter((s) => s.builtIn).map(label), ['ServiceAccount:kube-system:generic-garbage-collector', 'ServiceAccount:kube-system:namespace-controller', 'User::system:kube-controller-manager']);
    assert.ok(json.assumedBuiltIns.includes('ClusterRoleBinding//system:kube-controller-manager'));
    const alice = json.subjects.find((s) => s.name === 'alice')!;
    assert.deepEqual(alice.grants.map((g) => [g.binding, g.role, g.rule.verbs]), [['RoleBinding/dev/developers', 'ClusterRole//secret-admin', ['*']]]);
    assert.match(r.err, /RoleBinding\/dev\/dangling references a missing role/);
  });

  it('who-can reads kubectl resource forms and follows aggregated ClusterRoles (pretty)', async () => {
    const r = await run('rbac', 'who-can', 'get', 'pods/log', CLUSTER);
    assert.equal(r.code, 0);
    assert.match(r.out, /who can get pods\/log in any namespace: 5 subject\(s\)/);
    assert.match(r.out, /granted by the Kubernetes v1\.37 bootstrap bindings \(every cluster has them; not in the input\):\n\s+ServiceAccount kube-system\/generic-garbage-collector/);
    assert.match(r.out, /ServiceAccount monitoring\/prometheus\n\s+ClusterRoleBinding\/\/monitoring → ClusterRole\/\/monitoring: get,list,watch pods,pods\/log/);
    const exec = await run('rbac', 'who-can', 'create', 'pods/exec', CLUSTER, '-f', 'json');
    assert.ok(!exec.out.includes('prometheus'));
  });

  it('who-can answers non-resource URLs', async () => {
    const r = await run('rbac', 'who-can', 'get', '/healthz', CLUSTER, '-f', 'json');
    const subjects = (JSON.parse(r.out) as { subjects: Array<{ name: string; builtIn?: true }> }).subjects;
    assert.deepEqual(subjects.filter((s) => !s.builtIn).map((s) => s.name), ['system:masters', 'admin-bot']);
    // system:public-info-viewer (everyone), system:discovery (authenticated), system:monitoring
    assert.deepEqual(subjects.filter((s) => s.builtIn).map((s) => s.name), ['system:authenticated', 'system:monitoring', 'system:unauthenticated']);
  });

  it('can prints the merged permissions of a subject, cluster-wide and per namespace', async () => {
    const r = await run('rbac', 'can', 'sa:prod/ci', CLUSTER, '-f', 'json');
    assert.equal(r.code, 0);
    const json = JSON.parse(r.out) as { subject: string; user: string; assumedBuiltIns: string[]; clusterWide: { resources: Array<{ resource: string; from: string[] }> }; namespaces: Array<{ namespace: string; resources: Array<{ apiGroup: string; resource: string; resourceNames: string[]; verbs: string[] }> }> };
    assert.equal(json.subject, 'sa:prod/ci');
    assert.equal(json.user, 'system:serviceaccount:prod:ci');
    // cluster-wide, only what every authenticated identity has (system:basic-user; from v1.37, the
    // default, also system:cluster-trust-bundle-discovery), assumed from the bootstrap policy
    assert.deepEqual(json.clusterWide.resources.map((p) => `${p.resource}:${p.from.join(',')}`), ['selfsubjectreviews:ClusterRoleBinding//system:basic-user', 'selfsubjectaccessreviews:ClusterRoleBinding//system:basic-user', 'selfsubjectrulesreviews:ClusterRoleBinding//system:basic-user', 'clustertrustbundles:ClusterRoleBinding//system:cluster-trust-bundle-discovery']);
    assert.ok(json.assumedBuiltIns.includes('ClusterRoleBinding//system:basic-user'));
    assert.deepEqual(json.namespaces.map((n) => [n.namespace, n.resources.map((p) => `${p.apiGroup}/${p.resource}[${p.resourceNames.join(',')}]:${p.verbs.join(',')}`)]), [['prod', ['/secrets[app-config]:get', 'apps/deployments[]:create,patch,update']]]);
    const pretty = await run('rbac', 'can', 'user:alice', CLUSTER);
    assert.match(pretty.out, /namespace dev \(in addition\):\n\s+\*\s+secrets\s+\(RoleBinding\/dev\/developers\)/);
  });

  it('escalations finds token theft to a cluster admin', async () => {
    const r = await run('rbac', 'escalations', 'group:developers', CLUSTER, '-f', 'json');
    assert.equal(r.code, 0);
    const json = JSON.parse(r.out) as { start: string; paths: Array<{ target: string; clusterAdmin: boolean; cloudIdentity?: string; steps: Array<{ action: string; grants: Array<{ binding: string }> }> }> };
    assert.equal(json.start, 'group:developers');
    assert.deepEqual(json.paths.map((p) => [p.target, p.clusterAdmin, p.steps.map((s) => s.action)]), [['sa:dev/admin-bot', true, ['read-token-secret']]]);
    assert.equal(json.paths[0]!.steps[0]!.grants[0]!.binding, 'RoleBinding/dev/developers');
    const pretty = await run('rbac', 'escalations', 'user:bob', CLUSTER);
    assert.match(pretty.out, /user:bob: 0 escalation path/);
  });

  it('risky reports the RBAC controls with file and line', async () => {
    const r = await run('rbac', 'risky', CLUSTER, '-f', 'json');
    assert.equal(r.code, 0);
    const json = JSON.parse(r.out) as { findings: Array<{ controlId: string; location?: { line: number }; object?: { id: string } }> };
    const ids = [...new Set(json.findings.map((f) => f.controlId))].sort();
    // (the binding that lets its subjects create workloads reads secrets too: one finding naming it)
    assert.deepEqual(ids, ['KOR-0200', 'KOR-0208', 'KOR-0222', 'KOR-0224', 'KOR-0241']);
    assert.ok(json.findings.some((f) => f.controlId === 'KOR-0208' && (f as { related?: Array<{ controlId: string }> }).related?.some((r) => r.controlId === 'KOR-0202')));
    const admin = json.findings.find((f) => f.controlId === 'KOR-0200')!;
    assert.equal(admin.object?.id, 'ClusterRoleBinding//admin-bot');
    assert.equal(admin.location?.line, 135);
    assert.equal((await run('rbac', 'risky', CLUSTER, '-f', 'json', '--fail-on', 'critical')).code, 1);
    assert.equal((await run('rbac', 'risky', path.join(ROOT, 'test/fixtures/controls/KOR-0209/pass'), '-f', 'json', '--fail-on', 'low')).code, 0);
  });

  it('rejects bad input with a usage error', async () => {
    assert.equal((await run('rbac', 'can', 'alice', CLUSTER)).code, 2);
    assert.equal((await run('rbac', 'who-can', 'get', 'pods')).code, 2, 'no paths');
    assert.equal((await run('rbac', 'who-can', 'get', 'pods', CLUSTER, '-n', 'a', '-A')).code, 2);
    assert.equal((await run('rbac', 'who-can', 'get', 'pods', CLUSTER, '-f', 'xml')).code, 2);
    assert.equal((await run('rbac', 'escalations', 'user:a', CLUSTER, '--depth', '0')).code, 2);
  });

  it('exits 3 when an input cannot be read, and still answers', async () => {
    const r = await run('rbac', 'who-can', 'get', 'pods', CLUSTER, path.join(ROOT, 'test/fixtures/rbac/does-not-exist.yaml'), '-f', 'json');
    assert.equal(r.code, 3);
    const out = JSON.parse(r.out);
    assert.ok(out.subjects.length > 0);
    // said in the answer itself (src/cli/partial-input.ts), not only on stderr
    assert.equal(out.partial, true);
    assert.match(out.problems[0].message, /cannot read/);
  });
});
