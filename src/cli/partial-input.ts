/**
 * Never lie: an answer computed from input that could not be read completely says so, in every
 * format, and exits 3 (unless a stronger code applies). One helper for every analysis command
 * (`paths`, `plan`, `rbac ...`, `netpol ...`, `pss`), so they all say it the same way.
 *
 * Partial means: an input problem of severity error (a file that could not be read, a document
 * that did not parse, a field of the wrong type that was ignored, a resource kind the cluster
 * refused) or a cluster coverage entry with an error.
 *
 * Exit code precedence (docs/cli.md): usage error 2 and unreachable cluster 4 end the command
 * before any answer; then 1 (findings at or above --fail-on, a path with --fail, a rejected pod,
 * a denied connection) wins over 3, because what was found is true whatever else was missed;
 * then 3 (partial input); then 0.
 */
import type { InputProblem } from '../inventory/types.js';
import type { CoverageEntry } from '../sources/cluster/read.js';
import { EXIT } from './exit-codes.js';

export interface InputState {
  /** True when the answer was computed from partial input. */
  partial: boolean;
  /** Every input problem (errors and warnings), sorted by source and line. */
  problems: InputProblem[];
  /** From a cluster read or a snapshot: what was read, per resource kind. */
  coverage?: CoverageEntry[];
  /** Problems of severity error. */
  errors: number;
  /** Coverage entries with an error (resource kinds not, or not fully, read). */
  gaps: number;
}

/** Text formats list this many problems; JSON lists all of them. */
const TEXT_LIST_MAX = 20;

export function inputState(problems: readonly InputProblem[], coverage?: readonly CoverageEntry[]): InputState {
  const sorted = [...problems].sort(compareProblems);
  const errors = sorted.filter((p) => p.severity === 'error').length;
  const gaps = (coverage ?? []).filter((c) => c.error !== undefined).length;
  return { partial: errors > 0 || gaps > 0, problems: sorted, ...(coverage ? { coverage: [...coverage] } : {}), errors, gaps };
}

function compareProblems(a: InputProblem, b: InputProblem): number {
  if (a.source !== b.source) return a.source < b.source ? -1 : 1;
  if ((a.line ?? 0) !== (b.line ?? 0)) return (a.line ?? 0) - (b.line ?? 0);
  if ((a.column ?? 0) !== (b.column ?? 0)) return (a.column ?? 0) - (b.column ?? 0);
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/** `computed from partial input: 3 problems (2 wrong-type, 1 unreadable); 2 resource kinds not read`, or undefined when complete. */
export function partialLine(s: InputState): string | undefined {
  if (!s.partial) return undefined;
  const byCode = new Map<string, number>();
  for (const p of s.problems) if (p.severity === 'error') byCode.set(p.code, (byCode.get(p.code) ?? 0) + 1);
  const codes = [...byCode].sort(([a], [b]) => (a < b ? -1 : 1)).map(([c, n]) => `${n} ${c}`).join(', ');
  const parts = [`computed from partial input: ${s.errors} ${s.errors === 1 ? 'problem' : 'problems'}${codes ? ` (${codes})` : ''}`];
  if (s.gaps > 0) parts.push(`${s.gaps} resource ${s.gaps === 1 ? 'kind' : 'kinds'} of the cluster not (fully) read`);
  return parts.join('; ');
}

function problemText(p: InputProblem): string {
  return `${p.source}${p.line ? `:${p.line}` : ''}: ${p.severity}: ${p.message}`;
}

/** Lines for a text report: the partial-input line and the problems (warnings too), or nothing. */
export function problemLines(s: InputState, indent = '  '): string[] {
  const line = partialLine(s);
  if (!line && s.problems.length === 0) return [];
  const out = [line ?? `input warnings: ${s.problems.length}`];
  for (const p of s.problems.slice(0, TEXT_LIST_MAX)) out.push(indent + problemText(p));
  if (s.problems.length > TEXT_LIST_MAX) out.push(`${indent}… and ${s.problems.length - TEXT_LIST_MAX} more (all of them in --format json)`);
  for (const c of (s.coverage ?? []).filter((x) => x.error !== undefined)) out.push(`${indent}not read: ${c.resource}${c.namespace ? ` in ${c.namespace}` : ''}: ${c.error}`);
  return out;
}

/** Prefixes a text report with the partial-input lines (a blank line between). */
export function withProblemText(text: string, s: InputState): string {
  const lines = problemLines(s);
  return lines.length ? `${lines.join('\n')}\n\n${text}` : text;
}

/** The same for a Markdown report: a quoted note first. */
export function withProblemMarkdown(text: string, s: InputState): string {
  const lines = problemLines(s);
  if (!lines.length) return text;
  const [head, ...rest] = lines;
  const md = [`> **${head}**`, ...rest.map((l) => `> - ${l.trim().replace(/[|<>]/g, (c) => `\\${c}`)}`)];
  return `${md.join('\n')}\n\n${text}`;
}

/** Fields every analysis JSON carries: `partial`, `problems` and (from a cluster or snapshot) `coverage`. */
export function problemJson(s: InputState): { partial: boolean; problems: InputProblem[]; coverage?: CoverageEntry[] } {
  return { partial: s.partial, problems: s.problems, ...(s.coverage ? { coverage: s.coverage } : {}) };
}

/** The exit code: `code` when it is stronger than partial input (1, 2, 4), else 3 when partial, else `code`. */
export function exitFor(s: InputState, code: number): number {
  if (code !== EXIT.ok && code !== EXIT.inputErrors) return code;
  return s.partial ? EXIT.inputErrors : code;
}
