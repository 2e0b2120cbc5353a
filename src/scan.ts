/**
 * The library entry point for a scan: sources → inventory → controls → result.
 */
import { Inventory } from './inventory/inventory.js';
import type { InputProblem, K8sObject, Locator, Origin } from './inventory/types.js';
import { loadManifests, type LoadOptions } from './sources/manifests/load.js';
import { runControls } from './engine/run.js';
import { computeScores } from './engine/score.js';
import { exceptionReport, RESULT_SCHEMA_VERSION, type ScanResult } from './engine/result.js';
import type { ExceptionRule } from './engine/exceptions.js';
import { LAYERS, SEVERITIES, type Control, type Layer, type Severity } from './engine/types.js';
import { allControls } from './controls/index.js';
import { VERSION } from './version.js';

export interface ScanOptions {
  controls?: readonly Control[];
  exceptions?: Array<{ rule: ExceptionRule; source: string }>;
  now?: Date;
}

/** Runs the controls over an inventory and assembles the result. Pure. */
export function scanInventory(inv: Inventory, sources: string[], opts: ScanOptions = {}): ScanResult {
  const controls = opts.controls ?? allControls;
  const run = runControls(inv, controls, { exceptions: opts.exceptions, now: opts.now });
  const active = run.findings.filter((f) => !f.suppressed);
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byLayer = Object.fromEntries(LAYERS.map((l) => [l, 0])) as Record<Layer, number>;
  for (const f of active) {
    bySeverity[f.severity]++;
    byLayer[f.layer]++;
  }
  const problems = [...inv.problems].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: { name: 'kordon', version: VERSION },
    sources: [...sources],
    problems,
    summary: {
      objects: inv.objects.length,
      findings: active.length,
      suppressed: run.findings.length - active.length,
      bySeverity,
      byLayer,
      problems: { errors: problems.filter((p) => p.severity === 'error').length, warnings: problems.filter((p) => p.severity === 'warning').length },
    },
    scores: computeScores(controls, run.evaluations),
    findings: run.findings,
    evaluations: run.evaluations,
    exceptions: {
      expired: run.exceptions.filter((s) => s.expired).map(exceptionReport),
      unused: run.exceptions.filter((s) => !s.expired && s.used === 0).map(exceptionReport),
    },
    controls,
  };
}

/** Reads manifests from paths (files, directories, `-`, charts, kustomizations) and scans them. */
export async function scanPaths(paths: string[], opts: ScanOptions & LoadOptions = {}): Promise<ScanResult> {
  const loaded = await loadManifests(paths, opts);
  const inv = new Inventory(loaded.objects, loaded.problems, loaded.locator);
  return scanInventory(inv, loaded.sources, opts);
}

/** Builds an inventory from objects already in memory (e.g. read from a cluster). */
export function inventoryOf(objects: Array<{ object: K8sObject; origin: Origin }>, problems: InputProblem[] = [], locator?: Locator): Inventory {
  return new Inventory(objects, problems, locator);
}
