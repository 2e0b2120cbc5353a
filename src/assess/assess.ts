/**
 * The Kubernetes Health Assessment (`kordon assess`, docs/assess.md): a scan judged over the
 * eight dimensions, the findings turned into actions on a Risk x Effort scorecard, and the
 * actions placed into four 90-day plans that make a 12-month roadmap.
 *
 * Pure and deterministic: the same scan, inventory and options give the same assessment.
 */
import type { ScanResult } from '../engine/result.js';
import type { ControlEvaluation } from '../engine/run.js';
import { postureScore, SEVERITY_WEIGHT } from '../engine/score.js';
import { DIMENSIONS, LAYERS, SEVERITIES, type Control, type Dimension, type Effort, type Finding, type Layer, type Severity } from '../engine/types.js';
import type { Inventory } from '../inventory/inventory.js';
import type { CoverageEntry } from '../sources/cluster/read.js';
import { buildPlan, type Level, type Quadrant } from '../plan/plan.js';
import { dependenciesOf } from './dependencies.js';
import { inputFacts, notJudgedFor, type NotJudged } from './not-judged.js';
import { changesFor, pathName, PathSimulator, simulable } from './paths-closed.js';
import { schedule } from './schedule.js';
import type { AttackPath } from '../graph/paths.js';

export const ASSESSMENT_SCHEMA_VERSION = '1';
export const ASSESSMENT_KIND = 'kordon-assessment';
/** Person-days per quarter when no capacity is given. */
export const DEFAULT_CAPACITY = 30;

export const SCORE_DEFINITION =
  'Share of passed judgements of the controls informing this dimension, each judgement of one object by one control weighted by the control severity (critical 10, high 7, medium 4, low 1, info 0.5), capped by the worst unsuppressed finding (critical 40, high 70, medium 85, low 95, info 99); null when nothing was judged.';

export interface AssessmentFinding {
  controlId: string;
  severity: Severity;
  layer: Layer;
  /** `Kind/namespace/name`, or `(cluster)` for a finding about the inputs as a whole. */
  object: string;
  message: string;
  source?: string;
  line?: number;
}

export interface DimensionResult {
  name: Dimension;
  /** 0–100, or null when nothing was judged (see `notJudged`). */
  score: number | null;
  definition: string;
  /** Controls that ran and inform the dimension. */
  controls: number;
  /** Judgements (objects × controls) and failed ones. */
  judged: number;
  failed: number;
  /** Unsuppressed findings per 4C layer. */
  layers: Record<Layer, number>;
  findings: AssessmentFinding[];
  notJudged: NotJudged[];
}

export interface AssessmentAction {
  /** The control's id: one action per control (its remediation wherever it found something). */
  id: string;
  control: string;
  title: string;
  /** The primary dimension (the control's first), and all it informs. */
  dimension: Dimension;
  dimensions: Dimension[];
  layer: Layer;
  severity: Severity;
  remediation: string;
  /** 0–100 and its level (docs/plan.md#risk). */
  risk: number;
  riskLevel: Level;
  effort: Effort;
  /** Estimated work (docs/assess.md#effort-in-person-days). */
  personDays: number;
  quadrant: Quadrant;
  findings: number;
  /** Objects the action changes (ids, sorted). */
  objects: string[];
  namespaces: string[];
  /** Actions that must be done first, and why. */
  dependsOn: Array<{ id: string; why: string }>;
  /** Attack paths (from an entry point to a crown jewel) the action's change removes. */
  pathsClosed: number;
  /** `what-if`: computed by applying the change; `not-simulated`: some of its findings lie on paths but carry no change to apply; `not-on-paths`: none of its findings lies on a path. */
  pathsMethod: 'what-if' | 'not-simulated' | 'not-on-paths' | 'no-attack-paths';
  quarter: 1 | 2 | 3 | 4 | null;
  /** Place in the roadmap, from 1. */
  order: number;
  overCapacity?: boolean;
  backlog?: string;
  reason: string;
}

export interface QuarterPlan {
  quarter: 1 | 2 | 3 | 4;
  /** `days 1–90` etc. */
  days: string;
  capacity: number;
  personDays: number;
  actions: string[];
  /** Attack paths removed by this quarter's changes on top of the earlier quarters'. */
  pathsClosed: number;
  paths: string[];
  /** Actions of the quarter on attack paths whose change could not be simulated. */
  notSimulated: string[];
}

export interface Assessment {
  schemaVersion: string;
  kind: typeof ASSESSMENT_KIND;
  sources: string[];
  /** Whether risk and paths closed come from the security graph. */
  attackPaths: boolean;
  capacity: number;
  summary: {
    objects: number;
    findings: number;
    actions: number;
    personDays: number;
    /** Attack paths in the inputs, and those the four quarters close. */
    attackPaths: number;
    pathsClosed: number;
    backlog: number;
  };
  dimensions: DimensionResult[];
  actions: AssessmentAction[];
  quarters: QuarterPlan[];
  /** Actions that do not fit into the year. */
  backlog: string[];
}

export interface AssessOptions {
  /** Person-days per quarter (default 30). */
  capacity?: number;
  /** What a cluster read covered (resources that could not be listed are not judged). */
  coverage?: readonly CoverageEntry[];
}

/** Person-days of an action on one object, by its effort. */
export const EFFORT_DAYS: Record<Effort, number> = { low: 0.5, medium: 2, high: 5 };

/**
 * Person-days for an action: the effort's days for one object, times 1 + ½·log2(objects) (the
 * same change in four places costs twice one, in sixteen three times: a repeated change is mostly
 * automation and review), rounded up to half days.
 */
export function personDays(effort: Effort, objects: number): number {
  return Math.ceil(EFFORT_DAYS[effort] * (1 + Math.log2(Math.max(1, objects)) / 2) * 2 - 1e-9) / 2;
}

export function dimensionsOf(c: Control | undefined): Dimension[] {
  const d = c?.dimensions?.length ? c.dimensions : (['Security'] as Dimension[]);
  return DIMENSIONS.filter((x) => d.includes(x));
}

function primaryDimension(c: Control | undefined): Dimension {
  return c?.dimensions?.[0] ?? 'Security';
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compactFinding(f: Finding): AssessmentFinding {
  return {
    controlId: f.controlId,
    severity: f.severity,
    layer: f.layer,
    object: f.object?.id ?? '(cluster)',
    message: f.message,
    ...(f.location ? { source: f.location.source, line: f.location.line } : {}),
  };
}

function dimensionScore(controls: readonly Control[], evaluations: ReadonlyMap<string, ControlEvaluation>): { score: number | null; judged: number; failed: number } {
  let wJudged = 0;
  let wFailed = 0;
  let judged = 0;
  let failed = 0;
  let worst = SEVERITIES.length;
  for (const c of controls) {
    const e = evaluations.get(c.id);
    if (!e) continue;
    const w = SEVERITY_WEIGHT[c.severity];
    if (e.evaluated > 0) {
      wJudged += w * e.evaluated;
      wFailed += w * Math.min(e.failed, e.evaluated);
      judged += e.evaluated;
      failed += Math.min(e.failed, e.evaluated);
    }
    if (e.worst !== undefined) worst = Math.min(worst, SEVERITIES.indexOf(e.worst));
  }
  return { score: postureScore(wJudged, wFailed, SEVERITIES[worst]), judged, failed };
}

/**
 * The assessment of a scan. `inv` is the inventory the scan judged (for the what-if of attack
 * paths); the scan should have been made with `attackPaths: true` for risk to include them.
 */
export function buildAssessment(result: ScanResult, inv: Inventory, opts: AssessOptions = {}): Assessment {
  const capacity = opts.capacity ?? DEFAULT_CAPACITY;
  const controls = new Map(result.controls.map((c) => [c.id, c]));
  const evaluations = new Map(result.evaluations.map((e) => [e.controlId, e]));
  const active = result.findings.filter((f) => !f.suppressed);
  const withFindings = new Set(active.map((f) => f.controlId));
  const facts = inputFacts(inv, opts.coverage);

  // dimensions
  const dimensions: DimensionResult[] = DIMENSIONS.map((name) => {
    const members = result.controls.filter((c) => dimensionsOf(c).includes(name));
    const ids = new Set(members.map((c) => c.id));
    const findings = active.filter((f) => ids.has(f.controlId));
    const layers = Object.fromEntries(LAYERS.map((l) => [l, 0])) as Record<Layer, number>;
    for (const f of findings) layers[f.layer]++;
    const s = dimensionScore(members, evaluations);
    return {
      name,
      score: s.score,
      definition: SCORE_DEFINITION,
      controls: members.length,
      judged: s.judged,
      failed: s.failed,
      layers,
      findings: findings.map(compactFinding),
      notJudged: notJudgedFor(name, members, evaluations, facts, withFindings),
    };
  });

  // actions: the plan's, with dimension, objects, dependencies and person-days
  const plan = buildPlan(result);
  const planActions = plan.phases.flatMap((p) => p.actions);
  const findingsOf = new Map<string, Finding[]>();
  for (const f of active) {
    const list = findingsOf.get(f.controlId);
    if (list) list.push(f);
    else findingsOf.set(f.controlId, [f]);
  }
  const deps = dependenciesOf(planActions.map((a) => ({ id: a.controlId, control: controls.get(a.controlId), namespaces: a.namespaces })));

  // attack paths closed, per action (only those with findings on paths are simulated)
  const attackPaths = plan.attackPaths;
  const sim = attackPaths ? new PathSimulator(inv) : undefined;
  const closedBy = new Map<string, { n: number; method: AssessmentAction['pathsMethod'] }>();
  for (const a of planActions) {
    const fs = findingsOf.get(a.controlId) ?? [];
    if (!sim) closedBy.set(a.controlId, { n: 0, method: 'no-attack-paths' });
    else if (a.onAttackPaths === 0) closedBy.set(a.controlId, { n: 0, method: 'not-on-paths' });
    else if (!fs.some((f) => (f.priority?.onPaths ?? 0) > 0 && simulable(f))) closedBy.set(a.controlId, { n: 0, method: 'not-simulated' });
    else closedBy.set(a.controlId, { n: sim.closedBy(changesFor(inv, fs)).length, method: 'what-if' });
  }

  const placements = schedule(
    planActions.map((a) => ({ id: a.controlId, rank: a.rank, personDays: personDays(a.effort, a.objects), dependsOn: (deps.get(a.controlId) ?? []).map((d) => d.id) })),
    capacity,
  );

  const actions: AssessmentAction[] = planActions.map((a) => {
    const c = controls.get(a.controlId);
    const fs = findingsOf.get(a.controlId) ?? [];
    const p = placements.get(a.controlId)!;
    const closed = closedBy.get(a.controlId)!;
    return {
      id: a.controlId,
      control: a.control,
      title: a.title,
      dimension: primaryDimension(c),
      dimensions: dimensionsOf(c),
      layer: a.layer,
      severity: a.severity,
      remediation: a.remediation,
      risk: a.risk,
      riskLevel: a.riskLevel,
      effort: a.effort,
      personDays: personDays(a.effort, a.objects),
      quadrant: a.quadrant,
      findings: a.findings,
      objects: [...new Set(fs.map((f) => f.object?.id ?? '(cluster)'))].sort(cmp),
      namespaces: a.namespaces,
      dependsOn: deps.get(a.controlId) ?? [],
      pathsClosed: closed.n,
      pathsMethod: closed.method,
      quarter: p.quarter,
      order: p.order,
      ...(p.overCapacity ? { overCapacity: true } : {}),
      ...(p.backlog ? { backlog: p.backlog } : {}),
      reason: a.reason,
    };
  });
  actions.sort((x, y) => x.order - y.order);

  // quarters: the paths each closes on top of the earlier ones (cumulative what-if)
  const quarters: QuarterPlan[] = [];
  let before: Set<string> | undefined = sim ? sim.remaining([]) : undefined;
  const done: Finding[] = [];
  for (const q of [1, 2, 3, 4] as const) {
    const qa = actions.filter((a) => a.quarter === q);
    let closed: AttackPath[] = [];
    if (sim && before) {
      for (const a of qa) done.push(...(findingsOf.get(a.id) ?? []));
      const after = qa.some((a) => a.pathsMethod === 'what-if') ? sim.remaining(changesFor(inv, done)) : before;
      closed = sim.base.filter((p) => before!.has(sim.signature(p)) && !after.has(sim.signature(p)));
      before = after;
    }
    quarters.push({
      quarter: q,
      days: `days ${(q - 1) * 90 + 1}–${q * 90}`,
      capacity,
      personDays: qa.reduce((n, a) => n + a.personDays, 0),
      actions: qa.map((a) => a.id),
      pathsClosed: closed.length,
      paths: closed.map(pathName),
      notSimulated: qa.filter((a) => a.pathsMethod === 'not-simulated').map((a) => a.id),
    });
  }
  const backlog = actions.filter((a) => a.quarter === null).map((a) => a.id);
  return {
    schemaVersion: ASSESSMENT_SCHEMA_VERSION,
    kind: ASSESSMENT_KIND,
    sources: [...result.sources],
    attackPaths,
    capacity,
    summary: {
      objects: result.summary.objects,
      findings: active.length,
      actions: actions.length,
      personDays: actions.reduce((n, a) => n + a.personDays, 0),
      attackPaths: sim?.base.length ?? 0,
      pathsClosed: quarters.reduce((n, q) => n + q.pathsClosed, 0),
      backlog: backlog.length,
    },
    dimensions,
    actions,
    quarters,
    backlog,
  };
}
