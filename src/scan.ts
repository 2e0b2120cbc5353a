/**
 * The library entry point for a scan: sources → inventory → controls → result.
 */
import { Inventory } from './inventory/inventory.js';
import type { InputProblem, InventoryObject, K8sObject, Locator, Origin } from './inventory/types.js';
import { loadManifests, type LoadOptions as ManifestLoadOptions } from './sources/manifests/load.js';
import { applyDefaultNamespace } from './sources/namespaces.js';
import { runControls } from './engine/run.js';
import { computeScores } from './engine/score.js';
import { exceptionReport, RESULT_SCHEMA_VERSION, type ScanResult } from './engine/result.js';
import type { ExceptionRule } from './engine/exceptions.js';
import { LAYERS, SEVERITIES, type Control, type Layer, type Severity } from './engine/types.js';
import { allControls } from './controls/index.js';
import { VERSION } from './version.js';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { compareObjects, readCluster, type ReadClusterOptions } from './sources/cluster/read.js';
import { isGzip, readSnapshot } from './sources/cluster/snapshot.js';
import { prioritizeScan, type GraphOptions } from './graph/scan.js';
import { phase, phaseAsync } from './util/timings.js';
import { networkAnalysis } from './network/analysis.js';
import { targetVersionFromInputs } from './rbac/builtins.js';
import { collectGarbage, collectIfGrown, COLLECT_AFTER_OBJECTS } from './util/memory.js';
import { attachVulns, type VulnInputs } from './vulns/context.js';

/** What loadInventory reads with: the manifest source's options, and a namespace filter. */
export interface LoadOptions extends ManifestLoadOptions {
  /** Only objects in these namespaces are kept (cluster-scoped objects are kept too); snapshots included. */
  namespaces?: string[];
}

export interface ScanOptions {
  controls?: readonly Control[];
  exceptions?: Array<{ rule: ExceptionRule; source: string }>;
  now?: Date;
  /** Build the security graph and give every finding a `priority` by attack paths (src/graph/). Off by default: it costs a graph build. */
  attackPaths?: boolean | GraphOptions;
  /** One root cause, one finding (docs/deduplication.md); default true. */
  dedupe?: boolean;
  /**
   * Judge only the objects of these namespaces and the cluster-scoped objects that concern them
   * (see `inNamespaceScope`); every object is still used as context. (Not the same as
   * ReadClusterOptions.namespaces, which limits what a cluster read lists.)
   */
  namespaceScope?: readonly string[];
  /** Report only findings at or above this severity (controls below it do not run). */
  minSeverity?: Severity;
  /** Image vulnerability reports and runtime evidence (`--vulns`, `--runtime`): matched to the workloads for the KOR-04xx controls and the graph (src/vulns/). */
  vulns?: VulnInputs;
  /**
   * The inventory is not asked for field positions after this scan (scanPaths: it made the
   * inventory): once the controls have placed their findings, the source texts are let go
   * (Locator.release), which frees a large JSON input's text before the attack paths.
   */
  releasePositions?: boolean;
  /** The Kubernetes version whose built-in roles a binding to a role the input lacks resolves to (default: the server's, else the newest shipped). */
  kubeVersion?: string;
}

/**
 * The objects `scan -n NS` judges: namespaced objects in NS; of the cluster-scoped ones, the
 * Namespace objects of NS, ClusterRoleBindings unless every subject is a service account of
 * another namespace, and every other cluster-scoped object (nodes, cluster roles, webhooks,
 * CRDs concern every namespace).
 */
export function inNamespaceScope(inv: Inventory, namespaces: readonly string[]): (item: InventoryObject) => boolean {
  const set = new Set(namespaces);
  return (item) => {
    const obj = item.object;
    const ns = inv.namespaceOf(obj);
    if (ns !== undefined) return set.has(ns);
    if (obj.kind === 'Namespace') return set.has(String(obj.metadata.name ?? ''));
    if (obj.kind === 'ClusterRoleBinding') {
      const subjects = (obj as { subjects?: unknown }).subjects;
      if (!Array.isArray(subjects) || subjects.length === 0) return true;
      return subjects.some((s) => {
        const sub = (s ?? {}) as { kind?: unknown; namespace?: unknown };
        return sub.kind !== 'ServiceAccount' || set.has(String(sub.namespace ?? ''));
      });
    }
    return true;
  };
}

/** Runs the controls over an inventory and assembles the result. Pure. */
export function scanInventory(inv: Inventory, sources: string[], opts: ScanOptions = {}): ScanResult {
  const min = opts.minSeverity ? SEVERITIES.indexOf(opts.minSeverity) : SEVERITIES.length;
  const controls = (opts.controls ?? allControls).filter((c) => SEVERITIES.indexOf(c.severity) <= min);
  const inScope = opts.namespaceScope?.length ? inNamespaceScope(inv, opts.namespaceScope) : undefined;
  if (opts.vulns) phase('vulnerabilities', () => attachVulns(inv, opts.vulns!));
  // controls whose worst case is below the threshold do not run; graded findings below it are dropped as they are made
  const run = phase('controls', () => runControls(inv, controls, { exceptions: opts.exceptions, now: opts.now, ...(opts.dedupe === false ? { dedupe: false } : {}), ...(inScope ? { inScope } : {}), ...(opts.minSeverity ? { minSeverity: opts.minSeverity } : {}) }));
  const ap = opts.attackPaths;
  if (opts.releasePositions && inv.locator?.release) {
    // the network analysis places its input problems while the texts are here (the graph reuses it)
    if (ap) networkAnalysis(inv);
    inv.locator.release();
  }
  if (inv.objects.length >= COLLECT_AFTER_OBJECTS) collectIfGrown();
  if (ap) phase('attack paths', () => prioritizeScan(inv, run.findings, ap === true ? {} : ap)); // attack-path priority (src/graph/)
  if (ap && inv.objects.length >= COLLECT_AFTER_OBJECTS) collectIfGrown();
  const active = run.findings.filter((f) => !f.suppressed);
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byLayer = Object.fromEntries(LAYERS.map((l) => [l, 0])) as Record<Layer, number>;
  for (const f of active) {
    bySeverity[f.severity]++;
    byLayer[f.layer]++;
  }
  const problems = [...inv.problems, ...run.problems].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: { name: 'kordon', version: VERSION },
    sources: [...sources],
    problems,
    summary: {
      objects: inScope ? inv.objects.filter(inScope).length : inv.objects.length,
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
    ...(opts.namespaceScope?.length || opts.minSeverity ? { filters: { ...(opts.namespaceScope?.length ? { namespaces: [...new Set(opts.namespaceScope)].sort() } : {}), ...(opts.minSeverity ? { minSeverity: opts.minSeverity } : {}) } } : {}),
  };
}

/**
 * Reads manifests from paths (files, directories, `-`, charts, kustomizations, and kordon
 * snapshots) and scans them.
 */
export async function scanPaths(paths: string[], opts: ScanOptions & LoadOptions = {}): Promise<ScanResult> {
  const loaded = await phaseAsync('load', () => loadInventory(paths, opts));
  const objects = loaded.inventory.objects.length;
  opts.onProgress?.({ done: objects, total: objects, current: 'analysing' });
  return withCluster(scanInventory(loaded.inventory, loaded.sources, { releasePositions: true, ...opts }), loaded.coverage, loaded.serverVersion);
}

export interface LoadedInventory {
  inventory: Inventory;
  sources: string[];
  /** From snapshots: what the cluster read covered, and the server's version. */
  coverage?: ScanResult['coverage'];
  serverVersion?: ScanResult['serverVersion'];
}

/** Reads manifests and kordon snapshots from paths into one Inventory (what every analysis takes). */
export async function loadInventory(paths: string[], opts: LoadOptions = {}): Promise<LoadedInventory> {
  const snapshots: string[] = [];
  const others: string[] = [];
  for (const p of paths) ((await isSnapshotFile(p)) ? snapshots : others).push(p);
  const loaded = await phaseAsync('read and decode', () => loadManifests(others, opts));
  const objects = [...loaded.objects];
  const problems = [...loaded.problems];
  // namespace-less manifests are in the namespace the user deploys to (snapshots name theirs)
  problems.push(...applyDefaultNamespace(loaded.objects, opts.defaultNamespace ?? 'default'));
  const sources = [...loaded.sources];
  let coverage: ScanResult['coverage'];
  let serverVersion: ScanResult['serverVersion'];
  for (const file of snapshots) {
    const snap = await readSnapshot(file, { ...(opts.maxFileSize ? { maxFileSize: opts.maxFileSize } : {}), ...(opts.limits ? { maxDepth: opts.limits.maxDepth } : {}) });
    objects.push(...snap.objects);
    problems.push(...snap.problems);
    sources.push(file);
    if (snap.snapshot) {
      coverage = [...(coverage ?? []), ...snap.snapshot.coverage];
      serverVersion ??= snap.snapshot.serverVersion;
    }
  }
  if (opts.namespaces?.length) {
    // `-n` on files: only objects in these namespaces, and cluster-scoped ones (as a cluster read does)
    const keep = new Set(opts.namespaces);
    const inv = new Inventory(objects, []);
    const kept = objects.filter((o) => {
      const ns = inv.namespaceOf(o.object);
      return ns === undefined || keep.has(ns);
    });
    objects.length = 0;
    objects.push(...kept);
  }
  const inventory = phase('inventory', () => new Inventory(objects, problems, loaded.locator));
  targetVersionFromInputs(inventory, opts.helm?.kubeVersion, serverVersion);
  if (objects.length >= COLLECT_AFTER_OBJECTS) phase('collect garbage', collectGarbage);
  return { inventory, sources, ...(coverage ? { coverage } : {}), ...(serverVersion ? { serverVersion } : {}) };
}

/** Only regular files can be snapshots (never open a FIFO or device just to sniff it). */
async function isSnapshotFile(p: string): Promise<boolean> {
  if (p === '-') return false;
  try {
    // (synchronous: node:fs/promises is not loaded by a scan of files)
    if (!statSync(p).isFile()) return false;
    const fd = openSync(p, 'r');
    try {
      const buf = Buffer.alloc(2);
      readSync(fd, buf, 0, 2, 0);
      return isGzip(buf);
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

function withCluster(result: ScanResult, coverage: ScanResult['coverage'], serverVersion: ScanResult['serverVersion']): ScanResult {
  return { ...result, ...(coverage ? { coverage } : {}), ...(serverVersion ? { serverVersion } : {}) };
}

/** Reads a live cluster (every listable resource) and scans it. */
export async function scanCluster(opts: ScanOptions & Omit<ReadClusterOptions, 'onObject'>): Promise<ScanResult> {
  const objects: Array<{ object: K8sObject; origin: Origin }> = [];
  const read = await readCluster({ ...opts, onObject: (object, origin) => void objects.push({ object, origin }) });
  objects.sort((a, b) => compareObjects(a.object, b.object));
  const inv = new Inventory(objects, read.problems);
  targetVersionFromInputs(inv, opts.kubeVersion, read.serverVersion);
  return withCluster(scanInventory(inv, [read.source], opts), read.coverage, read.serverVersion);
}

/** Builds an inventory from objects already in memory (e.g. read from a cluster). */
export function inventoryOf(objects: Array<{ object: K8sObject; origin: Origin }>, problems: InputProblem[] = [], locator?: Locator): Inventory {
  return new Inventory(objects, problems, locator);
}
