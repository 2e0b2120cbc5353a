/** Helpers shared by the report formats: ordering, object names, locations, fingerprints. */
import { builtin } from '../util/builtins.js';
import type { ScanResult } from '../engine/result.js';
import { SEVERITIES, type Control, type Finding, type ObjectRef, type Severity } from '../engine/types.js';
import type { InputProblem } from '../inventory/types.js';

export const SEVERITY_RANK: Record<Severity, number> = Object.fromEntries(SEVERITIES.map((s, i) => [s, i])) as Record<Severity, number>;

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The controls that ran, in id order (a stable index for SARIF `ruleIndex`). */
export function controlsById(r: ScanResult): Control[] {
  return [...r.controls].sort((a, b) => compareStrings(a.id, b.id));
}

/** `Deployment prod/web`, or `cluster` for findings about the inventory as a whole. */
export function objectName(o: ObjectRef | undefined): string {
  if (!o) return 'cluster';
  return `${o.kind} ${o.namespace ? o.namespace + '/' : ''}${o.name}`;
}

/**
 * The short note under a finding about what it stands for (docs/deduplication.md):
 * `runs in 2 pods; also: KOR-0005 (high), KOR-0013`; a related control's severity is given when
 * it is above the finding's own; '' when there is nothing to add.
 */
export function findingNote(f: Finding): string {
  const parts: string[] = [];
  if (f.pods) parts.push(`runs in ${f.pods} pod${f.pods === 1 ? '' : 's'}`);
  if (f.related?.length) parts.push(`also: ${f.related.map((r) => (SEVERITY_RANK[r.severity] < SEVERITY_RANK[f.severity] ? `${r.controlId} (${r.severity})` : r.controlId)).join(', ')}`);
  return parts.join('; ');
}

/** `file:line:col` (or just the source when no position is known); '' without location. */
export function findingLocation(f: Finding): string {
  if (!f.location) return '';
  const at = positionText(f.location.source, f.location.line, f.location.column);
  return f.location.renderedFrom !== undefined ? `${at} (rendered from ${f.location.renderedFrom}${f.via ? ` by ${f.via}` : ''})` : at;
}

export function problemLocation(p: InputProblem): string {
  return positionText(p.source, p.line, p.column);
}

function positionText(source: string, line: number | undefined, column: number | undefined): string {
  if (!line) return source;
  return column ? `${source}:${line}:${column}` : `${source}:${line}`;
}

/**
 * A stable identity for a finding across runs: the control, the object and the field. It does
 * not include the file or line, so moving a manifest or adding lines above it keeps the identity.
 */
export function findingFingerprint(f: Finding): string {
  return builtin('crypto').createHash('sha256')
    .update([f.controlId, f.object?.id ?? '', f.pointer, f.container ?? ''].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
}

export function formatScore(n: number | null): string {
  return n === null ? 'n/a' : `${n}%`;
}

/** Human text for an exception rule's scope. */
export function exceptionScope(match: { kind?: string; namespace?: string; name?: string }): string {
  const parts = [match.kind ? `kind=${match.kind}` : '', match.namespace ? `namespace=${match.namespace}` : '', match.name ? `name=${match.name}` : ''].filter(Boolean);
  return parts.length ? parts.join(', ') : 'every object';
}

/** Findings grouped by a key, keeping the order in which keys first appear. */
export function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = out.get(k);
    if (list) list.push(it);
    else out.set(k, [it]);
  }
  return out;
}
