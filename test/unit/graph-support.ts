/** Helpers for the graph tests: load a scenario, look up edges by vertex keys. */
import path from 'node:path';
import { loadManifests } from '../../src/sources/manifests/load.js';
import { Inventory } from '../../src/inventory/inventory.js';
import { buildSecurityGraph, type BuiltGraph, type GraphOptions } from '../../src/graph/build.js';
import type { EdgeKind, Evidence } from '../../src/graph/graph.js';

export const GRAPH_FIXTURES = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../fixtures/graph');

export async function loadScenario(name: string): Promise<Inventory> {
  const loaded = await loadManifests([path.join(GRAPH_FIXTURES, name)]);
  if (loaded.problems.length) throw new Error(`scenario ${name}: ${loaded.problems.map((p) => p.message).join('; ')}`);
  return new Inventory(loaded.objects, loaded.problems, loaded.locator);
}

export async function scenarioGraph(name: string, opts: GraphOptions = {}): Promise<BuiltGraph> {
  return buildSecurityGraph(await loadScenario(name), opts);
}

export interface EdgeView {
  kind: EdgeKind;
  source: string;
  target: string;
  weight: number;
  detail: string;
  evidence: Evidence[];
}

/** Edges leaving the vertex `from` (by key), optionally of one kind and to one target key. */
export function edgesFrom(bg: BuiltGraph, from: string, kind?: EdgeKind, to?: string): EdgeView[] {
  const g = bg.graph;
  const v = g.find(from);
  if (v === undefined) return [];
  const out: EdgeView[] = [];
  for (let k = g.outStart[v]!; k < g.outStart[v + 1]!; k++) {
    const e = g.outEdges[k]!;
    if (kind && g.edgeKind[e] !== kind) continue;
    const target = g.keys[g.edgeDst[e]!]!;
    if (to && target !== to) continue;
    out.push({ kind: g.edgeKind[e]!, source: from, target, weight: g.edgeWeight[e]!, detail: g.edgeDetail[e]!, evidence: g.evidenceOf(e) });
  }
  return out;
}

/** Keys of the targets of `kind` edges from the vertex. */
export function targets(bg: BuiltGraph, from: string, kind: EdgeKind): string[] {
  return edgesFrom(bg, from, kind).map((e) => e.target);
}

/** `source -edge-> target` lines of a path, for exact comparisons. */
export function stepLines(p: { steps: Array<{ edge: string; source: string; target: string }> }): string[] {
  return p.steps.map((s) => `${s.source} -${s.edge}-> ${s.target}`);
}

/** Runs the CLI in-process: exit code, standard output and standard error. */
export async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { main } = await import('../../src/cli/main.js');
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), isTTY: false, env: {} });
  return { code, stdout, stderr };
}
