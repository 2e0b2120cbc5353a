/**
 * The audit pipeline as a library call: read (src/sources/audit), analyse (analyze.ts), put in
 * context (context.ts, when an inventory is given), report (report.ts).
 */
import type { Readable } from 'node:stream';
import { AuditReader, type ReadOptions } from '../sources/audit/read.js';
import type { AuditEvent } from '../sources/audit/event.js';
import type { Inventory } from '../inventory/inventory.js';
import { AuditAnalyzer, compareDetections, type AnalyzeOptions, type Detection } from './analyze.js';
import type { AuditResult } from './report.js';
import { AuditContext, podServiceAccountsOf } from './context.js';
import { UsageCollector } from './usage.js';

export interface AuditRunOptions extends AnalyzeOptions, ReadOptions {
  inventory?: Inventory;
  /** Also collect usage (for `audit usage`). */
  usage?: UsageCollector;
  /** Every event read, after deduplication (tests, benchmarks). */
  onEvent?: (e: AuditEvent) => void;
}

/** Reads paths (`-` = stdin) and returns the detections with their context. */
export async function auditPaths(paths: string[], opts: AuditRunOptions = {}, stdin?: Readable): Promise<AuditResult> {
  const podSa = opts.inventory ? podServiceAccountsOf(opts.inventory) : undefined;
  const ctx = opts.inventory ? new AuditContext(opts.inventory) : undefined;
  const onDetection = opts.onDetection;
  const analyzer = new AuditAnalyzer({
    ...opts,
    ...(podSa ? { podServiceAccounts: podSa } : {}),
    ...(onDetection ? { onDetection: (d: Detection) => onDetection(ctx ? ctx.apply(d) : d) } : {}),
  });
  const reader = new AuditReader((e) => {
    opts.onEvent?.(e);
    analyzer.add(e);
    opts.usage?.add(e);
  }, opts);
  await reader.readPaths(paths, stdin);
  let detections: Detection[] = analyzer.detections();
  if (ctx) detections = detections.map((d) => ctx.apply(d)).sort(compareDetections);
  const problems = reader.allProblems();
  return {
    detections,
    problems,
    stats: { ...reader.stats, judged: analyzer.stats.judged },
    partial: problems.some((p) => p.severity === 'error'),
  };
}
