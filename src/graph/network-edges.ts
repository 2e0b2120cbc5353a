/**
 * Pod → pod lateral movement as NetworkPolicy (and Admin/Baseline policies) allow, from the
 * reachability engine (src/network/reach.ts).
 *
 * Pairs are never enumerated: workloads whose egress view and peer class are identical form a
 * source group, and likewise for ingress; one hidden "network segment" vertex per group and one
 * edge per allowed (source group, destination group) pair keep the edge count near the number
 * of workloads even on 150,000 pods. Paths shown to users collapse `pod → segment → segment →
 * pod` into one `network-reach` step whose evidence is the actual verdict for that pair.
 */
import type { ReachabilityEngine, Peer } from '../network/reach.js';
import type { Workload } from '../network/model.js';
import type { PortSet } from '../network/ports.js';
import { NO_EVIDENCE, type Evidence, type SecurityGraph } from './graph.js';

export const LATERAL_WEIGHT = 3;
/** Findings that stand for "nothing restricts this traffic". */
export const NETWORK_INGRESS_CONTROLS = ['namespace-without-network-policy', 'net-namespace-no-default-deny-ingress', 'net-internet-exposed-without-ingress-policy'];
export const NETWORK_EGRESS_CONTROLS = ['namespace-without-network-policy', 'net-namespace-no-default-deny-egress', 'net-egress-to-any-address', 'net-egress-to-cloud-metadata'];

/** Peer equivalence classes of the reachability engine. */
function classOf(engine: ReachabilityEngine): Int32Array {
  return engine.classes().classOf;
}

/**
 * `isTarget(w)`: whether lateral movement can enter the workload at all (a long-lived server
 * listening on a port); connections to the others are still allowed, but lead nowhere.
 */
export function addNetworkEdges(g: SecurityGraph, engine: ReachabilityEngine, workloadVertex: readonly number[], isTarget: (w: Workload) => boolean = () => true): void {
  const workloads = engine.model.workloads;
  if (workloads.length === 0) return;
  const klass = classOf(engine);
  const viewIds = new Map<PortSet[], number>();
  const idOf = (v: PortSet[]): number => {
    let id = viewIds.get(v);
    if (id === undefined) viewIds.set(v, (id = viewIds.size));
    return id;
  };
  interface Group {
    key: string;
    view: PortSet[];
    cls: number;
    vertex: number;
  }
  const srcGroups = new Map<string, Group>();
  const dstGroups = new Map<string, Group>();
  const srcByClass = new Map<number, Group[]>();
  for (const w of workloads) {
    const eg = engine.side(w, 'egress');
    const ing = engine.side(w, 'ingress');
    const c = klass[w.index]!;
    const sk = `${idOf(eg)}:${c}`;
    let s = srcGroups.get(sk);
    if (!s) {
      s = { key: sk, view: eg, cls: c, vertex: g.vertex(`segment:out:${sk}`, 'network-segment', 'network segment (egress)') };
      srcGroups.set(sk, s);
      const list = srcByClass.get(c);
      if (list) list.push(s);
      else srcByClass.set(c, [s]);
    }
    const dk = `${idOf(ing)}:${c}`;
    let d = dstGroups.get(dk);
    if (!d) {
      d = { key: dk, view: ing, cls: c, vertex: g.vertex(`segment:in:${dk}`, 'network-segment', 'network segment (ingress)') };
      dstGroups.set(dk, d);
    }
    const wv = workloadVertex[w.index]!;
    g.edgeUnique(wv, s.vertex, 'network-reach', 0, 'egress', NO_EVIDENCE);
    if (isTarget(w)) g.edgeUnique(d.vertex, wv, 'network-reach', 0, 'ingress', NO_EVIDENCE);
  }
  for (const d of dstGroups.values()) {
    for (const [c, sources] of srcByClass) {
      const allowedIn = d.view[c];
      if (!allowedIn || allowedIn.isEmpty()) continue;
      for (const s of sources) {
        const out = s.view[d.cls];
        if (!out || out.isEmpty()) continue;
        if (!allowedIn.isAll() && out.intersect(allowedIn).isEmpty()) continue;
        g.edgeUnique(s.vertex, d.vertex, 'network-reach', LATERAL_WEIGHT, 'network connection allowed', NO_EVIDENCE);
      }
    }
  }
}

/** The verdict for one pair of workloads, as evidence (policies that allow, or that nothing isolates). */
export function networkEvidence(engine: ReachabilityEngine, src: Workload, dst: Workload): Evidence[] {
  const peer = (w: Workload): Peer => ({ type: 'workload', workload: w, display: w.display, index: w.index });
  const r = engine.explain(peer(src), peer(dst));
  const policyIds = new Map<string, string>();
  for (const p of engine.set.policies) policyIds.set(p.label, p.item.id);
  const out: Evidence[] = [];
  const ports = r.allowed.toString();
  for (const [side, d, w] of [['egress', r.egress, src], ['ingress', r.ingress, dst]] as const) {
    if (!d) continue;
    for (const st of d.steps) {
      if (!st.action.startsWith('Allow')) continue;
      const id = policyIds.get(st.policy);
      if (id) out.push({ object: id, pointer: st.pointer ?? '', detail: `${side} allowed by ${st.policy}${st.rule ? ` ${st.rule}` : ''}`, role: 'cause' });
      else out.push({ object: `Namespace//${w.namespace}`, pointer: '', detail: `no NetworkPolicy isolates the ${side} of ${w.display} (namespace ${w.namespace})`, role: 'cause', controls: side === 'ingress' ? NETWORK_INGRESS_CONTROLS : NETWORK_EGRESS_CONTROLS });
    }
  }
  out.push({ object: dst.item.id, pointer: dst.podSpecPointer, detail: `allowed ports: ${ports}`, role: 'context' });
  return out;
}
