/**
 * Attack paths: from entry points to crown jewels, cheapest first.
 *
 * One reverse search per crown-jewel category (a bucket queue: weights are small integers)
 * gives every vertex its cheapest way to a jewel of that category; a path from any start is
 * then read off in O(length). Entry points default to the internet and the node network:
 * every workload the internet reaches (LoadBalancer, Ingress, Gateway) or the node network
 * reaches (NodePort, externalIPs, internal load balancer, hostPort, hostNetwork) starts a
 * path, prefixed by its exposure chain. Ties are broken by vertex keys, so the same objects always give the same
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
  /** Where the search started (the entry points tried, or the `--from` starts). */
  entryPoints?: EntryPoints;
}

export interface PathOptions {
  /** Start vertices; default: the workloads the internet and the node network reach. */
  from?: readonly number[];
  /** Maximum paths shown (default 20); `total` counts them all. */
  max?: number;
}

/** Every vertex an entry (the internet, the node network) reaches through exposure edges, with the exposure chain to it. */
export function exposureEntries(g: SecurityGraph, root: number): Map<number, number[]> {
  const parent = new Map<number, number>();
  const queue = [root];
  const seen = new Set([root]);
  const entries = new Map<number, number[]>();
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i]!;
    for (let k = g.outStart[v]!; k < g.outStart[v + 1]!; k++) {
      const e = g.outEdges[k]!;
      const kind = g.edgeKind[e]!;
      // an exploit edge (a known vulnerability of the workload, src/graph/exploit-edges.ts) sorts
      // before the generic step to the same workload, so the chain takes it when there is one
      if (kind !== 'exposes' && kind !== 'routes-to' && kind !== 'selects' && kind !== 'exploit') continue;
      const u = g.edgeDst[e]!;
      if (seen.has(u)) continue;
      seen.add(u);
      parent.set(u, e);
      // anonymous API access starts at the identities RBAC gives it (node-entries.ts)
      if (g.kinds[u] === 'workload' || (kind === 'exposes' && (g.kinds[u] === 'user' || g.kinds[u] === 'group'))) {
        const chain: number[] = [];
        for (let x = u; x !== root; x = g.edgeSrc[parent.get(x)!]!) chain.push(parent.get(x)!);
        entries.set(u, chain.reverse());
      } else queue.push(u);
    }
  }
  return entries;
}

/** Every vertex the internet reaches through exposure edges, with the exposure chain to it. */
export function internetEntries(g: SecurityGraph, internet: number): Map<number, number[]> {
  return exposureEntries(g, internet);
}

/**
 * The default starts: every workload the internet reaches (LoadBalancer, Ingress, Gateway), and
 * every other workload the node network reaches (NodePort, externalIPs, internal load
 * balancers, hostPort, hostNetwork): someone on the nodes' network (VPC / LAN) is an attacker
 * position too. A workload both reach starts once, from the internet.
 */
export function defaultStarts(g: SecurityGraph): Array<{ vertex: number; prefix: number[]; origin: 'internet' | 'node-network' }> {
  const starts = new Map<number, { vertex: number; prefix: number[]; origin: 'internet' | 'node-network' }>();
  const internet = g.find('internet');
  const nodeNetwork = g.find('external:node-network');
  if (internet !== undefined) for (const [vertex, prefix] of exposureEntries(g, internet)) starts.set(vertex, { vertex, prefix, origin: 'internet' });
  if (nodeNetwork !== undefined) for (const [vertex, prefix] of exposureEntries(g, nodeNetwork)) if (!starts.has(vertex)) starts.set(vertex, { vertex, prefix, origin: 'node-network' });
  return [...starts.values()];
}

export type EntryKind = 'LoadBalancer' | 'Ingress' | 'Gateway' | 'internal LoadBalancer' | 'NodePort' | 'externalIPs' | 'hostPort' | 'hostNetwork' | 'anonymous API' | 'kubelet' | 'etcd';
const ENTRY_ORDER: readonly EntryKind[] = ['LoadBalancer', 'Ingress', 'Gateway', 'internal LoadBalancer', 'NodePort', 'externalIPs', 'hostPort', 'hostNetwork', 'anonymous API', 'kubelet', 'etcd'];
const ENTRY_WORDS: Record<EntryKind, [string, string]> = {
  LoadBalancer: ['LoadBalancer Service', 'LoadBalancer Services'],
  Ingress: ['Ingress', 'Ingresses'],
  Gateway: ['Gateway', 'Gateways'],
  'internal LoadBalancer': ['internal LoadBalancer Service', 'internal LoadBalancer Services'],
  NodePort: ['NodePort Service', 'NodePort Services'],
  externalIPs: ['Service with externalIPs', 'Services with externalIPs'],
  hostPort: ['hostPort workload', 'hostPort workloads'],
  hostNetwork: ['hostNetwork workload', 'hostNetwork workloads'],
  'anonymous API': ['anonymous API server identity', 'anonymous API server identities'],
  kubelet: ['pod behind an anonymous kubelet', 'pods behind anonymous kubelets'],
  etcd: ['etcd without client certificates', 'etcds without client certificates'],
};

/** The entry points a search started from: what kind, how many, which objects, and the workloads they reach. */
export interface EntryPoints {
  /** Entry objects by kind (only kinds present), in a fixed order. */
  tried: Array<{ kind: EntryKind; count: number; objects: string[] }>;
  /** Workloads the entry points reach (where paths start). */
  workloads: number;
  /** `--from` starts instead of the entry points, when given. */
  from?: string[];
  /** One line: "entry points tried: 1 LoadBalancer Service, 2 NodePort Services (reaching 3 workloads)". */
  text: string;
}

/** Classifies the exposure edges leaving the internet and the node network. */
export function entryPointsOf(g: SecurityGraph, from?: readonly number[]): EntryPoints {
  if (from && from.length) {
    const names = [...new Set(from.map((v) => g.labels[v]!))].sort(cmp);
    return { tried: [], workloads: 0, from: names, text: `start${names.length === 1 ? '' : 's'}: ${names.join(', ')}` };
  }
  const byKind = new Map<EntryKind, Set<string>>();
  const add = (k: EntryKind, object: string): void => {
    let set = byKind.get(k);
    if (!set) byKind.set(k, (set = new Set()));
    set.add(object);
  };
  for (const key of ['internet', 'external:node-network']) {
    const root = g.find(key);
    if (root === undefined) continue;
    for (let k = g.outStart[root]!; k < g.outStart[root + 1]!; k++) {
      const e = g.outEdges[k]!;
      if (g.edgeKind[e] !== 'exposes') continue;
      const dst = g.edgeDst[e]!;
      const dkey = g.keys[dst]!;
      const detail = g.edgeDetail[e]!;
      if (g.kinds[dst] === 'ingress-point') add(dkey.startsWith('Ingress/') ? 'Ingress' : 'Gateway', g.labels[dst]!);
      else if (g.kinds[dst] === 'service') {
        if (detail.startsWith('externalIPs')) add('externalIPs', g.labels[dst]!);
        else if (detail === 'type NodePort node ports') add('NodePort', g.labels[dst]!);
        else if (detail === 'type LoadBalancer (internal)') add('internal LoadBalancer', g.labels[dst]!);
        else if (detail === 'type LoadBalancer') add('LoadBalancer', g.labels[dst]!);
        // the node ports of a LoadBalancer Service: the same Service, already counted
      } else if (g.kinds[dst] === 'user' || g.kinds[dst] === 'group') add('anonymous API', g.labels[dst]!);
      else if (g.kinds[dst] === 'workload') add(detail.startsWith('kubelet API') ? 'kubelet' : detail.startsWith('etcd client port') ? 'etcd' : detail.startsWith('hostNetwork') ? 'hostNetwork' : 'hostPort', g.labels[dst]!);
    }
  }
  const tried = ENTRY_ORDER.filter((k) => byKind.has(k)).map((kind) => {
    const objects = [...byKind.get(kind)!].sort(cmp);
    return { kind, count: objects.length, objects };
  });
  const workloads = defaultStarts(g).filter((s) => g.kinds[s.vertex] === 'workload').length;
  const text = tried.length
    ? `entry points tried: ${tried.map((t) => `${t.count} ${ENTRY_WORDS[t.kind][t.count === 1 ? 0 : 1]}`).join(', ')} (reaching ${workloads} workload${workloads === 1 ? '' : 's'})`
    : 'entry points tried: none (no LoadBalancer, NodePort or externalIPs Service, Ingress, Gateway, hostPort or hostNetwork pod leads to a workload)';
  return { tried, workloads, text };
}

/** Edge ids of every path (uncapped), cheapest first. */
export function computePaths(bg: BuiltGraph, opts: PathOptions = {}): Array<{ edges: number[]; category: JewelCategory; cost: number }> {
  const g = bg.graph;
  let starts: Array<{ vertex: number; prefix: number[]; origin?: 'internet' | 'node-network' }>;
  if (opts.from && opts.from.length) starts = [...opts.from].map((v) => ({ vertex: v, prefix: [] }));
  else starts = defaultStarts(g);
  // A path that passes through another entry point the same attacker reaches directly (from the
  // internet, or from the same network) says that entry's path again, with a detour in front.
  const originOf = new Map<number, 'internet' | 'node-network'>();
  for (const s of starts) if (s.origin) originOf.set(s.vertex, s.origin);
  starts.sort((a, b) => cmp(g.keys[a.vertex]!, g.keys[b.vertex]!));
  const out: Array<{ edges: number[]; category: JewelCategory; cost: number }> = [];
  const seen = new Set<string>();
  const isTarget = new Uint8Array(g.vertexCount);
  // A system secret reached through "all secrets in every namespace" is that jewel's path again.
  const allSecrets = g.find('scope:secrets/*');
  let adminFree: Int32Array | undefined;
  for (const category of JEWEL_CATEGORIES) {
    const targets: number[] = [];
    for (let v = 0; v < g.vertexCount; v++) if (g.jewels[v] === category) targets.push(v);
    if (targets.length === 0) continue;
    // Few jewels (cloud identities, marked objects): a path to each; many (nodes, secrets): to the nearest.
    const groups = targets.length <= PER_JEWEL_LIMIT ? targets.map((t) => [t]) : [targets];
    for (const group of groups) {
      const { dist, next } = searchToTargets(g, group);
      if (category === 'cluster-admin') adminFree = dist;
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
        if (category === 'system-secret' && allSecrets !== undefined && edges.some((e) => g.edgeDst[e] === allSecrets)) continue;
        if (s.origin && throughOtherEntry(g, edges, s.prefix.length, s.origin, originOf)) continue;
        // Through an identity that is cluster-admin at no further cost: the cluster-admin path of
        // this start already says it (full control reaches every other jewel); marked jewels stay.
        if (adminFree && category !== 'cluster-admin' && category !== 'custom' && edges.some((e) => adminFree![g.edgeSrc[e]!] === 0)) continue;
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

/** Whether the part of a path after its start passes another entry the same attacker reaches directly. */
function throughOtherEntry(g: SecurityGraph, edges: readonly number[], from: number, origin: 'internet' | 'node-network', originOf: ReadonlyMap<number, 'internet' | 'node-network'>): boolean {
  for (let i = from; i < edges.length; i++) {
    const o = originOf.get(g.edgeDst[edges[i]!]!);
    if (o === 'internet' || o === origin) return true;
  }
  return false;
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
      const last = p.edges[i]!;
      // lateral movement through a known vulnerability of the target (src/graph/exploit-edges.ts)
      if (g.edgeKind[last] === 'exploit') steps.push({ edge: 'exploit', source: g.labels[src]!, target: g.labels[dst]!, detail: `network connection allowed; ${g.edgeDetail[last]!}`, weight, evidence: [...g.evidenceOf(last), ...bg.networkEvidence(src, dst)] });
      else steps.push({ edge: 'network-reach', source: g.labels[src]!, target: g.labels[dst]!, detail: 'network connection allowed (lateral movement: exploit a service of the target)', weight, evidence: bg.networkEvidence(src, dst) });
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
  return { paths: shown, total: all.length, shown: shown.length, entryPoints: entryPointsOf(bg.graph, opts.from) };
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
