/**
 * The scan's hook into the graph (called from `scanInventory` only when `attackPaths` is asked
 * for): gives every finding a priority and keeps the attack paths for the HTML report.
 */
import type { Finding } from '../engine/types.js';
import type { Inventory } from '../inventory/inventory.js';
import { buildSecurityGraph, type GraphOptions } from './build.js';
import { findAttackPaths, type PathsResult } from './paths.js';
import { prioritizeFindings } from './priority.js';

export type { GraphOptions } from './build.js';

/** Attack paths of a scan, keyed by its findings array (the ScanResult carries that same array). */
const PATHS = new WeakMap<readonly Finding[], PathsResult>();

export function prioritizeScan(inv: Inventory, findings: Finding[], opts: GraphOptions & { max?: number } = {}): PathsResult {
  const bg = buildSecurityGraph(inv, opts);
  const priorities = prioritizeFindings(bg, findings);
  findings.forEach((f, i) => (f.priority = priorities[i]!));
  const paths = findAttackPaths(bg, { max: opts.max ?? 20 });
  PATHS.set(findings, paths);
  return paths;
}

/** The attack paths computed for a scan result's findings, if the scan asked for them. */
export function attackPathsOf(findings: readonly Finding[]): PathsResult | undefined {
  return PATHS.get(findings);
}
