/** Report formats. Reports only format; they never decide anything. */
import type { ScanResult } from '../engine/result.js';
import { formatJson, jsonReportChunks } from './json.js';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';
import { formatPretty, type GroupBy } from './pretty.js';
import { formatSarif, sarifChunks } from './sarif.js';
import { formatHtml } from './html.js';

export const REPORT_FORMATS = ['pretty', 'json', 'sarif', 'junit', 'markdown', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportOptions {
  color: boolean;
  /** The pretty report's grouping (default `severity`). */
  groupBy?: GroupBy;
  /** Markdown: where the full report is, named when the comment had to be cut. */
  fullReport?: string;
}

export function formatReport(r: ScanResult, format: ReportFormat, opts: ReportOptions): string {
  switch (format) {
    case 'pretty':
      return formatPretty(r, opts);
    case 'json':
      return formatJson(r);
    case 'sarif':
      return formatSarif(r);
    case 'junit':
      return formatJunit(r);
    case 'markdown':
      return formatMarkdown(r, opts.fullReport ? { fullReport: opts.fullReport } : {});
    case 'html':
      return formatHtml(r);
  }
}

/** A report in pieces to write one after the other: JSON and SARIF are streamed, the others are one piece. */
export function reportChunks(r: ScanResult, format: ReportFormat, opts: ReportOptions): Iterable<string> {
  if (format === 'json') return jsonReportChunks(r);
  if (format === 'sarif') return sarifChunks(r);
  return [formatReport(r, format, opts)];
}
