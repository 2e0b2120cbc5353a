/**
 * `kordon assess` on a live cluster (the real kube-apiserver of the test control plane): Nodes
 * in two zones and the per-dimension fixtures' workloads are created through the API and read
 * back; what a live read shows is judged (node zones), what it does not is listed (Events), and
 * an identity that cannot list everything gets the unread resources named under the dimensions
 * whose controls judge them, with "computed from partial input" and exit code 3.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { acquireControlPlane, type ControlPlaneInfo } from '../support/controlplane.js';
import { applyObjects } from '../support/apply.js';
import { loadManifests } from '../../src/sources/manifests/load.js';
import { readCluster, compareObjects } from '../../src/sources/cluster/read.js';
import { Inventory } from '../../src/inventory/inventory.js';
import { scanInventory } from '../../src/scan.js';
import { buildAssessment } from '../../src/assess/assess.js';
import { runCli } from '../support/cli.js';
import type { K8sObject, Origin } from '../../src/inventory/types.js';
import { TEST_CONTROLS, nodeZones, singleReplica } from '../unit/assess-controls.js';

const NS = { web: 'assess-web', data: 'assess-data' } as Record<string, string>;
let cp: ControlPlaneInfo & { kubeconfigFor(user: string): string };
let release: () => Promise<void>;

before(async () => {
  ({ cp, release } = await acquireControlPlane());
  const loaded = await loadManifests(['test/fixtures/assess/dimensions']);
  // the kinds the bare API server serves (no CRD for ServiceMonitor), in namespaces of this test
  const objects = loaded.objects
    .map((o) => structuredClone(o.object))
    .filter((o) => o.kind !== 'ServiceMonitor')
    .map((o) => {
      if (o.kind === 'Namespace') o.metadata.name = NS[o.metadata.name!]!;
      else o.metadata.namespace = NS[o.metadata.namespace!]!;
      return o;
    });
  for (const [name, zone] of [['assess-node-a', 'eu-west-1a'], ['assess-node-b', 'eu-west-1b']]) objects.push({ apiVersion: 'v1', kind: 'Node', metadata: { name: name!, labels: { 'topology.kubernetes.io/zone': zone! } } });
  await applyObjects(cp, objects);
});

after(async () => {
  await release();
});

test('a live read: nodes are judged, Events are named as not read, findings as from files', async () => {
  const objects: Array<{ object: K8sObject; origin: Origin }> = [];
  const read = await readCluster({ kubeconfig: cp.adminKubeconfig, namespaces: Object.values(NS), onObject: (object, origin) => void objects.push({ object, origin }) });
  objects.sort((a, b) => compareObjects(a.object, b.object));
  const inv = new Inventory(objects, read.problems);
  const a = buildAssessment(scanInventory(inv, [read.source], { controls: TEST_CONTROLS, attackPaths: true }), inv, { coverage: read.coverage });
  const arch = a.dimensions.find((d) => d.name === 'Architecture')!;
  // the test's two nodes (and any other test's) were read: zones are judged, not listed as unknown
  assert.ok(!arch.notJudged.some((n) => n.what === 'node pools and zones'), JSON.stringify(arch.notJudged));
  assert.ok(!arch.notJudged.some((n) => n.controls?.includes(nodeZones.id)), JSON.stringify(arch.notJudged));
  const mon = a.dimensions.find((d) => d.name === 'Monitoring & Health Checks')!;
  assert.match(mon.notJudged.find((n) => n.what === 'container restarts and OOM kills')!.reason, /no Events were read/);
  // the same single-replica workloads as in the files, now read from the API server
  assert.deepEqual(arch.findings.filter((f) => f.controlId === singleReplica.id).map((f) => f.object).sort(), ['Deployment/assess-data/db', 'Deployment/assess-web/worker']);
  // objects read from the API have no file line to point at
  assert.ok(arch.findings.every((f) => f.source === undefined), JSON.stringify(arch.findings));
});

test('kordon assess --cluster: the CLI on the live cluster, and a restricted identity', async () => {
  const admin = await runCli(['assess', '--cluster', '--kubeconfig', cp.adminKubeconfig, '-f', 'json', '-q']);
  assert.equal(admin.code, 0, admin.err);
  const j = JSON.parse(admin.out);
  assert.equal(j.partial, false);
  assert.ok(j.sources[0].startsWith('cluster:'));
  assert.ok(j.actions.length > 0);
  assert.ok(!j.dimensions.find((d: { name: string }) => d.name === 'Architecture').notJudged.some((n: { what: string }) => n.what === 'node pools and zones'));
  const alice = await runCli(['assess', '--cluster', '--kubeconfig', cp.kubeconfigFor('alice'), '-f', 'json', '-q']);
  assert.equal(alice.code, 3);
  const r = JSON.parse(alice.out);
  assert.equal(r.partial, true);
  // what could not be listed is named under Security (the catalogue's controls judge workloads and RBAC)
  const unread = r.dimensions.find((d: { name: string }) => d.name === 'Security').notJudged.filter((n: { reason: string }) => n.reason.startsWith('could not be read'));
  assert.ok(unread.some((n: { what: string }) => /^Pod \(pods/.test(n.what)), JSON.stringify(unread.slice(0, 5)));
  const text = await runCli(['assess', '--cluster', '--kubeconfig', cp.kubeconfigFor('alice'), '-q']);
  assert.equal(text.code, 3);
  assert.match(text.out, /^computed from partial input/);
  assert.match(text.out, /not judged: Pod \(pods.*could not be read/);
});
