import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanPaths } from '../../src/scan.js';
import { buildPlan, WIDE_ROLLOUT, type Plan } from '../../src/plan/plan.js';
import { formatPlanJson, formatPlanMarkdown, formatPlanPretty } from '../../src/plan/format.js';
import type { ScanResult } from '../../src/engine/result.js';
import type { Control, Finding } from '../../src/engine/types.js';
import { runCli } from '../support/cli.js';

const actions = (plan: Plan) => plan.phases.flatMap((p) => p.actions);

test('the example: every unsuppressed finding is in one action, phases follow risk and effort', async () => {
  const result = await scanPaths(['examples/'], { attackPaths: true });
  const plan = buildPlan(result);
  const all = actions(plan);
  assert.equal(plan.attackPaths, true);
  assert.equal(all.reduce((n, a) => n + a.findings, 0), result.findings.filter((f) => !f.suppressed).length);
  assert.equal(new Set(all.map((a) => a.controlId)).size, all.length, 'one action per control');
  assert.deepEqual(all.map((a) => a.rank), all.map((_, i) => i + 1));
  for (const p of plan.phases) {
    for (const a of p.actions) {
      assert.equal(a.quadrant, p.quadrant);
      assert.equal(a.riskLevel === 'high', p.phase <= 2, `${a.controlId} risk ${a.risk} in phase ${p.phase}`);
      assert.equal(a.effort === 'low', p.phase === 1 || p.phase === 3, `${a.controlId} effort ${a.effort} in phase ${p.phase}`);
    }
    for (let i = 1; i < p.actions.length; i++) assert.ok(p.actions[i - 1]!.risk >= p.actions[i]!.risk, 'riskiest first');
  }
  // the privileged log agent on the path to cluster-admin (exposed on the node network by its
  // hostNetwork) is the first thing to fix: its host namespaces and its privileged container
  assert.deepEqual(all.slice(0, 2).map((a) => a.controlId).sort(), ['KOR-0002', 'KOR-0003']);
  for (const first of all.slice(0, 2)) assert.ok(first.onAttackPaths >= 1 && first.risk > 50);
  assert.equal(all.find((a) => a.controlId === 'KOR-0137')?.quadrant, 'major-project');
  assert.deepEqual(all.find((a) => a.controlId === 'KOR-0137')?.namespaces, ['default', 'observability', 'shop-api', 'shop-web']);
  // the same scan gives the same plan, byte for byte
  assert.equal(formatPlanJson(buildPlan(await scanPaths(['examples/'], { attackPaths: true }))), formatPlanJson(plan));
});

function control(id: string, effort: Control['effort'], severity: Control['severity']): Control {
  return { id, name: `c-${id}`, title: `Control ${id}`, description: 'd', layer: 'container', phases: ['deploy'], severity, effort, frameworks: {}, remediation: `Fix ${id}.`, messages: { m: 'm' }, targets: 'object', kinds: ['Pod'], check: () => {} } as Control;
}

function finding(c: Control, obj: number, extra: Partial<Finding> = {}): Finding {
  return { controlId: c.id, control: c.name, title: c.title, layer: c.layer, severity: c.severity, message: `object ${obj}`, object: { id: `Pod/ns${obj % 3}/p${obj}`, apiVersion: 'v1', kind: 'Pod', namespace: `ns${obj % 3}`, name: `p${obj}` }, pointer: '/spec', ...extra };
}

test('effort: a JSON patch for every finding makes it one step easier, a wide roll-out one step harder; suppressed findings are left out', () => {
  const patched = control('KOR-1', 'medium', 'high');
  const wide = control('KOR-2', 'low', 'high');
  const quiet = control('KOR-3', 'low', 'low');
  const accepted = control('KOR-4', 'low', 'critical');
  const fix = [{ op: 'remove' as const, path: '/spec/x' }];
  const findings: Finding[] = [
    finding(patched, 1, { fix }),
    finding(patched, 2, { fix }),
    ...Array.from({ length: WIDE_ROLLOUT + 1 }, (_, i) => finding(wide, i)),
    finding(quiet, 1),
    finding(accepted, 1, { suppressed: { by: 'annotation', reason: 'accepted' } }),
  ];
  const plan = buildPlan({ findings, controls: [patched, wide, quiet, accepted] } as unknown as ScanResult);
  const by = new Map(actions(plan).map((a) => [a.controlId, a]));
  assert.equal(plan.attackPaths, false);
  assert.equal(by.get('KOR-1')!.effort, 'low');
  assert.equal(by.get('KOR-1')!.quadrant, 'quick-win');
  assert.match(by.get('KOR-1')!.reason, /effort medium → low \(every finding has a JSON patch\)/);
  assert.equal(by.get('KOR-2')!.effort, 'medium');
  assert.equal(by.get('KOR-2')!.quadrant, 'major-project');
  assert.equal(by.get('KOR-2')!.risk, 50, 'high severity 40 + breadth 10 (capped)');
  assert.deepEqual(by.get('KOR-2')!.namespaces, ['ns0', 'ns1', 'ns2']);
  assert.equal(by.get('KOR-3')!.quadrant, 'fill-in');
  assert.equal(by.has('KOR-4'), false, 'an accepted risk is no action');
  assert.deepEqual(plan.summary, { actions: 3, findings: 2 + WIDE_ROLLOUT + 1 + 1, byQuadrant: { 'quick-win': 1, 'major-project': 1, 'fill-in': 1, later: 0 } });
  const pretty = formatPlanPretty(plan);
  assert.match(pretty, /PHASE 1 {2}Quick wins/);
  assert.match(formatPlanMarkdown(plan), /## Phase 2: Major projects/);
});

test('kordon plan: formats, exit codes, and ranking without the security graph', async () => {
  const json = await runCli(['plan', 'examples/', '-f', 'json']);
  assert.equal(json.code, 0, json.err);
  const plan = JSON.parse(json.out) as Plan;
  assert.equal(plan.schemaVersion, '1');
  assert.equal(plan.attackPaths, true);
  const flat = await runCli(['plan', 'examples/', '-f', 'json', '--no-attack-paths']);
  const noGraph = JSON.parse(flat.out) as Plan;
  assert.equal(noGraph.attackPaths, false);
  assert.ok(actions(noGraph).every((a) => a.onAttackPaths === 0));
  assert.equal(noGraph.summary.findings, plan.summary.findings);
  const md = await runCli(['plan', 'examples/', '-f', 'markdown']);
  assert.match(md.out, /^# kordon: Risk x Effort plan/);
  assert.equal((await runCli(['plan', 'examples/', '-f', 'sarif'])).code, 2);
  const missing = await runCli(['plan', 'no/such/dir']);
  assert.equal(missing.code, 3);
});
