/**
 * The result of a scan: the one model every report formats. Versioned; see docs/json-report.md.
 */
import type { InputProblem } from '../inventory/types.js';
import type { ExceptionStatus } from './exceptions.js';
import type { ControlEvaluation } from './run.js';
import type { Scores } from './score.js';
import type { Control, Finding, Layer, Severity } from './types.js';

export const RESULT_SCHEMA_VERSION = '1.0';

export interface ScanSummary {
  objects: number;
  findings: number;
  suppressed: number;
  bySeverity: Record<Severity, number>;
  byLayer: Record<Layer, number>;
  problems: { errors: number; warnings: number };
}

export interface ScanResult {
  schemaVersion: string;
  tool: { name: 'kordon'; version: string };
  /** Sources read (files, `<stdin>`, charts, clusters). */
  sources: string[];
  /** What could not be read, or was read with a caveat. Always present. */
  problems: InputProblem[];
  summary: ScanSummary;
  scores: Scores;
  /** Unsuppressed and suppressed findings (suppressed ones carry `suppressed`). */
  findings: Finding[];
  evaluations: ControlEvaluation[];
  exceptions: { expired: ExceptionReport[]; unused: ExceptionReport[] };
  /** For cluster scans: what was listed per resource, and what could not be and why. */
  coverage?: Array<{ resource: string; apiVersion: string; kind: string; namespace?: string; count: number; error?: string; status?: number }>;
  /** For cluster scans: the API server's version. */
  serverVersion?: { major?: string; minor?: string; gitVersion?: string; platform?: string };
  /** What the scan was limited to (`scan -n`, `--severity`); absent when nothing was. */
  filters?: { namespaces?: string[]; minSeverity?: Severity };
  /** The controls that ran (for reports that describe rules, e.g. SARIF). */
  controls: readonly Control[];
}

export interface ExceptionReport {
  source: string;
  index: number;
  controls: string[];
  match: { kind?: string; namespace?: string; name?: string };
  reason: string;
  owner?: string;
  expires?: string;
}

export function exceptionReport(s: ExceptionStatus): ExceptionReport {
  return {
    source: s.source,
    index: s.index,
    controls: s.rule.controls,
    match: s.rule.match,
    reason: s.rule.reason,
    ...(s.rule.owner ? { owner: s.rule.owner } : {}),
    ...(s.rule.expires ? { expires: s.rule.expires } : {}),
  };
}
