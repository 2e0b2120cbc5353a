/** The whole graph as JSON: vertices, edges and their evidence, sorted by key (deterministic). */
import { cmp } from './graph.js';
import type { BuiltGraph } from './build.js';
import type { Evidence } from './graph.js';

export interface GraphJson {
  nodes: Array<{ id: string; kind: string; label: string; object?: string; crownJewel?: string }>;
  edges: Array<{ source: string; target: string; kind: string; weight: number | null; detail: string; evidence: Evidence[] }>;
}

export function graphToJson(bg: BuiltGraph): GraphJson {
  const g = bg.graph;
  const nodes: GraphJson['nodes'] = [];
  for (let v = 0; v < g.vertexCount; v++) {
    const o = g.objects[v];
    const j = g.jewels[v];
    nodes.push({ id: g.keys[v]!, kind: g.kinds[v]!, label: g.labels[v]!, ...(o !== undefined ? { object: o } : {}), ...(j !== undefined ? { crownJewel: j } : {}) });
  }
  nodes.sort((a, b) => cmp(a.id, b.id));
  const edges: GraphJson['edges'] = [];
  for (let e = 0; e < g.edgeCount; e++) {
    const w = g.edgeWeight[e]!;
    edges.push({ source: g.keys[g.edgeSrc[e]!]!, target: g.keys[g.edgeDst[e]!]!, kind: g.edgeKind[e]!, weight: w < 0 ? null : w, detail: g.edgeDetail[e]!, evidence: g.evidenceOf(e) });
  }
  edges.sort((a, b) => cmp(a.source, b.source) || cmp(a.target, b.target) || cmp(a.kind, b.kind) || cmp(a.detail, b.detail));
  return { nodes, edges };
}
