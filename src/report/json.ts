/**
 * The JSON report: the versioned, documented schema (docs/json-report.md; a test checks that every
 * field is documented there). Deterministic: the same input gives byte-identical output (no
 * timestamps, stable ordering).
 */
import type { ScanResult } from '../engine/result.js';
import type { Control } from '../engine/types.js';
import { jsonChunks } from './json-stream.js';

export function controlMeta(c: Control): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    title: c.title,
    description: c.description,
    layer: c.layer,
    dimensions: c.dimensions ?? ['Security'],
    ...(c.guard ? { guard: c.guard } : {}),
    phases: c.phases,
    severity: c.severity,
    effort: c.effort,
    frameworks: c.frameworks,
    remediation: c.remediation,
    target: c.targets,
    ...(c.targets === 'object' || c.targets === 'inventory' ? { kinds: c.kinds } : {}),
    ...(c.aliases?.length ? { aliases: c.aliases } : {}),
    fixable: c.fixable === true,
    ...(c.cel ? { cel: c.cel } : {}),
    ...(c.supersedes ? { supersedes: c.supersedes } : {}),
  };
}

export function toJsonReport(r: ScanResult): object {
  const used = new Set(r.findings.flatMap((f) => (f.related ? [f.controlId, ...f.related.map((x) => x.controlId)] : [f.controlId])));
  return {
    schemaVersion: r.schemaVersion,
    tool: r.tool,
    sources: r.sources,
    problems: r.problems,
    summary: r.summary,
    ...(r.filters ? { filters: r.filters } : {}),
    scores: r.scores,
    findings: r.findings,
    evaluations: r.evaluations,
    exceptions: r.exceptions,
    ...(r.coverage ? { coverage: r.coverage } : {}),
    ...(r.serverVersion ? { serverVersion: r.serverVersion } : {}),
    controls: r.controls.filter((c) => used.has(c.id)).map((c) => ({ id: c.id, name: c.name, title: c.title, layer: c.layer, severity: c.severity, frameworks: c.frameworks, remediation: c.remediation })),
  };
}

export function formatJson(r: ScanResult): string {
  return JSON.stringify(toJsonReport(r), null, 2) + '\n';
}

/** The same text as formatJson, in pieces (a large report is never one string). */
export function* jsonReportChunks(r: ScanResult): Generator<string> {
  yield* jsonChunks(toJsonReport(r));
  yield '\n';
}
