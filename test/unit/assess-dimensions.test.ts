/**
 * The assessment's dimensions on inputs written for each of them (test/fixtures/assess/): the
 * score of each dimension is the documented formula over the controls that inform it, the
 * findings behind it are listed, and what the inputs could not show is listed, never skipped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadInventory, scanInventory } from '../../src/scan.js';
import { buildAssessment, type Assessment, type DimensionResult } from '../../src/assess/assess.js';
import { inputFacts, notJudgedFor } from '../../src/assess/not-judged.js';
import { postureScore, SEVERITY_WEIGHT } from '../../src/engine/score.js';
import { DIMENSIONS, type Control, type Severity } from '../../src/engine/types.js';
import { Inventory } from '../../src/inventory/inventory.js';
import { TEST_CONTROLS, managedBy, noAutoscaler, noBackup, nodeZones, pdbMissing, pvcStorageClass, readiness, serviceMonitor, singleReplica } from './assess-controls.js';

const DIR = 'test/fixtures/assess/dimensions';
const LIVE = 'test/fixtures/assess/live-like';

async function assess(paths: string[], controls: readonly Control[] = TEST_CONTROLS): Promise<Assessment> {
  const { inventory, sources } = await loadInventory(paths);
  const result = scanInventory(inventory, sources, { controls, attackPaths: true });
  return buildAssessment(result, inventory);
}

const dim = (a: Assessment, name: string): DimensionResult => a.dimensions.find((d) => d.name === name)!;

/** The expected score from (control, judged, failed) as the fixtures make them, by the documented formula. */
function expected(rows: Array<[Control, number, number]>): number | null {
  let judged = 0;
  let failed = 0;
  let worst: Severity | undefined;
  const order: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
  for (const [c, j, f] of rows) {
    judged += SEVERITY_WEIGHT[c.severity] * j;
    failed += SEVERITY_WEIGHT[c.severity] * f;
    if (f > 0 && (worst === undefined || order.indexOf(c.severity) < order.indexOf(worst))) worst = c.severity;
  }
  return postureScore(judged, failed, worst);
}

test('the eight dimensions, as the mission spells them, each scored over its own controls', async () => {
  const a = await assess([DIR]);
  assert.deepEqual(a.dimensions.map((d) => d.name), ['Architecture', 'Applications', 'Scalability', 'Storage & Backup', 'CI/CD', 'Disaster Recovery', 'Monitoring & Health Checks', 'Security']);
  // deployments: web (3 replicas, probe, HPA, label), worker (1 replica, nothing), db (1 replica, probe, Helm label); services: web (monitored), worker
  assert.equal(dim(a, 'Architecture').score, expected([[singleReplica, 3, 2]])); // no Node objects: the zone control judged nothing
  assert.equal(dim(a, 'Applications').score, 66.6); // 1 of 3 workloads without a readiness probe, low severity: 2/3, floored
  assert.equal(dim(a, 'Applications').score, expected([[readiness, 3, 1]]));
  assert.equal(dim(a, 'Scalability').score, expected([[noAutoscaler, 3, 2]]));
  assert.equal(dim(a, 'Storage & Backup').score, expected([[pvcStorageClass, 2, 1], [noBackup, 2, 1]]));
  assert.equal(dim(a, 'CI/CD').score, expected([[managedBy, 3, 1]]));
  assert.equal(dim(a, 'Disaster Recovery').score, expected([[singleReplica, 3, 2], [pdbMissing, 3, 3], [noBackup, 2, 1]]));
  assert.equal(dim(a, 'Monitoring & Health Checks').score, expected([[readiness, 3, 1], [serviceMonitor, 2, 1]]));
  // no control informs Security here: not judged, and said so
  assert.equal(dim(a, 'Security').score, null);
  assert.ok(dim(a, 'Security').notJudged.some((n) => n.what === 'every aspect of Security'));
  // a high-severity finding caps its dimensions at 70
  assert.ok(dim(a, 'Storage & Backup').score! <= 70 && dim(a, 'Disaster Recovery').score! <= 70);
  for (const d of a.dimensions) assert.equal(d.definition, a.dimensions[0]!.definition);
});

test('the findings behind a dimension: every finding of its controls, one control in two dimensions counts in both', async () => {
  const a = await assess([DIR]);
  const arch = dim(a, 'Architecture');
  const dr = dim(a, 'Disaster Recovery');
  assert.deepEqual(arch.findings.map((f) => f.object).sort(), ['Deployment/data/db', 'Deployment/web/worker']);
  assert.deepEqual(dr.findings.filter((f) => f.controlId === singleReplica.id).map((f) => f.object).sort(), ['Deployment/data/db', 'Deployment/web/worker']);
  assert.ok(dr.findings.some((f) => f.controlId === noBackup.id && f.object === 'Namespace//data'));
  assert.equal(dim(a, 'Monitoring & Health Checks').findings.find((f) => f.controlId === serviceMonitor.id)?.object, 'Service/web/worker');
  // findings point at their source lines
  for (const d of a.dimensions) for (const f of d.findings) assert.ok(f.source?.startsWith(DIR) && (f.line ?? 0) > 0, JSON.stringify(f));
  // 4C layers of the findings
  assert.equal(arch.layers.cluster, 2);
  // the action of a two-dimension control has its first as the dimension, both listed
  const action = a.actions.find((x) => x.id === singleReplica.id)!;
  assert.equal(action.dimension, 'Architecture');
  assert.deepEqual(action.dimensions, ['Architecture', 'Disaster Recovery']);
});

test('not judged: what files cannot show is listed per dimension, and disappears when the inputs show it', async () => {
  const files = await assess([DIR]);
  const whats = (a: Assessment, d: string) => dim(a, d).notJudged.map((n) => n.what);
  assert.ok(whats(files, 'Storage & Backup').includes('backup schedules and backups (Velero)'));
  assert.ok(whats(files, 'Storage & Backup').includes('storage classes and reclaim policies'));
  assert.ok(whats(files, 'Disaster Recovery').includes('volume snapshots'));
  assert.ok(whats(files, 'Architecture').includes('node pools and zones'));
  // the zone control had nothing to judge: named once, under the evidence it lacked
  const idle = dim(files, 'Architecture').notJudged.filter((n) => n.controls?.includes(nodeZones.id));
  assert.deepEqual(idle.map((n) => [n.what, n.reason]), [['node pools and zones', 'files carry no Node objects: scan the live cluster (--cluster) to judge single node pools and zones']]);
  // a control idle for another reason stays a group of its own
  const lone = await assess([DIR], [...TEST_CONTROLS, { ...nodeZones, id: 'TST-0099', name: 'ingress-check', kinds: ['Ingress'] } as Control]);
  assert.deepEqual(dim(lone, 'Architecture').notJudged.filter((n) => n.kind === 'control').map((n) => [n.reason, n.controls]), [['no Ingress objects in the inputs', ['TST-0099']]]);
  assert.ok(whats(files, 'Monitoring & Health Checks').includes('container restarts and OOM kills'));
  // ServiceMonitors are in the inputs: their absence is not claimed
  assert.ok(!whats(files, 'Monitoring & Health Checks').includes('scrape targets (ServiceMonitor, PodMonitor)'));
  // what no object shows is always said
  assert.ok(whats(files, 'Disaster Recovery').includes('restore tests, RPO and RTO, a second cluster or region'));

  const live = await assess([DIR, LIVE]);
  assert.ok(!whats(live, 'Storage & Backup').includes('backup schedules and backups (Velero)'));
  assert.ok(!whats(live, 'Storage & Backup').includes('storage classes and reclaim policies'));
  assert.ok(!whats(live, 'Disaster Recovery').includes('volume snapshots'));
  assert.ok(!whats(live, 'Architecture').includes('node pools and zones'));
  assert.ok(!dim(live, 'Architecture').notJudged.some((n) => n.controls?.includes(nodeZones.id)));
  // the backup schedule covers the data namespace, the nodes span two zones: the scores rise
  assert.equal(dim(live, 'Architecture').score, expected([[singleReplica, 3, 2], [nodeZones, 2, 0]]));
  assert.equal(dim(live, 'Storage & Backup').score, expected([[pvcStorageClass, 2, 1], [noBackup, 2, 0]]));
  assert.ok(dim(live, 'Storage & Backup').score! > dim(files, 'Storage & Backup').score!);
});

test('not judged on a live read: restarts need Events; a resource that could not be listed is named', async () => {
  const { inventory } = await loadInventory([DIR]);
  const asCluster = (extra: Array<Record<string, unknown>>) =>
    new Inventory([...inventory.objects.map((o) => ({ object: o.object, origin: { ...o.origin, via: 'cluster' as const } })), ...extra.map((object) => ({ object: object as never, origin: { source: 'cluster:test', documentIndex: 0, itemPointer: '', line: 0, column: 0, via: 'cluster' as const } }))]);
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'worker-1', namespace: 'web' }, spec: { containers: [{ name: 'w', image: 'x' }] }, status: { containerStatuses: [{ name: 'w', restartCount: 7 }] } };
  const event = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'worker-1.1', namespace: 'web' }, reason: 'BackOff', involvedObject: { kind: 'Pod', name: 'worker-1' } };
  const restarts = (inv: Inventory, coverage = [] as Parameters<typeof inputFacts>[1]) =>
    notJudgedFor('Monitoring & Health Checks', [readiness], new Map(), inputFacts(inv, coverage), new Set()).find((n) => n.what === 'container restarts and OOM kills');
  assert.match(restarts(asCluster([pod]))!.reason, /no Events were read/);
  assert.equal(restarts(asCluster([pod, event])), undefined);
  const gap = notJudgedFor('Monitoring & Health Checks', [serviceMonitor], new Map(), inputFacts(asCluster([]), [{ resource: 'services', apiVersion: 'v1', kind: 'Service', count: 0, error: 'forbidden (403)', status: 403 }]), new Set());
  assert.ok(gap.some((n) => n.what === 'Service (services)' && n.reason === 'could not be read: forbidden (403)'));
});

test('a dimension no control informs says so; every dimension is present whatever the controls', async () => {
  const a = await assess([DIR], [readiness]);
  assert.equal(a.dimensions.length, DIMENSIONS.length);
  for (const d of a.dimensions) {
    if (d.name === 'Applications' || d.name === 'Monitoring & Health Checks') assert.equal(d.controls, 1);
    else {
      assert.equal(d.score, null, d.name);
      assert.ok(d.notJudged.some((n) => n.what === `every aspect of ${d.name}`), d.name);
    }
  }
});
