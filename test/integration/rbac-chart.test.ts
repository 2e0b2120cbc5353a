/**
 * A chart shaped like real ones (helpers, `.Release.Namespace`, bindings to built-in roles it does
 * not define), rendered with the real helm: the bindings resolve to the built-in roles.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { binaryPath } from '../support/controlplane.js';
import { runCli } from '../support/cli.js';

const CHART = 'test/corpus/rbac/reporter-chart';

before(() => {
  process.env['KORDON_HELM'] = binaryPath('helm');
});

test('a chart binding the built-in view and system:monitoring roles: who-can and can resolve them', async () => {
  const r = await runCli(['rbac', 'who-can', 'list', 'deploy', CHART, '-f', 'json']);
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out);
  const sa = out.subjects.find((s: any) => s.kind === 'ServiceAccount' && s.name === 'kordon-reporter');
  assert.deepEqual(sa?.grants.map((g: any) => [g.binding, g.role, g.namespace]), [['RoleBinding/default/kordon-reporter-view', 'ClusterRole//view', 'default']]);
  assert.ok(out.assumedBuiltIns.includes('ClusterRole//view'));
  const metrics = await runCli(['rbac', 'who-can', 'get', '/metrics', CHART]);
  assert.match(metrics.out, /ServiceAccount default\/kordon-reporter\n\s+ClusterRoleBinding\/\/kordon-reporter-metrics → ClusterRole\/\/system:monitoring: get /);
  assert.doesNotMatch(metrics.err, /missing role/);
});
