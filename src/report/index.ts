/** Report formats. Reports only format; they never decide anything. */
import type { ScanResult } from '../engine/result.js';
import { formatJson } from './json.js';
import { formatPretty } from './pretty.js';

export const REPORT_FORMATS = ['pretty', 'json', 'sarif', 'junit', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function formatReport(r: ScanResult, format: ReportFormat, opts: { color: boolean }): string {
  switch (format) {
    case 'pretty':
      return formatPretty(r, opts);
    case 'json':
      return formatJson(r);
    default:
      throw new Error(`report format ${format} is not implemented yet`);
  }
}
