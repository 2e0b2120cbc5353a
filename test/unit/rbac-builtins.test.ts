import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../support/cli.js';


test('a binding to cluster-admin that the files do not define resolves to the bootstrap role', async () => {
  const r = await runCli(['rbac', 'who-can', 'delete', 'nodes', 'examples/shop', '-f', 'json']);
  assert.equal(r.code, 0, r.err);
  const subjects = (JSON.parse(r.out) as { subjects: Array<{ kind: string; name: string; grants: Array<{ binding: string; role: string }> }> }).subjects;
  const agent = subjects.find((s) => s.kind === 'ServiceAccount' && s.name === 'log-agent');
  assert.deepEqual(agent?.grants.map((g) => [g.binding, g.role]), [['ClusterRoleBinding//log-agent-admin', 'ClusterRole//cluster-admin']]);
  assert.doesNotMatch(r.err, /missing role: ClusterRole "cluster-admin"/);
});

test('other missing roles are still reported, not invented', async () => {
  const r = await runCli(['rbac', 'who-can', 'get', 'pods', 'test/fixtures/rbac/cluster.yaml', '-f', 'json']);
  assert.ok(r.code === 0 || r.code === 3, r.err);
  assert.doesNotMatch(r.out, /built-in\/\/(admin|edit|view)/);
});

test('the target version comes from --kube-version, else the server the objects were read from, else the newest shipped', async () => {
  const { Inventory } = await import('../../src/inventory/inventory.js');
  const { targetKubernetesVersion, targetVersionFromInputs } = await import('../../src/rbac/builtins.js');
  const { NEWEST_KUBERNETES_VERSION } = await import('../../src/rbac/bootstrap/index.js');
  const target = (explicit: string | undefined, server?: { gitVersion?: string; minor?: string }) => {
    const inv = new Inventory([]);
    targetVersionFromInputs(inv, explicit, server);
    return targetKubernetesVersion(inv).requested;
  };
  assert.equal(target(undefined), NEWEST_KUBERNETES_VERSION);
  assert.equal(target(undefined, { gitVersion: 'v1.29.3-eks-4f9c1b2' }), 'v1.29');
  assert.equal(target(undefined, { minor: '30+' }), 'v1.30', 'GKE/EKS minor with a plus');
  assert.equal(target('1.32', { gitVersion: 'v1.29.3' }), 'v1.32', 'the flag wins');
  assert.equal(target(undefined, { gitVersion: 'not-a-version' }), NEWEST_KUBERNETES_VERSION);
});

test('scan, plan and paths take --kube-version for the built-in roles and say when the nearest shipped policy stands in', async () => {
  const file = 'test/fixtures/rbac/kube-version.yaml';
  for (const args of [['scan', file, '-f', 'json'], ['plan', file, '-f', 'json'], ['paths', file, '-f', 'json']]) {
    const r = await runCli([...args, '--kube-version', 'v1.29']);
    assert.ok(r.code === 0 || r.code === 1, `${args[0]}: ${r.err}`);
    assert.match(r.err, /no built-in RBAC policy for Kubernetes v1\.29 is shipped; using v1\.30's/, args[0]);
    const shipped = await runCli([...args, '--kube-version', 'v1.31']);
    assert.doesNotMatch(shipped.err, /no built-in RBAC policy/, args[0]);
  }
  const scan = await runCli(['scan', file, '-f', 'json', '--kube-version', 'v1.31']);
  const findings = (JSON.parse(scan.out) as { findings: Array<{ controlId: string; message: string; related?: Array<{ controlId: string }> }> }).findings;
  // the `edit` grant is one finding (creating workloads), naming the narrower ones it stands for
  const edit = findings.find((f) => f.controlId === 'KOR-0208' && /ClusterRole "edit" \(built-in, assumed from the Kubernetes v1\.31 bootstrap policy/.test(f.message));
  assert.ok(edit, JSON.stringify(findings.map((f) => f.message)));
  assert.deepEqual(edit.related?.map((r) => r.controlId).sort(), ['KOR-0202', 'KOR-0204', 'KOR-0209', 'KOR-0210', 'KOR-0212']);
  const exact = await runCli(['scan', file, '-f', 'json', '--kube-version', 'v1.35']);
  assert.doesNotMatch(exact.err, /no built-in RBAC policy/);
});
