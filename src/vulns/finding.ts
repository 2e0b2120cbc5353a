/**
 * What the vulnerability controls say about one vulnerability of a container's image. The
 * severity of a finding is kordon's scale; the severity the report states is in the message,
 * word for word (never re-mapped there).
 */
import type { CheckContext, ContainerTarget, Severity, SeverityCase } from '../engine/types.js';
import { vulnsOf } from './context.js';
import type { ContainerVerdict, VulnEntry } from './analyse.js';

/** kordon's scale for a stated severity: critical/high/medium/low by name, moderate as medium, anything else info. */
export function findingSeverity(stated: string): Severity {
  const s = stated.toLowerCase();
  if (s === 'critical' || s === 'high' || s === 'medium' || s === 'low') return s;
  if (s === 'moderate' || s === 'important') return s === 'moderate' ? 'medium' : 'high';
  return 'info';
}

export function messageData(name: string, image: string, v: VulnEntry, c: ContainerVerdict): Record<string, string> {
  return {
    name,
    image,
    id: v.id,
    package: v.package,
    version: v.version,
    severity: `${v.severity}${v.severitySource ? ` (${v.severitySource})` : ''}`,
    fix: v.fixedVersion ? `fixed in ${v.fixedVersion}` : 'no fix known',
    kev: v.kev ? '; known exploited' : '',
    evidence: c.reason,
  };
}

/** The severity table of the controls that report at the report's stated severity. */
export const STATED_SEVERITY_TABLE: SeverityCase[] = [
  { case: 'stated critical', severity: 'critical', reason: 'The report says critical.' },
  { case: 'stated high or important', severity: 'high', reason: 'The report says high.' },
  { case: 'stated medium or moderate', severity: 'medium', reason: 'The report says medium.' },
  { case: 'stated low', severity: 'low', reason: 'The report says low.' },
  { case: 'stated negligible, unknown, none, or no severity', severity: 'info', reason: 'The report gives no rank to act on; the stated word is in the message.' },
];

/**
 * The check of the three vulnerability controls: each reports the container's vulnerabilities
 * with one runtime verdict (`yes` in use, `unknown` not ruled out, `no` not observed), at the
 * report's stated severity when `graded`, else at the control's own.
 */
export function vulnerabilityCheck(verdict: ContainerVerdict['verdict'], graded: boolean): (target: ContainerTarget, ctx: CheckContext<'vuln'>) => void {
  return ({ container }, ctx) => {
    const v = ctx.item ? vulnsOf(ctx.inventory) : undefined;
    if (!v || typeof container.name !== 'string') return;
    const key = `${ctx.item!.id}|${container.name}`;
    const list = v.byContainer.get(key);
    if (!list) return;
    const image = v.imageOf.get(key)?.image ?? String(container.image);
    for (const { v: entry, c } of list) {
      if (c.verdict !== verdict) continue;
      ctx.report('vuln', messageData(container.name, image, entry, c), '/image', graded ? { severity: findingSeverity(entry.severity) } : undefined);
    }
  };
}
