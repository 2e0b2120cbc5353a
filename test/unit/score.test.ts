import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeScores, postureScore, SCORE_CAP, SEVERITY_WEIGHT } from '../../src/engine/score.js';
import { SEVERITIES, defineControl, type Control, type Severity } from '../../src/engine/types.js';
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

/** A tiny deterministic random source (the properties are checked on many generated scans). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

interface World {
  controls: Control[];
  evaluations: ControlEvaluation[];
}

const rank = (s: Severity): number => SEVERITIES.indexOf(s);
const worse = (a: Severity | undefined, b: Severity): Severity => (a === undefined || rank(b) < rank(a) ? b : a);

/** A control's finding severity: its own, or (a graded control) a lower one. */
function gradedSeverity(c: Control, rand: () => number): Severity {
  return SEVERITIES[rank(c.severity) + Math.floor(rand() * (SEVERITIES.length - rank(c.severity)))]!;
}

function randomWorld(rand: () => number): World {
  const controls = Array.from({ length: 1 + Math.floor(rand() * 8) }, (_, i) => control(`T-${i}`, SEVERITIES[Math.floor(rand() * SEVERITIES.length)]!, rand() < 0.5 ? 'container' : 'cluster', rand() < 0.5 ? { pss: ['baseline:x'] } : {}));
  const evaluations: ControlEvaluation[] = [];
  for (const c of controls) {
    const evaluated = Math.floor(rand() * 50);
    const failed = evaluated === 0 ? 0 : Math.floor(rand() * (evaluated + 1) * (rand() < 0.5 ? 0.1 : 1));
    let worst: Severity | undefined;
    for (let i = 0; i < failed; i++) worst = worse(worst, gradedSeverity(c, rand));
    evaluations.push({ controlId: c.id, evaluated, failed, ...(worst ? { worst } : {}) });
  }
  return { controls, evaluations };
}

/** The world with one more failing judgement of control k (a new object that fails it, with a finding of severity sev). */
function addFailure(w: World, k: number, sev: Severity): World {
  const c = w.controls[k]!;
  return {
    controls: w.controls,
    evaluations: w.evaluations.map((e) => (e.controlId === c.id ? { ...e, evaluated: e.evaluated + 1, failed: e.failed + 1, worst: worse(e.worst, sev) } : e)),
  };
}

const all = (s: ReturnType<typeof computeScores>): Array<number | null> => [s.overall, ...Object.values(s.layers), ...Object.values(s.frameworks)];

test('score: adding a failing judgement never raises any score (overall, layer, framework)', () => {
  const rand = rng(12345);
  for (let round = 0; round < 500; round++) {
    const w = randomWorld(rand);
    const k = Math.floor(rand() * w.controls.length);
    const before = all(computeScores(w.controls, w.evaluations));
    const after = all(computeScores(w.controls, addFailure(w, k, gradedSeverity(w.controls[k]!, rand)).evaluations));
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
    const s = computeScores(w.controls, w.evaluations);
    const worst = SEVERITIES.find((sev) => w.evaluations.some((e) => e.worst === sev));
    if (worst) assert.ok(s.overall! <= SCORE_CAP[worst], `round ${round}: ${s.overall} with a ${worst} finding`);
  }
  assert.deepEqual(SCORE_CAP, { critical: 40, high: 70, medium: 85, low: 95, info: 99 });
  // a graded control (critical at worst) whose findings here are only low is capped as low
  const caps = control('CAP', 'critical');
  assert.equal(computeScores([caps], [{ controlId: 'CAP', evaluated: 1000, failed: 1, worst: 'low' }]).overall, 95);
});

test('score: 28 critical findings among thousands of passing judgements do not read 82%', () => {
  const crit = control('C', 'critical');
  const med = control('M', 'medium');
  const s = computeScores([crit, med], [{ controlId: 'C', evaluated: 2000, failed: 28, worst: 'critical' }, { controlId: 'M', evaluated: 5000, failed: 0 }]);
  assert.equal(s.overall, 40);
  // the same scan with the critical findings accepted (suppressed): they neither fail nor cap
  const accepted = computeScores([crit, med], [{ controlId: 'C', evaluated: 2000, failed: 0 }, { controlId: 'M', evaluated: 5000, failed: 0 }]);
  assert.equal(accepted.overall, 100);
});

test('score: 100 only when nothing fails; null when nothing was judged; rounded down, never up to 100', () => {
  const rand = rng(4242);
  for (let round = 0; round < 300; round++) {
    const w = randomWorld(rand);
    const s = computeScores(w.controls, w.evaluations);
    const anyFails = w.evaluations.some((e) => e.failed > 0 || e.worst !== undefined);
    if (s.overall === 100) assert.ok(!anyFails, `round ${round}: 100 with failures`);
    if (!anyFails && w.evaluations.some((e) => e.evaluated > 0)) assert.equal(s.overall, 100);
  }
  assert.equal(postureScore(0, 0, undefined), null);
  // one low-severity failure in 100,000 judgements: 99.999... reads 95 (the cap), and without a cap would read 99.9, not 100
  assert.equal(postureScore(100_000, 1, 'low'), 95);
  assert.equal(postureScore(100_000, 1, undefined), 99.9);
  assert.equal(postureScore(1000 * SEVERITY_WEIGHT.info, SEVERITY_WEIGHT.info, 'info'), 99);
  // a finding about the cluster as a whole (no object judged) still caps
  assert.equal(computeScores([control('I', 'high')], [{ controlId: 'I', evaluated: 0, failed: 0, worst: 'high' }]).overall, 70);
  // the documented example (docs/scores.md)
  const base = postureScore(10 * 20 + 4 * 200, 10 * 2 + 4 * 30, undefined);
  assert.equal(base, 86);
  assert.equal(postureScore(10 * 20 + 4 * 200, 10 * 2 + 4 * 30, 'critical'), 40);
  assert.equal(postureScore(10 * 20 + 4 * 200, 4 * 30, 'medium'), 85, 'the critical findings accepted');
});

test('score: the runner records the worst unsuppressed severity per control; suppressed findings do not count', async () => {
  const r = await scanPaths(['examples/'], {});
  // evaluations are counted before de-duplication (a superseded finding still fails its own control)
  const raw = await scanPaths(['examples/'], { dedupe: false });
  assert.deepEqual(raw.evaluations, r.evaluations);
  const byId = new Map(r.evaluations.map((e) => [e.controlId, e]));
  for (const e of r.evaluations) {
    const active = raw.findings.filter((f) => f.controlId === e.controlId && !f.suppressed);
    const worst = SEVERITIES.find((s) => active.some((f) => f.severity === s));
    assert.equal(e.worst, worst, e.controlId);
  }
  assert.equal(byId.get('KOR-0003')!.worst, 'critical');
  const accepted = await scanPaths(['examples/'], { exceptions: [{ rule: { controls: ['*'], match: {}, reason: 'all accepted' }, source: 'test' }] });
  assert.ok(accepted.evaluations.every((e) => e.worst === undefined && e.failed === 0));
  assert.equal(accepted.scores.overall, 100);
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
