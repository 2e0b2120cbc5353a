/**
 * Progress against a previous assessment (its JSON, `kordon assess -f json`): which actions are
 * done, which went forward or back, which risks are new, and how each dimension's score moved.
 * Actions are matched by id (the control's id, stable forever).
 */
import { DIMENSIONS, type Dimension } from '../engine/types.js';
import { ASSESSMENT_KIND, type Assessment, type AssessmentAction } from './assess.js';

export interface Progress {
  /** Actions of the previous assessment with nothing left to do. */
  actionsDone: Array<{ id: string; title: string; objects: number }>;
  /** Actions still open with fewer objects to change than before. */
  actionsProgressed: Array<{ id: string; title: string; objectsBefore: number; objectsAfter: number; objectsFixed: string[] }>;
  /** Actions that were not in the previous assessment. */
  newRisks: Array<{ id: string; title: string; risk: number; dimension: Dimension; objects: number }>;
  /** Actions still open with more objects to change, or a higher risk, than before. */
  worsened: Array<{ id: string; title: string; objectsBefore: number; objectsAfter: number; riskBefore: number; riskAfter: number; objectsAdded: string[] }>;
  scores: Array<{ name: Dimension; before: number | null; after: number | null; delta: number | null }>;
  /** Attack paths in the inputs, before and after. */
  attackPaths: { before: number; after: number };
}

type Previous = Pick<Assessment, 'kind' | 'dimensions' | 'actions' | 'summary'>;

/** Reads a previous assessment's JSON; a clear error when it is not one. */
export function parsePreviousAssessment(text: string): { assessment: Assessment } | { error: string } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    return { error: `not JSON (${(err as Error).message.split('\n')[0]})` };
  }
  const o = v as Partial<Previous> | null;
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return { error: 'not a kordon assessment (expected a JSON object)' };
  if (o.kind !== ASSESSMENT_KIND) return { error: `not a kordon assessment (no "kind": "${ASSESSMENT_KIND}"; write one with kordon assess -f json)` };
  if (!Array.isArray(o.dimensions) || !Array.isArray(o.actions)) return { error: 'not a kordon assessment ("dimensions" and "actions" must be arrays)' };
  for (const [i, a] of o.actions.entries()) {
    const x = a as Partial<AssessmentAction> | null;
    if (x === null || typeof x !== 'object' || typeof x.id !== 'string' || !Array.isArray(x.objects) || typeof x.risk !== 'number') return { error: `actions[${i}] is not an assessment action (needs "id", "objects" and "risk")` };
  }
  for (const [i, d] of o.dimensions.entries()) {
    const x = d as { name?: unknown; score?: unknown } | null;
    if (x === null || typeof x !== 'object' || typeof x.name !== 'string' || !(x.score === null || typeof x.score === 'number')) return { error: `dimensions[${i}] is not a dimension (needs "name" and "score")` };
  }
  return { assessment: v as Assessment };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareAssessments(previous: Assessment, current: Assessment): Progress {
  const before = new Map(previous.actions.map((a) => [a.id, a]));
  const now = new Map(current.actions.map((a) => [a.id, a]));
  const actionsDone: Progress['actionsDone'] = [];
  const actionsProgressed: Progress['actionsProgressed'] = [];
  const worsened: Progress['worsened'] = [];
  for (const p of [...before.values()].sort((a, b) => cmp(a.id, b.id))) {
    const c = now.get(p.id);
    if (!c) {
      actionsDone.push({ id: p.id, title: String(p.title ?? p.id), objects: p.objects.length });
      continue;
    }
    const was = new Set(p.objects);
    const is = new Set(c.objects);
    const fixed = p.objects.filter((o) => !is.has(o)).sort(cmp);
    const added = c.objects.filter((o) => !was.has(o)).sort(cmp);
    if (added.length > 0 || c.risk > p.risk) worsened.push({ id: c.id, title: c.title, objectsBefore: p.objects.length, objectsAfter: c.objects.length, riskBefore: p.risk, riskAfter: c.risk, objectsAdded: added });
    else if (fixed.length > 0) actionsProgressed.push({ id: c.id, title: c.title, objectsBefore: p.objects.length, objectsAfter: c.objects.length, objectsFixed: fixed });
  }
  const newRisks = current.actions
    .filter((a) => !before.has(a.id))
    .sort((a, b) => b.risk - a.risk || cmp(a.id, b.id))
    .map((a) => ({ id: a.id, title: a.title, risk: a.risk, dimension: a.dimension, objects: a.objects.length }));
  const prevScores = new Map(previous.dimensions.map((d) => [d.name, d.score]));
  const scores = DIMENSIONS.map((name) => {
    const b = prevScores.has(name) ? prevScores.get(name)! : null;
    const a = current.dimensions.find((d) => d.name === name)?.score ?? null;
    return { name, before: b, after: a, delta: a !== null && b !== null ? Math.round((a - b) * 10) / 10 : null };
  });
  return {
    actionsDone,
    actionsProgressed,
    newRisks,
    worsened,
    scores,
    attackPaths: { before: typeof previous.summary?.attackPaths === 'number' ? previous.summary.attackPaths : 0, after: current.summary.attackPaths },
  };
}
