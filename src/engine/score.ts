/**
 * Posture scores (docs/scores.md has the formula with a worked example).
 *
 * For a group of controls (all of them, a 4C layer, a framework):
 *
 *   base  = 100 × Σ w(c)·(evaluated(c) − failed(c)) / Σ w(c)·evaluated(c)
 *   cap   = the lowest SCORE_CAP of the severities of the group's unsuppressed findings (100 without any)
 *   score = min(base, cap), rounded DOWN to one decimal; null when the group judged nothing and found nothing
 *
 * where each judgement of one object by one control counts with the weight of the control's
 * severity. The cap is what keeps 28 critical findings among thousands of passing checks from
 * reading "82%": any unsuppressed critical finding holds the score at 40 or below. Adding a
 * failing judgement never raises a score; 100 means no unsuppressed finding at all.
 */
import type { ControlEvaluation } from './run.js';
import { FRAMEWORKS, LAYERS, SEVERITIES, type Control, type Framework, type Layer, type Severity } from './types.js';

/** What one judgement of an object by a control weighs, by the control's severity. */
export const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 10, high: 7, medium: 4, low: 1, info: 0.5 };

/** The highest score a group can have while it has an unsuppressed finding of this severity. */
export const SCORE_CAP: Record<Severity, number> = { critical: 40, high: 70, medium: 85, low: 95, info: 99 };

export interface Scores {
  overall: number | null;
  layers: Record<Layer, number | null>;
  frameworks: Record<Framework, number | null>;
}

/** The score of one group from its sums (exported for the property tests and the docs' example). */
export function postureScore(weightedJudged: number, weightedFailed: number, worst: Severity | undefined): number | null {
  if (weightedJudged <= 0 && worst === undefined) return null;
  const base = weightedJudged > 0 ? (100 * (weightedJudged - weightedFailed)) / weightedJudged : 100;
  const cap = worst === undefined ? 100 : SCORE_CAP[worst];
  // rounded down, so that a score with anything failing never prints as 100 (and an exact
  // 100 is not lost to floating point: 100 * 1000 / 1000 is exact)
  return Math.floor(Math.min(base, cap) * 10 + 1e-9) / 10;
}

/**
 * Scores for the whole scan, each 4C layer and each framework, from the controls' evaluations
 * (judged, failed, and the worst severity of their unsuppressed findings as they made them, so
 * that later de-duplication of the findings does not move a score).
 */
export function computeScores(controls: readonly Control[], evaluations: readonly ControlEvaluation[]): Scores {
  const byId = new Map(evaluations.map((e) => [e.controlId, e]));
  const score = (subset: readonly Control[]): number | null => {
    let judged = 0;
    let failed = 0;
    let worst = SEVERITIES.length;
    for (const c of subset) {
      const e = byId.get(c.id);
      if (!e) continue;
      const w = SEVERITY_WEIGHT[c.severity];
      if (e.evaluated > 0) {
        judged += w * e.evaluated;
        failed += w * Math.min(e.failed, e.evaluated);
      }
      if (e.worst !== undefined) worst = Math.min(worst, SEVERITIES.indexOf(e.worst));
    }
    return postureScore(judged, failed, SEVERITIES[worst]);
  };
  const layers = Object.fromEntries(LAYERS.map((l) => [l, score(controls.filter((c) => c.layer === l))])) as Record<Layer, number | null>;
  const frameworks = Object.fromEntries(FRAMEWORKS.map((f) => [f, score(controls.filter((c) => (c.frameworks[f]?.length ?? 0) > 0))])) as Record<Framework, number | null>;
  return { overall: score(controls), layers, frameworks };
}
