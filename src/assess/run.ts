/** The library entry point for an assessment of files: load, scan (with attack paths), assess. */
import { loadInventory, scanInventory, type LoadOptions, type ScanOptions } from '../scan.js';
import { buildAssessment, type Assessment, type AssessOptions } from './assess.js';
import type { ScanResult } from '../engine/result.js';

/** Reads paths as `kordon scan` does and assesses them; the scan comes along (for its problems). */
export async function assessPaths(paths: string[], opts: ScanOptions & LoadOptions & AssessOptions = {}): Promise<{ assessment: Assessment; scan: ScanResult }> {
  const loaded = await loadInventory(paths, opts);
  const scan = scanInventory(loaded.inventory, loaded.sources, { ...opts, attackPaths: opts.attackPaths ?? true });
  const coverage = opts.coverage ?? loaded.coverage;
  return { assessment: buildAssessment(scan, loaded.inventory, { ...(opts.capacity !== undefined ? { capacity: opts.capacity } : {}), ...(coverage ? { coverage } : {}) }), scan };
}
