import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeScores, postureScore, SCORE_CAP, SEVERITY_WEIGHT } from '../../src/engine/score.js';
import { SEVERITIES, defineControl, type Control, type Finding, type Severity } from '../../src/engine/types.js';
import type { ControlEvaluation } from '../../src/engine/run.js';
import { scanPaths } from '../../src/scan.js';

const control = (id: string, severity: Severity, layer: Control['layer'] = 'container', frameworks: Control['frameworks'] = {}): Control =>
  defineControl({
    id,
    name: `test-${id}`,
    title: id,
    description: id,
    layer,
    phases: ['develop'],
    severity,
    effort: 'low',
    frameworks,
    remediation: 'Fix it.',
    messages: { m: 'm' },
    targets: 'object',
    kinds: ['Pod'],
    check() {},
  });

const finding = (c: Control, n: number, suppressed = false): Finding => ({
  controlId: c.id,
  control: c.name,
  title: c.title,
  layer: c.layer,
  severity: c.severity,
  message: 'm',
  object: { id: `Pod/ns/p${n}`, apiVersion: 'v1', kind: 'Pod', namespace: 'ns', name: `p${n}` },
  pointer: '',
  ...(suppressed ? { suppressed: { by: 'annotation' as const, reason: 'r' } } : {}),
});

/** A tiny deterministic random source (the properties are checked on many generated scans). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

interface World {
  controls: Control[];
  evaluations: ControlEvaluation[];
  findings: Finding[];
}

function randomWorld(rand: () => number): World {
  const controls = Array.from({ length: 1 + Math.floor(rand() * 8) }, (_, i) => control(`T-${i}`, SEVERITIES[Math.floor(rand() * SEVERITIES.length)]!, rand() < 0.5 ? 'container' : 'cluster', rand() < 0.5 ? { pss: ['baseline:x'] } : {}));
  const evaluations: ControlEvaluation[] = [];
  const findings: Finding[] = [];
  for (const c of controls) {
    const evaluated = Math.floor(rand() * 50);
    const failed = evaluated === 0 ? 0 : Math.floor(rand() * (evaluated + 1) * (rand() < 0.5 ? 0.1 : 1));
    evaluations.push({ controlId: c.id, evaluated, failed });
    for (let i = 0; i < failed; i++) findings.push(finding(c, i));
  }
  return { controls, evaluations, findings };
}

/** The world with one more failing judgement of control k (a new object that fails it). */
function addFailure(w: World, k: number): World {
  const c = w.controls[k]!;
  return {
    controls: w.controls,
    evaluations: w.evaluations.map((e) => (e.controlId === c.id ? { ...e, evaluated: e.evaluated + 1, failed: e.failed + 1 } : e)),
    findings: [...w.findings, finding(c, 10_000)],
  };
}

const all = (s: ReturnType<typeof computeScores>): Array<number | null> => [s.overall, ...Object.values(s.layers), ...Object.values(s.frameworks)];

test('score: adding a failing judgement never raises any score (overall, layer, framework)', () => {
  const rand = rng(12345);
  for (let round = 0; round < 500; round++) {
    const w = randomWorld(rand);
    const k = Math.floor(rand() * w.controls.length);
    const before = all(computeScores(w.controls, w.evaluations, w.findings));
    const after = all(computeScores(w.controls, addFailure(w, k).evaluations, addFailure(w, k).findings));
    for (let i = 0; i < before.length; i++) {
      if (before[i] === null) continue;
      assert.ok(after[i]! <= before[i]!, `round ${round}, score ${i}: ${before[i]} → ${after[i]}`);
    }
  }
});

test('score: the worst unsuppressed finding caps it (critical 40, high 70, medium 85, low 95, info 99)', () => {
  const rand = rng(777);
  for (let round = 0; round < 300; round++) {
    const w = randomWorld(rand);
    const s = computeScores(w.controls, w.evaluations, w.findings);
    const worst = SEVERITIES.find((sev) => w.findings.some((f) => f.severity === sev));
    if (worst) assert.ok(s.overall! <= SCORE_CAP[worst], `round ${round}: ${s.overall} with a ${worst} finding`);
  }
  assert.deepEqual(SCORE_CAP, { critical: 40, high: 70, medium: 85, low: 95, info: 99 });
});

test('score: 28 critical findings among thousands of passing judgements do not read 82%', () => {
  const crit = control('C', 'critical');
  const med = control('M', 'medium');
  const findings = Array.from({ length: 28 }, (_, i) => finding(crit, i));
  const s = computeScores([crit, med], [{ controlId: 'C', evaluated: 2000, failed: 28 }, { controlId: 'M', evaluated: 5000, failed: 0 }], findings);
  assert.equal(s.overall, 40);
  // the same scan with the critical findings accepted (suppressed): only the base counts
  const accepted = computeScores([crit, med], [{ controlId: 'C', evaluated: 2000, failed: 0 }, { controlId: 'M', evaluated: 5000, failed: 0 }], findings.map((f) => ({ ...f, suppressed: { by: 'annotation' as const, reason: 'r' } })));
  assert.equal(accepted.overall, 100);
});

test('score: 100 only when nothing fails; null when nothing was judged; rounded down, never up to 100', () => {
  const rand = rng(4242);
  for (let round = 0; round < 300; round++) {
    const w = randomWorld(rand);
    const s = computeScores(w.controls, w.evaluations, w.findings);
    const anyFails = w.findings.length > 0;
    if (s.overall === 100) assert.ok(!anyFails, `round ${round}: 100 with ${w.findings.length} findings`);
    if (!anyFails && w.evaluations.some((e) => e.evaluated > 0)) assert.equal(s.overall, 100);
  }
  assert.equal(postureScore(0, 0, undefined), null);
  // one low-severity failure in 100,000 judgements: 99.999... reads 95 (the cap), and without a cap would read 99.9, not 100
  assert.equal(postureScore(100_000, 1, 'low'), 95);
  assert.equal(Math.floor((100 * 99_999) / 100_000 * 10) / 10, 99.9);
  assert.equal(postureScore(1000 * SEVERITY_WEIGHT.info, SEVERITY_WEIGHT.info, 'info'), 99);
  // the documented example (docs/scores.md)
  const base = postureScore(10 * 20 + 4 * 200, 10 * 2 + 4 * 30, undefined);
  assert.equal(base, 86);
  assert.equal(postureScore(10 * 20 + 4 * 200, 10 * 2 + 4 * 30, 'critical'), 40);
  assert.equal(postureScore(10 * 20 + 4 * 200, 4 * 30, 'medium'), 85, 'the critical findings accepted');
});

test('score: every report format prints the same score the result carries', async () => {
  const r = await scanPaths(['examples/'], {});
  assert.ok(r.summary.bySeverity.critical > 0);
  assert.ok(r.scores.overall! <= 40, `examples/ has critical findings and scores ${r.scores.overall}`);
  const { formatReport } = await import('../../src/report/index.js');
  const shown = `${r.scores.overall}%`;
  assert.match(formatReport(r, 'pretty', { color: false }), new RegExp(`posture score ${shown}`));
  assert.match(formatReport(r, 'markdown', { color: false }), new RegExp(`Posture score \\*\\*${shown}\\*\\*`));
  assert.equal(JSON.parse(formatReport(r, 'json', { color: false })).scores.overall, r.scores.overall);
  assert.equal(JSON.parse(formatReport(r, 'sarif', { color: false })).runs[0].properties.scores.overall, r.scores.overall);
});
