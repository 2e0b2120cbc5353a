/**
 * The security graph: an in-process, integer-indexed multigraph (no database).
 *
 * Vertices and edges are appended while building; `freeze()` then builds compressed adjacency
 * arrays (out and in) sorted by the neighbour's key, so every search visits neighbours in an
 * order that depends only on the objects (not on input order): files and a live read of the
 * same objects give the same paths.
 *
 * Edge weights are small integers (difficulty: 0 = free, 1 = one easy step, 3 = exploit a
 * service). Structural edges (subject → binding → role) are kept for the export but never
 * traversed by the path search.
 */

export type VertexKind =
  | 'internet'
  | 'external-network'
  | 'ingress-point'
  | 'service'
  | 'workload'
  | 'container'
  | 'image'
  | 'volume'
  | 'secret'
  | 'service-account'
  | 'user'
  | 'group'
  | 'role'
  | 'binding'
  | 'namespace-scope'
  | 'node'
  | 'node-pool'
  | 'control-plane'
  | 'cluster-admin'
  | 'cloud-identity'
  | 'network-segment';

export type EdgeKind =
  | 'exposes'
  | 'routes-to'
  | 'selects'
  | 'network-reach'
  | 'runs-container'
  | 'runs-image'
  | 'mounts'
  | 'container-escape'
  | 'host-path-escape'
  | 'host-network'
  | 'node-runs-pod'
  | 'node-in-pool'
  | 'control-plane-node'
  | 'uses-token'
  | 'reads-secret'
  | 'env-from-secret'
  | 'steals-token'
  | 'exec-into-pods'
  | 'create-pods'
  | 'create-privileged-pod'
  | 'patch-pods'
  | 'read-secrets'
  | 'create-token'
  | 'bind-escalate'
  | 'impersonate'
  | 'kubelet-proxy'
  | 'approve-csr'
  | 'change-admission'
  | 'is-cluster-admin'
  | 'cloud-identity'
  | 'instance-metadata'
  | 'etcd-access'
  | 'contains'
  | 'bound-by'
  | 'grants-role'
  | 'exploit';

/** What makes an edge exist: an object (inventory id) and a JSON pointer into it. */
export interface Evidence {
  /** Inventory id (`Kind/namespace/name`), or `built-in//<name>` for objects the API server provides. */
  object: string;
  pointer: string;
  /** Why this field matters, in words (never a secret value). */
  detail: string;
  /** `cause`: the setting that enables the step (what a fix changes); `context`: where it is. */
  role: 'cause' | 'context';
  /**
   * For causes that are a whole object rather than one field (a Namespace without policies):
   * the controls (by name) whose findings this cause stands for.
   */
  controls?: string[];
}

export type JewelCategory = 'cluster-admin' | 'node' | 'control-plane' | 'all-secrets' | 'system-secret' | 'cloud-identity' | 'custom';
export const JEWEL_CATEGORIES: readonly JewelCategory[] = ['cluster-admin', 'control-plane', 'node', 'cloud-identity', 'all-secrets', 'system-secret', 'custom'];

export interface VertexInfo {
  id: number;
  key: string;
  kind: VertexKind;
  label: string;
  /** Inventory id of the object the vertex stands for, when there is one. */
  object?: string;
  jewel?: JewelCategory;
}

/** Evidence computed on demand (e.g. NetworkPolicy verdicts): keeps the build cheap. */
export type LazyEvidence = (edge: number) => Evidence[];

/** Shared by every edge without evidence (never mutated). */
export const NO_EVIDENCE: Evidence[] = [];

export class SecurityGraph {
  readonly keys: string[] = [];
  readonly kinds: VertexKind[] = [];
  readonly labels: string[] = [];
  readonly objects: Array<string | undefined> = [];
  readonly jewels: Array<JewelCategory | undefined> = [];
  private readonly byKey = new Map<string, number>();

  readonly edgeSrc: number[] = [];
  readonly edgeDst: number[] = [];
  readonly edgeKind: EdgeKind[] = [];
  /** Difficulty; -1 marks a structural edge the search never takes. */
  readonly edgeWeight: number[] = [];
  readonly edgeDetail: string[] = [];
  private readonly edgeEvidence: Array<Evidence[] | undefined> = [];
  private readonly lazyEvidence = new Map<number, LazyEvidence>();
  private readonly edgeSeen = new Set<string>();

  outStart: Int32Array = new Int32Array(1);
  outEdges: Int32Array = new Int32Array(0);
  inStart: Int32Array = new Int32Array(1);
  inEdges: Int32Array = new Int32Array(0);
  private frozen = false;

  get vertexCount(): number {
    return this.keys.length;
  }
  get edgeCount(): number {
    return this.edgeSrc.length;
  }

  /** The vertex with this key, created on first use. */
  vertex(key: string, kind: VertexKind, label: string, object?: string): number {
    let id = this.byKey.get(key);
    if (id !== undefined) {
      if (object !== undefined && this.objects[id] === undefined) this.objects[id] = object;
      return id;
    }
    if (this.frozen) throw new Error('graph is frozen');
    id = this.keys.length;
    this.byKey.set(key, id);
    this.keys.push(key);
    this.kinds.push(kind);
    this.labels.push(label);
    this.objects.push(object);
    this.jewels.push(undefined);
    return id;
  }

  find(key: string): number | undefined {
    return this.byKey.get(key);
  }

  markJewel(v: number, category: JewelCategory): void {
    // The first (strongest) category wins: cluster-admin > control-plane > node > cloud > secret > custom.
    const cur = this.jewels[v];
    if (cur === undefined || JEWEL_CATEGORIES.indexOf(category) < JEWEL_CATEGORIES.indexOf(cur)) this.jewels[v] = category;
  }

  /**
   * Adds an edge; the same (source, target, kind, detail) is added once. `evidence` may be a
   * resolver called only when the edge is shown.
   */
  edge(src: number, dst: number, kind: EdgeKind, weight: number, detail: string, evidence: Evidence[] | LazyEvidence): number {
    const dedupe = `${src}>${dst}>${kind}>${detail}`;
    if (this.edgeSeen.has(dedupe)) return -1;
    this.edgeSeen.add(dedupe);
    return this.edgeUnique(src, dst, kind, weight, detail, evidence);
  }

  /** Adds an edge the caller knows is new (skips the duplicate check: no per-edge key kept). */
  edgeUnique(src: number, dst: number, kind: EdgeKind, weight: number, detail: string, evidence: Evidence[] | LazyEvidence): number {
    if (this.frozen) throw new Error('graph is frozen');
    const id = this.edgeSrc.length;
    this.edgeSrc.push(src);
    this.edgeDst.push(dst);
    this.edgeKind.push(kind);
    this.edgeWeight.push(weight);
    this.edgeDetail.push(detail);
    if (typeof evidence === 'function') {
      this.edgeEvidence.push(undefined);
      this.lazyEvidence.set(id, evidence);
    } else this.edgeEvidence.push(evidence);
    return id;
  }

  evidenceOf(e: number): Evidence[] {
    let ev = this.edgeEvidence[e];
    if (!ev) {
      const lazy = this.lazyEvidence.get(e);
      ev = lazy ? lazy(e) : [];
      this.edgeEvidence[e] = ev;
    }
    return ev;
  }

  info(v: number): VertexInfo {
    const o = this.objects[v];
    const j = this.jewels[v];
    return { id: v, key: this.keys[v]!, kind: this.kinds[v]!, label: this.labels[v]!, ...(o !== undefined ? { object: o } : {}), ...(j !== undefined ? { jewel: j } : {}) };
  }

  /** Builds the adjacency arrays; neighbours sorted by key, then edge kind and detail. */
  freeze(): void {
    if (this.frozen) return;
    this.frozen = true;
    this.edgeSeen.clear();
    const n = this.keys.length;
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => cmp(this.keys[a]!, this.keys[b]!));
    const rank = new Int32Array(n);
    order.forEach((v, r) => (rank[v] = r));
    const m = this.edgeSrc.length;
    const build = (from: number[], to: number[]): { start: Int32Array; edges: Int32Array } => {
      const start = new Int32Array(n + 1);
      for (let e = 0; e < m; e++) start[from[e]! + 1]!++;
      for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
      const fill = start.slice(0, n);
      const edges = new Int32Array(m);
      for (let e = 0; e < m; e++) edges[fill[from[e]!]!++] = e;
      const tmp: number[] = [];
      for (let v = 0; v < n; v++) {
        const a = start[v]!;
        const b = start[v + 1]!;
        if (b - a < 2) continue;
        tmp.length = 0;
        for (let i = a; i < b; i++) tmp.push(edges[i]!);
        tmp.sort((x, y) => rank[to[x]!]! - rank[to[y]!]! || cmp(this.edgeKind[x]!, this.edgeKind[y]!) || cmp(this.edgeDetail[x]!, this.edgeDetail[y]!));
        for (let i = a; i < b; i++) edges[i] = tmp[i - a]!;
      }
      return { start, edges };
    };
    const out = build(this.edgeSrc, this.edgeDst);
    this.outStart = out.start;
    this.outEdges = out.edges;
    const inn = build(this.edgeDst, this.edgeSrc);
    this.inStart = inn.start;
    this.inEdges = inn.edges;
  }
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
