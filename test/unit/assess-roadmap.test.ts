/**
 * Actions, dependencies, the four 90-day quarters with their capacity, and the attack paths each
 * closes (checked against the security graph's own what-if), on the bundled example and on the
 * per-dimension fixtures.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadInventory, scanInventory } from '../../src/scan.js';
import { buildAssessment, personDays, type Assessment } from '../../src/assess/assess.js';
import { schedule } from '../../src/assess/schedule.js';
import { applyPatches } from '../../src/assess/patch.js';
import { changesFor } from '../../src/assess/paths-closed.js';
import { whatIf } from '../../src/graph/what-if.js';
import { allControls } from '../../src/controls/index.js';
import type { K8sObject } from '../../src/inventory/types.js';
import { TEST_CONTROLS, pdbMissing, singleReplica } from './assess-controls.js';

async function example(capacity?: number): Promise<{ a: Assessment; inv: Awaited<ReturnType<typeof loadInventory>>['inventory']; findings: ReturnType<typeof scanInventory>['findings'] }> {
  const { inventory, sources } = await loadInventory(['examples/']);
  const result = scanInventory(inventory, sources, { attackPaths: true });
  return { a: buildAssessment(result, inventory, capacity === undefined ? {} : { capacity }), inv: inventory, findings: result.findings };
}

function checkInvariants(a: Assessment): void {
  const byId = new Map(a.actions.map((x) => [x.id, x]));
  // every action is in exactly one quarter or in the backlog (with its reason): none dropped
  const placed = a.quarters.flatMap((q) => q.actions);
  assert.equal(new Set(placed).size, placed.length);
  assert.equal(placed.length + a.backlog.length, a.actions.length);
  for (const x of a.actions) {
    if (x.quarter === null) assert.ok(x.backlog && a.backlog.includes(x.id), x.id);
    else assert.ok(a.quarters[x.quarter - 1]!.actions.includes(x.id));
    // dependencies come first: in an earlier quarter
    for (const d of x.dependsOn) {
      const dep = byId.get(d.id)!;
      if (x.quarter !== null) assert.ok(dep.quarter !== null && dep.quarter < x.quarter, `${x.id} (Q${x.quarter}) after ${d.id} (Q${dep.quarter})`);
    }
  }
  for (const q of a.quarters) {
    const days = q.actions.reduce((n, id) => n + byId.get(id)!.personDays, 0);
    assert.equal(q.personDays, days);
    const over = q.actions.filter((id) => byId.get(id)!.overCapacity);
    if (over.length) assert.deepEqual(q.actions, over, 'an action larger than a quarter has the quarter to itself');
    else assert.ok(days <= q.capacity, `Q${q.quarter}: ${days} > ${q.capacity}`);
  }
  assert.deepEqual(a.actions.map((x) => x.order), a.actions.map((_, i) => i + 1));
}

test('the example: Pod Security enforcement waits for the pods that would break; capacity holds', async () => {
  const { a } = await example();
  checkInvariants(a);
  const enforce = a.actions.find((x) => x.control === 'namespace-pod-security-not-enforced')!;
  assert.ok(enforce, 'the example has namespaces without Pod Security enforcement');
  const pss = allControls.filter((c) => (c.frameworks.pss?.length ?? 0) > 0).map((c) => c.id);
  const deps = enforce.dependsOn.map((d) => d.id);
  assert.ok(deps.length > 0 && deps.every((d) => pss.includes(d)), deps.join(','));
  assert.ok(deps.includes('KOR-0003'), 'the privileged container is fixed before restricted is enforced');
  assert.match(enforce.dependsOn[0]!.why, /fix those pods first/);
  // the ServiceAccount stops mounting tokens after the pods that need one opt in
  const sa = a.actions.find((x) => x.control === 'service-account-automount-enabled')!;
  assert.deepEqual(sa.dependsOn.map((d) => d.id), [a.actions.find((x) => x.control === 'service-account-token-automounted')!.id]);
  // the most urgent action is in the first quarter; person-days follow the documented formula
  assert.equal(a.actions[0]!.quarter, 1);
  for (const x of a.actions) assert.equal(x.personDays, personDays(x.effort, x.objects.length));
  assert.equal(a.summary.personDays, a.actions.reduce((n, x) => n + x.personDays, 0));
});

test('--capacity: a small team pushes work to later quarters and the backlog, a large one does it all in two quarters', async () => {
  const small = (await example(3)).a;
  checkInvariants(small);
  assert.ok(small.backlog.length > 0);
  for (const id of small.backlog) assert.match(small.actions.find((x) => x.id === id)!.backlog!, /person-day|waits for|dependencies/);
  const large = (await example(10_000)).a;
  checkInvariants(large);
  assert.equal(large.backlog.length, 0);
  // with room for everything, an action waits only for its dependencies: the quarter after the last of them
  const quarterOf = new Map(large.actions.map((x) => [x.id, x.quarter!]));
  for (const x of large.actions) assert.equal(x.quarter, 1 + Math.max(0, ...x.dependsOn.map((d) => quarterOf.get(d.id)!)), x.id);
  assert.ok(large.actions.some((x) => x.quarter! > 1), 'some action waits for another');
});

test('schedule: an action a more urgent one waits for is done first (it inherits the urgency)', () => {
  const out = schedule(
    [
      { id: 'enforce', rank: 1, personDays: 1, dependsOn: ['fix-pods'] },
      { id: 'other', rank: 2, personDays: 1, dependsOn: [] },
      { id: 'fix-pods', rank: 9, personDays: 1, dependsOn: [] },
    ],
    1,
  );
  assert.equal(out.get('fix-pods')!.quarter, 1);
  assert.equal(out.get('enforce')!.quarter, 2);
  assert.equal(out.get('other')!.quarter, 3);
  // larger than a quarter: a quarter of its own, flagged
  const big = schedule([{ id: 'big', rank: 1, personDays: 12, dependsOn: [] }, { id: 'small', rank: 2, personDays: 1, dependsOn: [] }], 5);
  assert.deepEqual(big.get('big'), { quarter: 1, order: 1, overCapacity: true });
  assert.equal(big.get('small')!.quarter, 2);
  // a dependency cycle (controls are open) does not hang: both are placed
  const cyc = schedule([{ id: 'a', rank: 1, personDays: 1, dependsOn: ['b'] }, { id: 'b', rank: 2, personDays: 1, dependsOn: ['a'] }], 10);
  assert.ok(cyc.get('a')!.quarter !== null && cyc.get('b')!.quarter !== null);
  // what waits for the backlog is in the backlog too, saying why
  const chain = schedule([{ id: 'x', rank: 1, personDays: 1, dependsOn: [] }, { id: 'y', rank: 2, personDays: 1, dependsOn: ['x'] }, { id: 'z', rank: 3, personDays: 1, dependsOn: ['y'] }, { id: 'w', rank: 4, personDays: 1, dependsOn: ['z'] }, { id: 'v', rank: 5, personDays: 1, dependsOn: ['w'] }], 10);
  assert.equal(chain.get('w')!.quarter, 4);
  assert.equal(chain.get('v')!.quarter, null);
  assert.match(chain.get('v')!.backlog!, /dependencies take all four quarters/);
});

test('per-dimension fixtures: a disruption budget waits for more replicas', async () => {
  const { inventory, sources } = await loadInventory(['test/fixtures/assess/dimensions']);
  const a = buildAssessment(scanInventory(inventory, sources, { controls: TEST_CONTROLS, attackPaths: true }), inventory, { capacity: 6 });
  checkInvariants(a);
  const pdb = a.actions.find((x) => x.id === pdbMissing.id)!;
  assert.deepEqual(pdb.dependsOn.map((d) => d.id), [singleReplica.id]);
  assert.match(pdb.dependsOn[0]!.why, /single replica blocks node drains/);
  assert.deepEqual(a.actions.find((x) => x.id === singleReplica.id)!.objects, ['Deployment/data/db', 'Deployment/web/worker']);
  // no attack paths in these inputs: nothing to close, and said
  assert.equal(a.summary.attackPaths, 0);
  for (const x of a.actions) assert.equal(x.pathsMethod, 'not-on-paths');
});

test('attack paths closed: the action\'s change, applied by the graph\'s what-if, removes exactly those paths', async () => {
  const { a, inv, findings } = await example();
  assert.ok(a.summary.attackPaths > 0);
  const privileged = a.actions.find((x) => x.control === 'pss-privileged')!;
  assert.equal(privileged.pathsMethod, 'what-if');
  // the change made by hand, as the remediation says: the log agent's container stops being privileged
  const ds = inv.objects.find((o) => o.id === 'DaemonSet/observability/log-agent')!;
  const changed = structuredClone(ds.object) as K8sObject & { spec: { template: { spec: { containers: Array<{ securityContext: Record<string, unknown> }> } } } };
  delete changed.spec.template.spec.containers[0]!.securityContext['privileged'];
  const byHand = whatIf(inv, [{ object: changed, origin: ds.origin }]);
  assert.ok(byHand.removed.length > 0);
  assert.equal(privileged.pathsClosed, byHand.removed.length);
  // the default-deny policy asked for by "namespace without NetworkPolicy" closes paths too
  const netpol = a.actions.find((x) => x.control === 'namespace-without-network-policy')!;
  assert.equal(netpol.pathsMethod, 'what-if');
  const policies = changesFor(inv, findings.filter((f) => f.controlId === netpol.id && !f.suppressed));
  assert.ok(policies.every((c) => c.object.kind === 'NetworkPolicy'));
  assert.equal(netpol.pathsClosed, whatIf(inv, policies).removed.length);
  // quarters: each path is closed once, by the first quarter whose changes remove it
  const closed = a.quarters.flatMap((q) => q.paths);
  assert.equal(a.summary.pathsClosed, closed.length);
  assert.ok(a.summary.pathsClosed <= a.summary.attackPaths);
  assert.ok(a.quarters[0]!.pathsClosed >= privileged.pathsClosed, 'Q1 has the privileged container fix');
  const all = changesFor(inv, findings.filter((f) => !f.suppressed && a.actions.some((x) => x.id === f.controlId && x.quarter !== null)));
  assert.equal(whatIf(inv, all).removed.length, a.summary.pathsClosed);
  // actions on paths without a change to simulate are listed, not counted
  for (const x of a.actions.filter((y) => y.pathsMethod === 'not-simulated')) assert.ok(a.quarters.some((q) => q.notSimulated.includes(x.id)) || x.quarter === null);
});

test('applyPatches: adds create what is missing, removals from one array do not shift each other, a missing path is skipped', () => {
  const obj = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', securityContext: { capabilities: { add: ['NET_ADMIN', 'SYS_ADMIN', 'NET_RAW'] } } }] } } as unknown as K8sObject;
  const r = applyPatches(obj, [
    { op: 'remove', path: '/spec/containers/0/securityContext/capabilities/add/0' },
    { op: 'remove', path: '/spec/containers/0/securityContext/capabilities/add/2' },
    { op: 'add', path: '/spec/securityContext/runAsNonRoot', value: true },
    { op: 'replace', path: '/spec/hostPID', value: false },
  ]);
  assert.deepEqual((r.object as unknown as { spec: { containers: Array<{ securityContext: { capabilities: { add: string[] } } }> } }).spec.containers[0]!.securityContext.capabilities.add, ['SYS_ADMIN']);
  assert.deepEqual((r.object as unknown as { spec: { securityContext: unknown } }).spec.securityContext, { runAsNonRoot: true });
  assert.equal(r.applied, 3);
  assert.equal(r.skipped, 1);
  // the original is untouched
  assert.equal((obj as unknown as { spec: { containers: Array<{ securityContext: { capabilities: { add: string[] } } }> } }).spec.containers[0]!.securityContext.capabilities.add.length, 3);
});
