/**
 * Attack paths: from entry points to crown jewels, cheapest first.
 *
 * One reverse search per crown-jewel category (a bucket queue: weights are small integers)
 * gives every vertex its cheapest way to a jewel of that category; a path from any start is
 * then read off in O(length). Entry points default to the internet: every workload the
 * internet reaches (through a LoadBalancer, Ingress or Gateway) starts a path, prefixed by its
 * exposure chain. Ties are broken by vertex keys, so the same objects always give the same
 * paths, whatever order they were read in.
 */
import { JEWEL_CATEGORIES, cmp, type EdgeKind, type Evidence, type JewelCategory, type SecurityGraph } from './graph.js';
import type { BuiltGraph } from './build.js';

const INF = 0x3fffffff;
/** Categories with at most this many jewels get a path to each jewel; larger ones to the nearest. */
export const PER_JEWEL_LIMIT = 16;

export interface SearchResult {
  dist: Int32Array;
  next: Int32Array;
}

/** Cheapest way from every vertex to one of `targets` (reverse Dial's algorithm). */
export function searchToTargets(g: SecurityGraph, targets: readonly number[]): SearchResult {
  const n = g.vertexCount;
  const dist = new Int32Array(n).fill(INF);
  const next = new Int32Array(n).fill(-1);
  const done = new Uint8Array(n);
  const buckets: Array<number[] | undefined> = [];
  const push = (d: number, v: number): void => {
    const bucket = buckets[d];
    if (bucket) bucket.push(v);
    else buckets[d] = [v];
  };
  const sorted = [...targets].sort((a, b) => cmp(g.keys[a]!, g.keys[b]!));
  for (const t of sorted) {
    dist[t] = 0;
    push(0, t);
  }
  const { inStart, inEdges, edgeSrc, edgeWeight } = g;
  for (let d = 0; d < buckets.length; d++) {
    const bucket = buckets[d];
    if (!bucket) continue;
    for (let i = 0; i < bucket.length; i++) {
      const v = bucket[i]!;
      if (done[v] || dist[v] !== d) continue;
      done[v] = 1;
      for (let k = inStart[v]!, end = inStart[v + 1]!; k < end; k++) {
        const e = inEdges[k]!;
        const w = edgeWeight[e]!;
        if (w < 0) continue;
        const u = edgeSrc[e]!;
        const nd = d + w;
        if (nd < dist[u]!) {
          dist[u] = nd;
          next[u] = e;
          push(nd, u);
        }
      }
    }
    buckets[d] = undefined;
  }
  return { dist, next };
}

export interface PathStep {
  edge: EdgeKind;
  source: string;
  target: string;
  /** What the step does. */
  detail: string;
  weight: number;
  evidence: Evidence[];
}

export interface AttackPath {
  from: string;
  to: string;
  /** Keys of the first and last vertex (stable ids). */
  fromKey: string;
  toKey: string;
  category: JewelCategory;
  cost: number;
  steps: PathStep[];
}

export interface PathsResult {
  paths: AttackPath[];
  total: number;
  shown: number;
}

export interface PathOptions {
  /** Start vertices (keys); default: the internet. */
  from?: readonly number[];
  /** Maximum paths shown (default 20); `total` counts them all. */
  max?: number;
}

/** Every vertex the internet reaches through exposure edges, with the exposure chain to it. */
export function internetEntries(g: SecurityGraph, internet: number): Map<number, number[]> {
  const parent = new Map<number, number>();
  const queue = [internet];
  const seen = new Set([internet]);
  const entries = new Map<number, number[]>();
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i]!;
    for (let k = g.outStart[v]!; k < g.outStart[v + 1]!; k++) {
      const e = g.outEdges[k]!;
      const kind = g.edgeKind[e]!;
      if (kind !== 'exposes' && kind !== 'routes-to' && kind !== 'selects') continue;
      const u = g.edgeDst[e]!;
      if (seen.has(u)) continue;
      seen.add(u);
      parent.set(u, e);
      if (g.kinds[u] === 'workload') {
        const chain: number[] = [];
        for (let x = u; x !== internet; x = g.edgeSrc[parent.get(x)!]!) chain.push(parent.get(x)!);
        entries.set(u, chain.reverse());
      } else queue.push(u);
    }
  }
  return entries;
}

/** Edge ids of every path (uncapped), cheapest first. */
export function computePaths(bg: BuiltGraph, opts: PathOptions = {}): Array<{ edges: number[]; category: JewelCategory; cost: number }> {
  const g = bg.graph;
  const internet = g.find('internet')!;
  let starts: Array<{ vertex: number; prefix: number[] }>;
  if (opts.from && opts.from.length) starts = [...opts.from].map((v) => ({ vertex: v, prefix: [] }));
  else starts = [...internetEntries(g, internet)].map(([vertex, prefix]) => ({ vertex, prefix }));
  starts.sort((a, b) => cmp(g.keys[a.vertex]!, g.keys[b.vertex]!));
  const out: Array<{ edges: number[]; category: JewelCategory; cost: number }> = [];
  const seen = new Set<string>();
  const isTarget = new Uint8Array(g.vertexCount);
  for (const category of JEWEL_CATEGORIES) {
    const targets: number[] = [];
    for (let v = 0; v < g.vertexCount; v++) if (g.jewels[v] === category) targets.push(v);
    if (targets.length === 0) continue;
    // Few jewels (cloud identities, marked objects): a path to each; many (nodes, secrets): to the nearest.
    const groups = targets.length <= PER_JEWEL_LIMIT ? targets.map((t) => [t]) : [targets];
    for (const group of groups) {
      const { dist, next } = searchToTargets(g, group);
      for (const t of group) isTarget[t] = 1;
      for (const s of starts) {
        if (dist[s.vertex]! >= INF || isTarget[s.vertex]) continue;
        const edges = [...s.prefix];
        let cost = 0;
        for (const e of s.prefix) cost += g.edgeWeight[e]!;
        for (let v = s.vertex; !isTarget[v]; ) {
          const e = next[v]!;
          edges.push(e);
          cost += g.edgeWeight[e]!;
          v = g.edgeDst[e]!;
        }
        const key = edges.join(',');
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ edges, category, cost });
      }
      for (const t of group) isTarget[t] = 0;
    }
  }
  const label = (p: { edges: number[] }): string => p.edges.map((e) => g.keys[g.edgeDst[e]!]).join('>');
  out.sort((a, b) => a.cost - b.cost || a.edges.length - b.edges.length || JEWEL_CATEGORIES.indexOf(a.category) - JEWEL_CATEGORIES.indexOf(b.category) || cmp(g.keys[g.edgeSrc[a.edges[0]!]!]!, g.keys[g.edgeSrc[b.edges[0]!]!]!) || cmp(label(a), label(b)));
  return out;
}

/** Turns edge ids into steps; hidden network-segment vertices collapse into one `network-reach` step. */
export function describePath(bg: BuiltGraph, p: { edges: number[]; category: JewelCategory; cost: number }): AttackPath {
  const g = bg.graph;
  const steps: PathStep[] = [];
  for (let i = 0; i < p.edges.length; i++) {
    const e = p.edges[i]!;
    const src = g.edgeSrc[e]!;
    let dst = g.edgeDst[e]!;
    if (g.kinds[dst] === 'network-segment') {
      let weight = g.edgeWeight[e]!;
      while (g.kinds[dst] === 'network-segment' && i + 1 < p.edges.length) {
        i++;
        weight += g.edgeWeight[p.edges[i]!]!;
        dst = g.edgeDst[p.edges[i]!]!;
      }
      steps.push({ edge: 'network-reach', source: g.labels[src]!, target: g.labels[dst]!, detail: 'network connection allowed (lateral movement: exploit a service of the target)', weight, evidence: bg.networkEvidence(src, dst) });
      continue;
    }
    steps.push({ edge: g.edgeKind[e]!, source: g.labels[src]!, target: g.labels[dst]!, detail: g.edgeDetail[e]!, weight: g.edgeWeight[e]!, evidence: g.evidenceOf(e) });
  }
  const first = g.edgeSrc[p.edges[0]!]!;
  const last = g.edgeDst[p.edges[p.edges.length - 1]!]!;
  return { from: g.labels[first]!, to: g.labels[last]!, fromKey: g.keys[first]!, toKey: g.keys[last]!, category: p.category, cost: p.cost, steps };
}

export function findAttackPaths(bg: BuiltGraph, opts: PathOptions = {}): PathsResult {
  const all = computePaths(bg, opts);
  const max = opts.max ?? 20;
  const shown = all.slice(0, Math.max(0, max)).map((p) => describePath(bg, p));
  return { paths: shown, total: all.length, shown: shown.length };
}

/** Resolves `--from`: `ns/name` (a workload), `sa:ns/name`, `user:name`, `group:name`, or a vertex key. */
export function resolveStart(g: SecurityGraph, spec: string): number[] {
  const exact = g.find(spec);
  if (exact !== undefined) return [exact];
  if (spec.startsWith('sa:')) {
    const v = g.find(`ServiceAccount/${spec.slice(3)}`);
    return v === undefined ? [] : [v];
  }
  if (spec.startsWith('user:') || spec.startsWith('group:')) {
    const kind = spec.startsWith('user:') ? 'User' : 'Group';
    const v = g.find(`${kind}//${spec.slice(spec.indexOf(':') + 1)}`);
    return v === undefined ? [] : [v];
  }
  const out: number[] = [];
  for (let v = 0; v < g.vertexCount; v++) {
    if (g.kinds[v] !== 'workload') continue;
    const k = g.keys[v]!;
    const parts = k.split('/');
    if (`${parts[1]}/${parts.slice(2).join('/')}` === spec) out.push(v);
  }
  return out;
}
