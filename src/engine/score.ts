/**
 * Posture scores: for each control, the share of the objects it judged that pass; a layer's
 * (or framework's) score is the severity-weighted mean over its controls that judged anything.
 * 100 = nothing failed. null = nothing to judge.
 */
import type { ControlEvaluation } from './run.js';
import { FRAMEWORKS, LAYERS, type Control, type Framework, type Layer, type Severity } from './types.js';

export const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 10, high: 7, medium: 4, low: 1, info: 0 };

export interface Scores {
  overall: number | null;
  layers: Record<Layer, number | null>;
  frameworks: Record<Framework, number | null>;
}

export function computeScores(controls: readonly Control[], evaluations: readonly ControlEvaluation[]): Scores {
  const byId = new Map(evaluations.map((e) => [e.controlId, e]));
  const score = (subset: readonly Control[]): number | null => {
    let num = 0;
    let den = 0;
    for (const c of subset) {
      const e = byId.get(c.id);
      const w = SEVERITY_WEIGHT[c.severity];
      if (!e || e.evaluated === 0 || w === 0) continue;
      num += (w * (e.evaluated - e.failed)) / e.evaluated;
      den += w;
    }
    return den === 0 ? null : Math.round((1000 * num) / den) / 10;
  };
  const layers = Object.fromEntries(LAYERS.map((l) => [l, score(controls.filter((c) => c.layer === l))])) as Record<Layer, number | null>;
  const frameworks = Object.fromEntries(FRAMEWORKS.map((f) => [f, score(controls.filter((c) => (c.frameworks[f]?.length ?? 0) > 0))])) as Record<Framework, number | null>;
  return { overall: score(controls), layers, frameworks };
}
