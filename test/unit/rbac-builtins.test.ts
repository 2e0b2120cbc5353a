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
