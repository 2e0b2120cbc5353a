/**
 * The human report: findings grouped by 4C layer, then severity, then control (remediation
 * once per control); a summary with counts and posture scores per layer and framework; input
 * problems; suppressed findings; exceptions that expired or matched nothing. Colour only when
 * asked (the CLI decides from the terminal and NO_COLOR).
 */
import type { ScanResult } from '../engine/result.js';
import { FRAMEWORKS, LAYERS, SEVERITIES, type Control, type Finding, type Severity } from '../engine/types.js';
import { exceptionScope, findingLocation, findingNote, formatScore, groupBy, objectName, problemLocation } from './common.js';

export interface PrettyOptions {
  color: boolean;
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

export function formatPretty(r: ScanResult, opts: PrettyOptions): string {
  const paint = (style: string, s: string): string => (opts.color ? `${style}${s}${STYLE.reset}` : s);
  const out: string[] = [];
  const controls = new Map<string, Control>(r.controls.map((c) => [c.id, c]));
  const active = r.findings.filter((f) => !f.suppressed);

  for (const layer of LAYERS) {
    const inLayer = active.filter((f) => f.layer === layer);
    if (inLayer.length === 0) continue;
    out.push(paint(STYLE.bold, `${LAYER_TITLE[layer]} (${inLayer.length} finding${inLayer.length === 1 ? '' : 's'})`));
    for (const sev of SEVERITIES) {
      const bySeverity = inLayer.filter((f) => f.severity === sev);
      const byControl = groupBy(bySeverity, (f) => f.controlId);
      for (const id of [...byControl.keys()].sort()) {
        const fs = byControl.get(id)!;
        const c = controls.get(id);
        out.push(`  ${paint(SEVERITY_STYLE[sev], sev.toUpperCase().padEnd(8))} ${paint(STYLE.bold, id)} ${fs[0]!.title} (${fs[0]!.control})`);
        for (const f of fs) out.push(...findingLines(f, paint));
        if (c) out.push(`    ${paint(STYLE.green, 'remediation:')} ${c.remediation}`);
        out.push('');
      }
    }
  }
  if (active.length === 0) out.push(paint(STYLE.green, 'No findings.'), '');

  const suppressed = r.findings.filter((f) => f.suppressed);
  if (suppressed.length > 0) {
    out.push(paint(STYLE.bold, `SUPPRESSED (${suppressed.length})`));
    for (const f of suppressed) {
      const loc = findingLocation(f);
      out.push(`  ${f.controlId} ${objectName(f.object)}${loc ? ` ${paint(STYLE.dim, loc)}` : ''}: ${f.suppressed!.reason} (${f.suppressed!.by === 'annotation' ? 'annotation' : 'exceptions file'})`);
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
  out.push(paint(STYLE.bold, 'SUMMARY'));
  out.push(`  objects ${s.objects}, findings ${s.findings}, suppressed ${s.suppressed}, input errors ${s.problems.errors}, input warnings ${s.problems.warnings}`);
  out.push(`  by severity: ${SEVERITIES.map((x) => `${x} ${s.bySeverity[x]}`).join(', ')}`);
  out.push(`  posture score ${paint(STYLE.bold, formatScore(r.scores.overall))}`);
  out.push(`  by 4C layer: ${LAYERS.map((l) => `${l} ${formatScore(r.scores.layers[l])} (${s.byLayer[l]} findings)`).join(', ')}`);
  out.push(`  by framework: ${FRAMEWORKS.map((fw) => `${FRAMEWORK_TITLE[fw]} ${formatScore(r.scores.frameworks[fw])}`).join(', ')}`);
  return out.join('\n') + '\n';
}

function findingLines(f: Finding, paint: (style: string, s: string) => string): string[] {
  const loc = findingLocation(f);
  const via = f.via && f.location?.renderedFrom === undefined ? ` via ${f.via}` : '';
  const lines = [`    ${f.controlId} ${objectName(f.object)}${loc ? ` ${paint(STYLE.dim, `at ${loc}`)}` : ''}${via}`, `      ${f.message}`];
  const note = findingNote(f);
  if (note) lines.push(`      ${paint(STYLE.dim, note)}`);
  if (f.priority && f.priority.onPaths > 0) lines.push(`      ${paint(STYLE.bold, `priority ${f.priority.score}`)}: ${f.priority.reason}`);
  return lines;
}
