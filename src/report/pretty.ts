/**
 * The human report. A short summary first (counts by severity, the posture score, the top
 * risks, what could not be read), then the findings: by default ordered by severity across the
 * 4C layers (then by attack-path priority when the scan ranked them, then control and object),
 * each control's layer shown, its remediation once; `groupBy` regroups them by layer, control
 * or object. Then suppressed findings, input problems, exceptions that expired or matched
 * nothing, and the scores per layer and framework. Colour only when asked (the CLI decides from
 * the terminal and NO_COLOR).
 */
import type { ScanResult } from '../engine/result.js';
import { SCORE_CAP } from '../engine/score.js';
import { FRAMEWORKS, LAYERS, SEVERITIES, type Control, type Finding, type Severity } from '../engine/types.js';
import { compareStrings, exceptionScope, findingLocation, findingNote, formatScore, groupBy as groupItems, objectName, problemLocation, SEVERITY_RANK } from './common.js';

export type GroupBy = 'severity' | 'layer' | 'control' | 'object';

export interface PrettyOptions {
  color: boolean;
  /** How findings are grouped (default `severity`). */
  groupBy?: GroupBy;
  /** How many control groups the summary names as top risks (default 5). */
  topRisks?: number;
}

const STYLE = {
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  yellow: '\x1b[33m',
  green: '\x1b[32m',
  cyan: '\x1b[36m',
  reset: '\x1b[0m',
} as const;

const SEVERITY_STYLE: Record<Severity, string> = { critical: '\x1b[1;31m', high: STYLE.red, medium: STYLE.yellow, low: STYLE.cyan, info: STYLE.dim };
const LAYER_TITLE: Record<string, string> = { cloud: 'CLOUD', cluster: 'CLUSTER', container: 'CONTAINER', code: 'CODE' };
const FRAMEWORK_TITLE: Record<string, string> = { pss: 'PSS', nsa: 'NSA-CISA', cis: 'CIS', mitre: 'MITRE ATT&CK' };

type Paint = (style: string, s: string) => string;

/** The findings of one control, with what orders them. */
export interface ControlGroup {
  id: string;
  findings: Finding[];
  severity: Severity;
  /** The highest attack-path priority among them (0 without attack paths). */
  priority: number;
  /** Whether one of them lies on an attack path (the priority is then shown). */
  onPaths: boolean;
}

const priorityOf = (f: Finding): number => f.priority?.score ?? 0;

/** Findings in report order: severity, then priority (highest first), then control, object and place. */
export function compareForReport(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    priorityOf(b) - priorityOf(a) ||
    compareStrings(a.controlId, b.controlId) ||
    compareStrings(objectName(a.object), objectName(b.object)) ||
    compareStrings(findingLocation(a), findingLocation(b)) ||
    compareStrings(a.pointer, b.pointer)
  );
}

/** Findings in report order; the keys are computed once per finding (a scan may have millions). */
export function sortForReport(findings: readonly Finding[]): Finding[] {
  const keyed = findings.map((f) => ({ f, sev: SEVERITY_RANK[f.severity], prio: priorityOf(f), obj: objectName(f.object), loc: findingLocation(f) }));
  keyed.sort(
    (a, b) =>
      a.sev - b.sev ||
      b.prio - a.prio ||
      compareStrings(a.f.controlId, b.f.controlId) ||
      compareStrings(a.obj, b.obj) ||
      compareStrings(a.loc, b.loc) ||
      compareStrings(a.f.pointer, b.f.pointer),
  );
  return keyed.map((k) => k.f);
}

/** Findings grouped by control, the groups in report order (severity, priority, id). */
export function controlGroups(findings: readonly Finding[]): ControlGroup[] {
  const groups = [...groupItems(sortForReport(findings), (f) => `${SEVERITY_RANK[f.severity]}\u0000${f.controlId}`).values()].map((fs) => {
    let priority = 0;
    let onPaths = false;
    for (const f of fs) {
      priority = Math.max(priority, priorityOf(f));
      if ((f.priority?.onPaths ?? 0) > 0) onPaths = true;
    }
    return { id: fs[0]!.controlId, findings: fs, severity: fs[0]!.severity, priority, onPaths };
  });
  return groups.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.priority - a.priority || compareStrings(a.id, b.id));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatPretty(r: ScanResult, opts: PrettyOptions): string {
  const paint: Paint = (style, s) => (opts.color ? `${style}${s}${STYLE.reset}` : s);
  const out: string[] = [];
  const controls = new Map<string, Control>(r.controls.map((c) => [c.id, c]));
  const active = r.findings.filter((f) => !f.suppressed);
  const groups = controlGroups(active);
  const how = opts.groupBy ?? 'severity';

  summaryLines(r, groups, paint, opts.topRisks ?? 5, out);

  if (active.length === 0) out.push(paint(STYLE.green, 'No findings.'), '');
  else if (how === 'object') objectSections(active, controls, paint, out);
  else {
    out.push(paint(STYLE.bold, `FINDINGS (${active.length}${how === 'severity' ? '' : `, by ${how}`})`), '');
    if (how === 'layer') {
      for (const layer of LAYERS) {
        const inLayer = groups.filter((g) => g.findings[0]!.layer === layer);
        if (inLayer.length === 0) continue;
        out.push(paint(STYLE.bold, `${LAYER_TITLE[layer]} (${plural(count(inLayer), 'finding')})`));
        for (const g of inLayer) controlBlock(g, controls, paint, false, out);
      }
    } else if (how === 'control') {
      for (const g of groups) controlBlock(g, controls, paint, true, out);
    } else {
      for (const sev of SEVERITIES) {
        const atSev = groups.filter((g) => g.severity === sev);
        if (atSev.length === 0) continue;
        out.push(paint(SEVERITY_STYLE[sev], `${sev.toUpperCase()} (${plural(count(atSev), 'finding')})`));
        for (const g of atSev) controlBlock(g, controls, paint, true, out, false);
      }
    }
  }

  const suppressed = r.findings.filter((f) => f.suppressed);
  if (suppressed.length > 0) {
    out.push(paint(STYLE.bold, `SUPPRESSED (${suppressed.length})`));
    for (const f of suppressed) {
      const loc = findingLocation(f);
      out.push(`  ${f.controlId} ${objectName(f.object)}${loc ? ` ${paint(STYLE.dim, loc)}` : ''}: ${f.suppressed!.reason} (${f.suppressed!.by === 'annotation' ? 'annotation' : 'exception rule'})`);
    }
    out.push('');
  }

  if (r.problems.length > 0) {
    out.push(paint(STYLE.bold, `INPUT PROBLEMS (${r.problems.length})`));
    for (const p of r.problems) {
      const style = p.severity === 'error' ? STYLE.red : STYLE.yellow;
      out.push(`  ${paint(style, p.severity.toUpperCase().padEnd(8))} ${problemLocation(p)}: ${p.message} ${paint(STYLE.dim, `[${p.code}]`)}`);
    }
    out.push('');
  }

  const { expired, unused } = r.exceptions;
  if (expired.length + unused.length > 0) {
    out.push(paint(STYLE.bold, 'EXCEPTIONS'));
    for (const e of expired) out.push(`  ${paint(STYLE.yellow, 'EXPIRED')}  ${e.source}: ${e.controls.join(', ')} on ${exceptionScope(e.match)} (expired ${e.expires}): ${e.reason}`);
    for (const e of unused) out.push(`  ${paint(STYLE.dim, 'UNUSED')}   ${e.source}: ${e.controls.join(', ')} on ${exceptionScope(e.match)} matched no finding: ${e.reason}`);
    out.push('');
  }

  const s = r.summary;
  out.push(paint(STYLE.bold, 'SCORES'));
  out.push(`  by 4C layer: ${LAYERS.map((l) => `${l} ${formatScore(r.scores.layers[l])} (${plural(s.byLayer[l], 'finding')})`).join(', ')}`);
  out.push(`  by framework: ${FRAMEWORKS.map((fw) => `${FRAMEWORK_TITLE[fw]} ${formatScore(r.scores.frameworks[fw])}`).join(', ')}`);
  return out.join('\n') + '\n';
}

function count(groups: readonly ControlGroup[]): number {
  let n = 0;
  for (const g of groups) n += g.findings.length;
  return n;
}

/** The worst unsuppressed severity, if any. */
function worstSeverity(r: ScanResult): Severity | undefined {
  return SEVERITIES.find((s) => r.summary.bySeverity[s] > 0);
}

function summaryLines(r: ScanResult, groups: readonly ControlGroup[], paint: Paint, top: number, out: string[]): void {
  const s = r.summary;
  out.push(paint(STYLE.bold, 'SUMMARY'));
  out.push(`  ${plural(s.findings, 'finding')}, ${plural(s.objects, 'object')} scanned${s.suppressed ? ` (${s.suppressed} suppressed)` : ''}`);
  out.push(`  by severity: ${SEVERITIES.map((x) => (s.bySeverity[x] > 0 ? paint(SEVERITY_STYLE[x], `${x} ${s.bySeverity[x]}`) : `${x} 0`)).join(', ')}`);
  const worst = worstSeverity(r);
  const capped = worst !== undefined && r.scores.overall === SCORE_CAP[worst] ? ` (held at ${SCORE_CAP[worst]}% or below by ${worst} findings)` : '';
  out.push(`  posture score ${paint(STYLE.bold, formatScore(r.scores.overall))}${capped}`);
  if (r.filters) {
    const parts = [
      ...(r.filters.namespaces ? [`namespaces ${r.filters.namespaces.join(', ')} and the cluster-scoped objects that concern them`] : []),
      ...(r.filters.minSeverity ? [`findings at or above ${r.filters.minSeverity}`] : []),
    ];
    out.push(`  limited to: ${parts.join('; ')}`);
  }
  const errors = s.problems.errors;
  const warnings = s.problems.warnings;
  if (errors + warnings === 0) out.push('  input: everything was read');
  else out.push(`  input: ${paint(errors ? STYLE.red : STYLE.yellow, `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`)}${errors ? ' (some input could not be read; the report covers the rest)' : ''}: see INPUT PROBLEMS`);
  if (groups.length > 0) {
    out.push('  top risks:');
    for (const g of groups.slice(0, top)) {
      const f = g.findings[0]!;
      const paths = g.onPaths ? `, on attack paths (priority ${g.priority})` : '';
      out.push(`    ${paint(SEVERITY_STYLE[g.severity], g.severity.toUpperCase().padEnd(8))} ${g.id} ${f.title} [${f.layer}]: ${plural(g.findings.length, 'finding')}${paths}`);
    }
    if (groups.length > top) out.push(`    … and ${groups.length - top} more control${groups.length - top === 1 ? '' : 's'} below`);
  }
  out.push('');
}

function controlBlock(g: ControlGroup, controls: Map<string, Control>, paint: Paint, showLayer: boolean, out: string[], showSeverity = true): void {
  const f0 = g.findings[0]!;
  const c = controls.get(g.id);
  const layer = showLayer ? ` ${paint(STYLE.dim, `[${f0.layer}]`)}` : '';
  const sev = showSeverity ? `${paint(SEVERITY_STYLE[g.severity], g.severity.toUpperCase().padEnd(8))} ` : '';
  out.push(`  ${sev}${paint(STYLE.bold, g.id)} ${f0.title} (${f0.control})${layer}`);
  for (const f of g.findings) out.push(...findingLines(f, paint));
  if (c) out.push(`    ${paint(STYLE.green, 'remediation:')} ${c.remediation}`);
  out.push('');
}

function objectSections(active: readonly Finding[], controls: Map<string, Control>, paint: Paint, out: string[]): void {
  out.push(paint(STYLE.bold, `FINDINGS (${active.length}, by object)`), '');
  const byObject = [...groupItems(sortForReport(active), (f) => f.object?.id ?? '').values()];
  // the worst first: severity, priority, then name (findings inside are in report order already)
  byObject.sort((a, b) => compareForReport(a[0]!, b[0]!) || compareStrings(objectName(a[0]!.object), objectName(b[0]!.object)));
  const seen = new Set<string>();
  for (const fs of byObject) {
    const first = fs[0]!;
    const sources = [...new Set(fs.map((f) => f.location?.source).filter((x): x is string => Boolean(x)))];
    const loc = sources.length ? paint(STYLE.dim, ` in ${sources.join(', ')}`) : '';
    out.push(`${paint(STYLE.bold, objectName(first.object))}${loc} (${plural(fs.length, 'finding')})`);
    for (const f of fs) {
      const at = findingLocation(f);
      out.push(`  ${paint(SEVERITY_STYLE[f.severity], f.severity.toUpperCase().padEnd(8))} ${paint(STYLE.bold, f.controlId)} ${paint(STYLE.dim, `[${f.layer}]`)} ${f.message}${at ? ` ${paint(STYLE.dim, `at ${at}`)}` : ''}`);
      if (f.priority && f.priority.onPaths > 0) out.push(`           ${paint(STYLE.bold, `priority ${f.priority.score}`)}: ${f.priority.reason}`);
      seen.add(f.controlId);
    }
    out.push('');
  }
  out.push(paint(STYLE.bold, 'REMEDIATION'));
  for (const id of [...seen].sort(compareStrings)) {
    const c = controls.get(id);
    if (c) out.push(`  ${paint(STYLE.bold, id)} ${c.remediation}`);
  }
  out.push('');
}

function findingLines(f: Finding, paint: Paint): string[] {
  const loc = findingLocation(f);
  const via = f.via && f.location?.renderedFrom === undefined ? ` via ${f.via}` : '';
  const lines = [`    ${objectName(f.object)}${loc ? ` ${paint(STYLE.dim, `at ${loc}`)}` : ''}${via}`, `      ${f.message}`];
  const note = findingNote(f);
  if (note) lines.push(`      ${paint(STYLE.dim, note)}`);
  if (f.priority && f.priority.onPaths > 0) lines.push(`      ${paint(STYLE.bold, `priority ${f.priority.score}`)}: ${f.priority.reason}`);
  return lines;
}
