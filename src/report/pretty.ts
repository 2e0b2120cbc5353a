/** The human report: findings grouped by 4C layer, severity-ordered, with scores. */
import type { ScanResult } from '../engine/result.js';
import { LAYERS, SEVERITIES, type Finding } from '../engine/types.js';

export interface PrettyOptions {
  color: boolean;
}

const SEV_COLOR: Record<string, string> = { critical: '\x1b[1;31m', high: '\x1b[31m', medium: '\x1b[33m', low: '\x1b[36m', info: '\x1b[2m' };

export function formatPretty(r: ScanResult, opts: PrettyOptions): string {
  const c = (code: string, s: string): string => (opts.color ? `${code}${s}\x1b[0m` : s);
  const out: string[] = [];
  const active = r.findings.filter((f) => !f.suppressed);
  for (const layer of LAYERS) {
    const fs = active.filter((f) => f.layer === layer);
    if (fs.length === 0) continue;
    out.push(c('\x1b[1m', `${layer.toUpperCase()} (${fs.length})`));
    for (const sev of SEVERITIES) {
      for (const f of fs.filter((x) => x.severity === sev)) out.push(`  ${c(SEV_COLOR[sev]!, sev.toUpperCase().padEnd(8))} ${f.controlId} ${f.message}`, `           ${where(f)}`);
    }
    out.push('');
  }
  if (r.problems.length) {
    out.push(c('\x1b[1m', `INPUT PROBLEMS (${r.problems.length})`));
    for (const p of r.problems) out.push(`  ${p.severity.toUpperCase().padEnd(8)} ${p.source}${p.line ? `:${p.line}` : ''}${p.column ? `:${p.column}` : ''} ${p.message}`);
    out.push('');
  }
  const s = r.summary;
  out.push(c('\x1b[1m', 'SUMMARY'));
  out.push(`  objects ${s.objects}, findings ${s.findings} (${SEVERITIES.map((x) => `${x} ${s.bySeverity[x]}`).join(', ')}), suppressed ${s.suppressed}`);
  out.push(`  score ${fmt(r.scores.overall)}; ${LAYERS.map((l) => `${l} ${fmt(r.scores.layers[l])}`).join(', ')}`);
  return out.join('\n') + '\n';
}

function fmt(n: number | null): string {
  return n === null ? 'n/a' : `${n}%`;
}

function where(f: Finding): string {
  const obj = f.object ? `${f.object.kind} ${f.object.namespace ? f.object.namespace + '/' : ''}${f.object.name}` : 'cluster';
  const loc = f.location ? `${f.location.source}:${f.location.line}:${f.location.column}` : '';
  return `${obj}${loc ? ' at ' + loc : ''}`;
}
