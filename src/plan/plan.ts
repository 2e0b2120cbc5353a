/**
 * The Risk x Effort plan: a scan's findings turned into a roadmap of actions. One action per
 * control (one remediation, applied wherever the control found something), placed by its risk
 * and its effort:
 *
 *   phase 1  quick wins       high risk, low effort
 *   phase 2  major projects   high risk, medium or high effort
 *   phase 3  fill-ins         medium or low risk, low effort
 *   phase 4  later            medium or low risk, medium or high effort
 *
 * Risk (0-100) is the highest priority among the action's findings (the attack-path priority when
 * the scan computed attack paths, else the severity's base: critical 50, high 40, medium 25,
 * low 10, info 0), plus up to 10 for breadth (3 x log2 of the objects concerned). High from 40,
 * medium from 20. Effort is the control's effort, one step lower when every finding carries a
 * JSON patch (the change is mechanical), one step higher past 25 objects (the change has to be
 * rolled out widely). Pure and deterministic: the same scan gives the same plan.
 */
import type { ScanResult } from '../engine/result.js';
import type { Effort, Finding, Layer, Severity } from '../engine/types.js';
import { SEVERITY_BASE } from '../graph/priority.js';

export const PLAN_SCHEMA_VERSION = '1';

const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export type Quadrant = 'quick-win' | 'major-project' | 'fill-in' | 'later';
export type Level = 'high' | 'medium' | 'low';

export interface PlanAction {
  /** Place in the whole plan, from 1. */
  rank: number;
  controlId: string;
  control: string;
  title: string;
  layer: Layer;
  severity: Severity;
  remediation: string;
  risk: number;
  riskLevel: Level;
  /** The control's own effort. */
  controlEffort: Effort;
  effort: Effort;
  quadrant: Quadrant;
  /** Why it sits where it does. */
  reason: string;
  findings: number;
  objects: number;
  namespaces: string[];
  /** Findings that lie on at least one attack path (0 when the scan computed none). */
  onAttackPaths: number;
  /** Findings with a JSON patch. */
  fixable: number;
  /** Up to three places, the riskiest first. */
  examples: Array<{ object: string; message: string; source?: string; line?: number }>;
  /** Image upgrade actions (`plan --vulns`, src/plan/image-upgrades.ts): the image, and the attack paths through its exploits. */
  image?: { image: string; digest?: string; vulnerabilities: number; upgrades: Array<{ package: string; from: string; to: string }>; pathsClosed: number };
  /** Least privilege from observed behaviour (`plan --runtime`/`--audit`, src/plan/harden-actions.ts): the workload or service account, harden's changes and the attack paths they close. */
  harden?: { workload: { kind: string; namespace: string; name: string }; changes: string[]; pathsClosed?: number };
}

export interface PlanPhase {
  phase: 1 | 2 | 3 | 4;
  quadrant: Quadrant;
  name: string;
  actions: PlanAction[];
}

export interface Plan {
  schemaVersion: string;
  /** Whether risk includes attack paths (the scan computed them). */
  attackPaths: boolean;
  summary: { actions: number; findings: number; byQuadrant: Record<Quadrant, number> };
  phases: PlanPhase[];
}

const EFFORTS: readonly Effort[] = ['low', 'medium', 'high'];
const PHASES: ReadonlyArray<{ phase: 1 | 2 | 3 | 4; quadrant: Quadrant; name: string }> = [
  { phase: 1, quadrant: 'quick-win', name: 'Quick wins: high risk, low effort' },
  { phase: 2, quadrant: 'major-project', name: 'Major projects: high risk, more effort' },
  { phase: 3, quadrant: 'fill-in', name: 'Fill-ins: lower risk, low effort' },
  { phase: 4, quadrant: 'later', name: 'Later: lower risk, more effort' },
];
/** Past this many objects a change is a roll-out: one step more effort. */
export const WIDE_ROLLOUT = 25;

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function findingScore(f: Finding): number {
  return f.priority?.score ?? SEVERITY_BASE[f.severity];
}

export function buildPlan(result: ScanResult): Plan {
  const byControl = new Map<string, Finding[]>();
  for (const f of result.findings) {
    if (f.suppressed) continue;
    const list = byControl.get(f.controlId);
    if (list) list.push(f);
    else byControl.set(f.controlId, [f]);
  }
  const controls = new Map(result.controls.map((c) => [c.id, c]));
  const attackPaths = result.findings.some((f) => f.priority !== undefined);
  const actions: PlanAction[] = [];
  for (const [id, findings] of byControl) {
    const control = controls.get(id);
    const first = findings[0]!;
    // the action is as severe as its worst finding (a finding standing for others carries their highest severity: docs/deduplication.md)
    const severity = findings.reduce<Severity>((w, f) => (SEVERITY_ORDER.indexOf(f.severity) < SEVERITY_ORDER.indexOf(w) ? f.severity : w), first.severity);
    const objects = new Set(findings.map((f) => f.object?.id ?? '(inventory)'));
    // a Namespace object's finding is about that namespace
    const namespaces = [...new Set(findings.map((f) => (f.object?.kind === 'Namespace' ? f.object.name : f.object?.namespace)).filter((n): n is string => n !== undefined))].sort(cmp);
    const top = Math.max(...findings.map(findingScore));
    const breadth = Math.min(10, Math.round(3 * Math.log2(objects.size)));
    const risk = Math.min(100, top + breadth);
    const riskLevel: Level = risk >= 40 ? 'high' : risk >= 20 ? 'medium' : 'low';
    const controlEffort: Effort = control?.effort ?? 'medium';
    const fixable = findings.filter((f) => f.fix && f.fix.length > 0).length;
    let step = EFFORTS.indexOf(controlEffort);
    const why: string[] = [];
    if (fixable === findings.length) {
      step--;
      why.push('every finding has a JSON patch');
    }
    if (objects.size > WIDE_ROLLOUT) {
      step++;
      why.push(`${objects.size} objects to change`);
    }
    const effort = EFFORTS[Math.max(0, Math.min(2, step))]!;
    if (effort === controlEffort) why.length = 0; // a step that changed nothing is not a reason
    const onAttackPaths = findings.filter((f) => (f.priority?.onPaths ?? 0) > 0).length;
    const quadrant: Quadrant = riskLevel === 'high' ? (effort === 'low' ? 'quick-win' : 'major-project') : effort === 'low' ? 'fill-in' : 'later';
    const riskWhy = onAttackPaths > 0 ? `${onAttackPaths} finding(s) on attack paths` : `${severity} severity`;
    const effortWhy = `effort ${controlEffort}${why.length ? ` → ${effort} (${why.join('; ')})` : ''}`;
    const ranked = [...findings].sort((a, b) => findingScore(b) - findingScore(a) || cmp(a.object?.id ?? '', b.object?.id ?? '') || cmp(a.pointer, b.pointer));
    actions.push({
      rank: 0,
      controlId: id,
      control: first.control,
      title: first.title,
      layer: first.layer,
      severity,
      remediation: control?.remediation ?? '',
      risk,
      riskLevel,
      controlEffort,
      effort,
      quadrant,
      reason: `risk ${risk} (${riskWhy}, ${objects.size} object(s)); ${effortWhy}`,
      findings: findings.length,
      objects: objects.size,
      namespaces,
      onAttackPaths,
      fixable,
      examples: ranked.slice(0, 3).map((f) => ({
        object: f.object?.id ?? '(inventory)',
        message: f.message,
        ...(f.location ? { source: f.location.source, line: f.location.line } : {}),
      })),
    });
  }
  return arrangePlan(actions, attackPaths);
}

/** Actions into the four phases, riskiest first, ranked from 1 (also used by src/plan/image-upgrades.ts). */
export function arrangePlan(actions: PlanAction[], attackPaths: boolean): Plan {
  const phases: PlanPhase[] = PHASES.map((p) => ({
    ...p,
    actions: actions
      .filter((a) => a.quadrant === p.quadrant)
      .sort((a, b) => b.risk - a.risk || EFFORTS.indexOf(a.effort) - EFFORTS.indexOf(b.effort) || b.findings - a.findings || cmp(a.controlId, b.controlId) || cmp(a.title, b.title)),
  }));
  let rank = 0;
  for (const p of phases) for (const a of p.actions) a.rank = ++rank;
  const byQuadrant = Object.fromEntries(PHASES.map((p) => [p.quadrant, phases.find((x) => x.quadrant === p.quadrant)!.actions.length])) as Record<Quadrant, number>;
  return { schemaVersion: PLAN_SCHEMA_VERSION, attackPaths, summary: { actions: actions.length, findings: actions.reduce((n, a) => n + a.findings, 0), byQuadrant }, phases };
}
