/**
 * What the vulnerability controls say about one vulnerability of a container's image. The
 * severity of a finding is kordon's scale; the severity the report states is in the message,
 * word for word (never re-mapped there).
 */
import type { Severity } from '../engine/types.js';
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
