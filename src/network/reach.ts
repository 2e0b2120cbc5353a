/**
 * Reachability: which connections NetworkPolicy (with AdminNetworkPolicy and
 * BaselineAdminNetworkPolicy where present) allows between workloads and external ranges.
 *
 * A connection SRC → DST on a port is allowed when SRC's egress side and DST's ingress side
 * both allow it. Each side is decided per port in this order:
 *   1. AdminNetworkPolicy rules selecting the pod, by priority (lower first; ties by name),
 *      then rule order: the first rule matching the peer and port decides Allow or Deny;
 *      Pass skips the remaining admin rules.
 *   2. NetworkPolicy: if any policy selecting the pod covers this direction, the pod is
 *      isolated and only the union of their rules allows.
 *   3. Otherwise BaselineAdminNetworkPolicy rules (first match, Allow/Deny).
 *   4. Otherwise allowed.
 *
 * Output conventions follow np-guard's netpol-analyzer connlist: pairs of different peers only
 * (a workload is not listed as connecting to itself), peer-to-peer pairs between two external
 * ranges are not listed, external ranges are the disjoint pieces of 0.0.0.0/0 cut at every
 * ipBlock boundary, and pairs with no allowed connection are omitted.
 *
 * Speed: rule peer sets are computed once per selector (cached) and kept sparse (PeerSet: sorted
 * indices), so the model grows with what selectors match, not policies x workloads. Peers fall into equivalence
 * classes: peers matched by exactly the same rule peers (and, for workloads, carrying the same
 * named ports) are treated identically on the other side of every rule. A side view is one
 * verdict per class, computed once per distinct (rules, named ports) subject signature; the pair
 * loop then only indexes arrays. Pairs are enumerated in sorted peer order (no final sort).
 */
import type { Inventory } from '../inventory/inventory.js';
import { parseAddress, rangeContains } from './ip.js';
import { buildNetworkModel, type NetworkModel, type Workload } from './model.js';
import { buildPolicySet, resolvePorts, type Direction, type ExternalPeer, type PolicyModel, type PolicySet, type Rule } from './policy.js';
import { PortSet } from './ports.js';

export type Peer = { type: 'workload'; workload: Workload; display: string; index: number } | { type: 'external'; external: ExternalPeer; display: string; index: number };

export interface Connection {
  src: Peer;
  dst: Peer;
  ports: PortSet;
}

export interface Reachability {
  model: NetworkModel;
  policies: PolicySet;
  peers: Peer[];
  connections: Connection[];
}

/** How one side (egress of the source or ingress of the destination) treats its peers: a verdict per peer class. */
type SideView = PortSet[];

export interface DecisionStep {
  policy: string;
  tier: PolicyModel['tier'];
  rule?: string;
  pointer?: string;
  action: string;
  ports: PortSet;
}

export interface SideDecision {
  direction: Direction;
  allowed: PortSet;
  /** Why: the rules that decided, in evaluation order. */
  steps: DecisionStep[];
  /** Policies that isolate the pod in this direction (NetworkPolicy tier). */
  isolatedBy: string[];
  /** Admin / baseline policies whose subject includes the pod. */
  adminPolicies: string[];
}

export class ReachabilityEngine {
  readonly model: NetworkModel;
  readonly set: PolicySet;
  readonly peers: Peer[];
  private readonly byWorkload: Array<Record<Direction, { admin: Rule[]; np: Rule[]; isolated: PolicyModel[]; baseline: Rule[] }>>;

  constructor(inv: Inventory) {
    this.model = buildNetworkModel(inv);
    this.set = buildPolicySet(this.model);
    this.peers = [
      ...this.model.workloads.map((w): Peer => ({ type: 'workload', workload: w, display: w.display, index: w.index })),
      ...this.set.externals.map((e): Peer => ({ type: 'external', external: e, display: e.display, index: e.index })),
    ];
    const empty = (): { admin: Rule[]; np: Rule[]; isolated: PolicyModel[]; baseline: Rule[] } => ({ admin: [], np: [], isolated: [], baseline: [] });
    this.byWorkload = this.model.workloads.map(() => ({ ingress: empty(), egress: empty() }));
    const ordered = [...this.set.policies].sort(
      (a, b) => tierRank(a.tier) - tierRank(b.tier) || a.priority - b.priority || cmp(a.namespace ?? '', b.namespace ?? '') || cmp(a.name, b.name),
    );
    for (const p of ordered) {
      for (const i of p.subject.indices) {
        const views = this.byWorkload[i]!;
        for (const dir of ['ingress', 'egress'] as const) {
          const v = views[dir];
          if (p.tier === 'networkpolicy') {
            if (!p.covers.has(dir)) continue;
            v.isolated.push(p);
            v.np.push(...p[dir]);
          } else if (p.tier === 'admin') v.admin.push(...p[dir]);
          else v.baseline.push(...p[dir]);
        }
      }
    }
  }

  /**
   * Peer equivalence classes: `classOf[peer]`, and one representative per class. Peers with
   * identical policy treatment share a class (the security graph uses them for pod-to-pod edges).
   */
  classes(): { classOf: Int32Array; representatives: number[] } {
    if (this.peerClasses) return this.peerClasses;
    const n = this.peers.length;
    const signature: string[] = this.peers.map((p) => (p.type === 'external' ? 'E' : `W${namedPortsKey(p.workload)}`));
    let ruleId = 0;
    for (const p of this.set.policies) {
      for (const r of [...p.ingress, ...p.egress]) {
        const id = `,${(ruleId++).toString(36)}`;
        if (r.allPeers) continue;
        for (const i of r.peers.indices) signature[i] += id;
      }
    }
    const ids = new Map<string, number>();
    const classOf = new Int32Array(n);
    const representatives: number[] = [];
    for (let i = 0; i < n; i++) {
      let c = ids.get(signature[i]!);
      if (c === undefined) {
        c = representatives.length;
        ids.set(signature[i]!, c);
        representatives.push(i);
      }
      classOf[i] = c;
    }
    this.peerClasses = { classOf, representatives };
    return this.peerClasses;
  }

  private readonly ruleClasses = new Map<Rule, number[]>();

  /** The peer classes a rule's peers contain (a class is wholly in or out of every rule). */
  private classesOfRule(r: Rule): number[] {
    let hit = this.ruleClasses.get(r);
    if (!hit) {
      const { classOf } = this.classes();
      const found = new Set<number>();
      for (const i of r.peers.indices) found.add(classOf[i]!);
      hit = [...found].sort((a, b) => a - b);
      this.ruleClasses.set(r, hit);
    }
    return hit;
  }

  private peerClasses: { classOf: Int32Array; representatives: number[] } | undefined;
  private readonly sideCache = new Map<string, SideView>();

  /** The side view of one workload in one direction: the allowed ports per peer class. */
  side(w: Workload, dir: Direction): SideView {
    const v = this.byWorkload[w.index]![dir];
    const rules = [...v.admin, ...v.np, ...v.baseline];
    const hasNamed = dir === 'ingress' && rules.some((r) => r.ports.named.length > 0);
    const key = `${dir}|${v.isolated.length > 0 ? 'I' : 'O'}|${rules.map((r) => ruleKey(r)).join(';')}|${hasNamed ? namedPortsKey(w) : ''}`;
    const hit = this.sideCache.get(key);
    if (hit) return hit;
    const { representatives } = this.classes();
    const fallback = v.isolated.length > 0 ? PortSet.none : PortSet.all;
    let view: SideView;
    if (rules.length === 0) {
      view = representatives.map(() => fallback);
    } else if (v.admin.length === 0 && v.baseline.length === 0) {
      // NetworkPolicy only: the union of the rules matching the peer.
      view = new Array<PortSet>(representatives.length).fill(fallback);
      for (const r of v.np) {
        const constant = dir === 'ingress' || r.ports.named.length === 0 ? resolvePorts(r.ports, w) : undefined;
        if (constant?.isEmpty()) continue;
        const classes = r.allPeers ? representatives.map((_, c) => c) : this.classesOfRule(r);
        for (const c of classes) view[c] = view[c]!.union(constant ?? resolvePorts(r.ports, this.workloadAt(representatives[c]!)));
      }
    } else {
      view = representatives.map((rep) => {
        const matched = rules.some((r) => r.allPeers || r.peers.has(rep));
        return matched ? this.decide(w, dir, this.peers[rep]!).allowed : fallback;
      });
    }
    this.sideCache.set(key, view);
    return view;
  }

  private workloadAt(i: number): Workload | undefined {
    return i < this.model.workloads.length ? this.model.workloads[i] : undefined;
  }

  /** The full decision for one side: workload `w`, direction `dir`, the other end `peer`. */
  decide(w: Workload, dir: Direction, peer: Peer): SideDecision {
    const v = this.byWorkload[w.index]![dir];
    const dst = dir === 'ingress' ? w : peer.type === 'workload' ? peer.workload : undefined;
    const steps: DecisionStep[] = [];
    const matches = (r: Rule): boolean => r.allPeers || r.peers.has(peer.index);
    let allowed = PortSet.none;
    let undecided = PortSet.all;
    let passed = PortSet.none;
    for (const r of v.admin) {
      if (undecided.isEmpty()) break;
      if (!matches(r)) continue;
      const hit = resolvePorts(r.ports, dst).intersect(undecided);
      if (hit.isEmpty()) continue;
      undecided = undecided.subtract(hit);
      if (r.action === 'Allow') allowed = allowed.union(hit);
      else if (r.action === 'Pass') passed = passed.union(hit);
      steps.push(step(r, r.action, hit));
    }
    let rest = undecided.union(passed);
    if (v.isolated.length > 0) {
      let npAllowed = PortSet.none;
      for (const r of v.np) {
        if (!matches(r)) continue;
        const hit = resolvePorts(r.ports, dst).intersect(rest);
        if (hit.isEmpty()) continue;
        npAllowed = npAllowed.union(hit);
        steps.push(step(r, 'Allow', hit));
      }
      const denied = rest.subtract(npAllowed);
      if (!denied.isEmpty()) steps.push({ policy: v.isolated.map((p) => p.label).join(', '), tier: 'networkpolicy', action: 'Deny (isolated, no rule allows)', ports: denied });
      allowed = allowed.union(npAllowed);
    } else {
      for (const r of v.baseline) {
        if (rest.isEmpty()) break;
        if (!matches(r)) continue;
        const hit = resolvePorts(r.ports, dst).intersect(rest);
        if (hit.isEmpty()) continue;
        rest = rest.subtract(hit);
        if (r.action === 'Allow') allowed = allowed.union(hit);
        steps.push(step(r, r.action, hit));
      }
      if (!rest.isEmpty()) {
        allowed = allowed.union(rest);
        steps.push({ policy: '(no policy isolates this side)', tier: 'networkpolicy', action: 'Allow (default)', ports: rest });
      }
    }
    const adminPolicies = [...new Set([...v.admin, ...v.baseline].map((r) => r.policy.label))];
    return { direction: dir, allowed, steps, isolatedBy: v.isolated.map((p) => p.label), adminPolicies };
  }

  /** Every allowed connection, sorted by source then destination. */
  connections(): Connection[] {
    const sorted = [...this.peers].sort((a, b) => cmp(a.display, b.display));
    const nW = this.model.workloads.length;
    const { classOf } = this.classes();
    const egress: SideView[] = [];
    const ingress: SideView[] = [];
    for (const w of this.model.workloads) {
      egress[w.index] = this.side(w, 'egress');
      ingress[w.index] = this.side(w, 'ingress');
    }
    const out: Connection[] = [];
    for (const src of sorted) {
      const eg = src.index < nW ? egress[src.index]! : undefined;
      const srcClass = classOf[src.index]!;
      for (const dst of sorted) {
        if (dst.index === src.index) continue;
        const dstIsWorkload = dst.index < nW;
        if (!eg && !dstIsWorkload) continue; // external → external
        let ports = eg ? eg[classOf[dst.index]!]! : PortSet.all;
        if (ports.isEmpty()) continue;
        if (dstIsWorkload) ports = ports.intersect(ingress[dst.index]![srcClass]!);
        if (!ports.isEmpty()) out.push({ src, dst, ports });
      }
    }
    return out;
  }

  /** Finds a peer by `ns/name`, `ns/name[Kind]`, or an IP address (its external range). */
  findPeer(spec: string): Peer[] {
    const exact = this.peers.filter((p) => p.display === spec);
    if (exact.length) return exact;
    const byName = this.peers.filter((p) => p.type === 'workload' && `${p.workload.namespace}/${p.workload.name}` === spec);
    if (byName.length) return byName;
    const addr = parseAddress(spec);
    if (addr) return this.peers.filter((p) => p.type === 'external' && rangeContains(p.external.range, addr));
    return [];
  }

  /** Allowed ports from `src` to `dst`, with the decision of each side. */
  explain(src: Peer, dst: Peer): { allowed: PortSet; egress?: SideDecision; ingress?: SideDecision } {
    const egress = src.type === 'workload' ? this.decide(src.workload, 'egress', dst) : undefined;
    const ingress = dst.type === 'workload' ? this.decide(dst.workload, 'ingress', src) : undefined;
    let allowed = PortSet.all;
    if (egress) allowed = allowed.intersect(egress.allowed);
    if (ingress) allowed = allowed.intersect(ingress.allowed);
    if (!egress && !ingress) allowed = PortSet.none;
    return { allowed, ...(egress ? { egress } : {}), ...(ingress ? { ingress } : {}) };
  }
}

const ruleIds = new WeakMap<Rule, string>();
let nextRuleId = 0;
function ruleKey(r: Rule): string {
  let id = ruleIds.get(r);
  if (id === undefined) {
    id = (nextRuleId++).toString(36);
    ruleIds.set(r, id);
  }
  return id;
}

const portKeys = new WeakMap<Workload, string>();
/** The named container ports of a workload, canonical (what named-port resolution depends on). */
function namedPortsKey(w: Workload): string {
  let k = portKeys.get(w);
  if (k === undefined) {
    k = w.ports
      .filter((p) => p.name)
      .map((p) => `${p.name}/${p.protocol}/${p.port}`)
      .sort()
      .join(',');
    portKeys.set(w, k);
  }
  return k;
}

function step(r: Rule, action: string, ports: PortSet): DecisionStep {
  return { policy: r.policy.label, tier: r.policy.tier, rule: `${r.direction}[${r.ruleIndex}] ${r.summary}`, pointer: r.pointer, action, ports };
}

function tierRank(t: PolicyModel['tier']): number {
  return t === 'admin' ? 0 : t === 'networkpolicy' ? 1 : 2;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The allowed connections of an inventory (library entry point). */
export function computeReachability(inv: Inventory): Reachability {
  const engine = new ReachabilityEngine(inv);
  return { model: engine.model, policies: engine.set, peers: engine.peers, connections: engine.connections() };
}

/** np-guard's connlist text: `SRC => DST : CONN`, one per line. */
export function formatConnections(conns: readonly Connection[]): string {
  return [...connectionLines(conns)].join('');
}

/** formatConnections in pieces of a few thousand lines (a large cluster's pairs exceed one string). */
export function* connectionLines(conns: readonly Connection[], per = 4096): Generator<string> {
  for (let i = 0; i < conns.length; i += per) {
    let s = '';
    for (const c of conns.slice(i, i + per)) s += `${c.src.display} => ${c.dst.display} : ${c.ports.toString()}\n`;
    yield s;
  }
}

export function connectionJson(c: Connection): { src: string; dst: string; conn: string; ports: ReturnType<PortSet['toJSON']> } {
  return { src: c.src.display, dst: c.dst.display, conn: c.ports.toString(), ports: c.ports.toJSON() };
}

export function connectionsJson(conns: readonly Connection[]): Array<{ src: string; dst: string; conn: string; ports: ReturnType<PortSet['toJSON']> }> {
  return conns.map(connectionJson);
}
