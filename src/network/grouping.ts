/**
 * The grouped view of `netpol reach`: pods under their controlling owner, adjacent address
 * ranges with the same connectivity merged, and a summary first.
 *
 * - A pod whose controller is in the input is already folded into it by the network model
 *   (a ReplicaSet's pods into the ReplicaSet, that into its Deployment). A pod whose controller
 *   is not in the input (a StatefulSet or a custom resource's operator-made pods read without
 *   their owner, a ReplicaSet left out of a snapshot) is grouped under the owner its
 *   `ownerReferences` name (the controller reference first), and a ReplicaSet's pods under its
 *   Deployment when that Deployment is in the input (`<deployment>-<pod-template-hash>`).
 * - A pair of groups is one line only when every pair of members has exactly the same allowed
 *   connection (members of one group reaching each other included); otherwise the member pairs
 *   are listed one by one, so that grouping never claims more or less than the pods allow.
 * - External ranges next to each other (the pieces every ipBlock boundary cuts) whose
 *   connections to and from every workload are identical are one range.
 */
import type { IpRange } from './ip.js';
import { formatRange } from './ip.js';
import type { Workload } from './model.js';
import type { PortSet } from './ports.js';
import type { Connection, Peer, ReachabilityEngine } from './reach.js';

export interface PeerGroup {
  /** `ns/name[Kind]` of the owner (or of the workload itself), or `a.b.c.d-e.f.g.h[External]`. */
  display: string;
  type: 'workload' | 'external';
  /** The per-pod peers it stands for (displays, sorted). */
  members: string[];
}

export interface GroupedConnection {
  src: string;
  dst: string;
  ports: PortSet;
}

export interface ReachSummary {
  /** Workload groups (owners, or workloads without one). */
  workloads: number;
  /** Pods and pod templates in the network model. */
  pods: number;
  /** Groups whose every member accepts every connection (no policy restricts their ingress). */
  unrestrictedIngress: number;
  /** Groups whose every member may open every connection. */
  unrestrictedEgress: number;
  /** Lines of the grouped view. */
  pairs: number;
  text: string;
}

export interface GroupedReach {
  summary: ReachSummary;
  groups: PeerGroup[];
  connections: GroupedConnection[];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The group a workload belongs to: its absent controller (or that one's present Deployment), else itself. */
function ownerDisplay(w: Workload): string {
  const refs = w.item.object.metadata.ownerReferences;
  if (w.kind !== 'Pod' || !Array.isArray(refs)) return w.display;
  const valid = refs.filter((r) => r && typeof r.kind === 'string' && typeof r.name === 'string' && r.name !== '');
  const ref = valid.find((r) => (r as { controller?: unknown }).controller === true) ?? valid[0];
  if (!ref) return w.display;
  if (ref.kind === 'ReplicaSet') {
    const hash = w.labels['pod-template-hash'];
    if (hash && ref.name.endsWith(`-${hash}`)) {
      const deployment = ref.name.slice(0, -hash.length - 1);
      return `${w.namespace}/${deployment}[Deployment]\u0000${w.namespace}/${ref.name}[ReplicaSet]`;
    }
  }
  return `${w.namespace}/${ref.name}[${ref.kind}]`;
}

function adjacent(a: IpRange, b: IpRange): boolean {
  return a.family === b.family && a.hi + 1n === b.lo;
}

export function groupReachability(engine: ReachabilityEngine, conns: readonly Connection[]): GroupedReach {
  const model = engine.model;
  const inv = model.inventory;
  const groupOf = new Map<number, string>();
  const members = new Map<string, { type: 'workload' | 'external'; members: string[] }>();
  const join = (peer: Peer, group: string, type: 'workload' | 'external'): void => {
    groupOf.set(peer.index, group);
    let m = members.get(group);
    if (!m) members.set(group, (m = { type, members: [] }));
    m.members.push(peer.display);
  };

  // Workloads under their owner.
  for (const peer of engine.peers) {
    if (peer.type !== 'workload') continue;
    let g = ownerDisplay(peer.workload);
    const cut = g.indexOf('\u0000');
    if (cut >= 0) {
      // under the Deployment when it is in the input, else under the ReplicaSet
      const deployment = g.slice(0, cut);
      const name = deployment.slice(peer.workload.namespace.length + 1, deployment.lastIndexOf('['));
      g = inv.get('Deployment', peer.workload.namespace, name) ? deployment : g.slice(cut + 1);
    }
    join(peer, g, 'workload');
  }

  // External ranges: adjacent ones with identical connections to and from every workload merge.
  const profile = new Map<number, string[]>();
  for (const c of conns) {
    if (c.src.type === 'external') (profile.get(c.src.index) ?? profile.set(c.src.index, []).get(c.src.index)!).push(`>${c.dst.display}:${c.ports.toString()}`);
    if (c.dst.type === 'external') (profile.get(c.dst.index) ?? profile.set(c.dst.index, []).get(c.dst.index)!).push(`<${c.src.display}:${c.ports.toString()}`);
  }
  const externals = engine.peers.filter((p): p is Extract<Peer, { type: 'external' }> => p.type === 'external');
  externals.sort((a, b) => a.external.range.family - b.external.range.family || (a.external.range.lo < b.external.range.lo ? -1 : a.external.range.lo > b.external.range.lo ? 1 : 0));
  for (let i = 0; i < externals.length; ) {
    const key = (profile.get(externals[i]!.index) ?? []).sort().join('\n');
    let j = i + 1;
    while (j < externals.length && adjacent(externals[j - 1]!.external.range, externals[j]!.external.range) && (profile.get(externals[j]!.index) ?? []).sort().join('\n') === key) j++;
    const first = externals[i]!.external.range;
    const last = externals[j - 1]!.external.range;
    const display = `${formatRange({ family: first.family, lo: first.lo, hi: last.hi })}[External]`;
    for (let k = i; k < j; k++) join(externals[k]!, display, 'external');
    i = j;
  }

  // Pairs of groups: one line when every member pair allows the same, else the member pairs.
  const pairMembers = new Map<string, Connection[]>();
  for (const c of conns) {
    const key = `${groupOf.get(c.src.index)}\u0000${groupOf.get(c.dst.index)}`;
    const list = pairMembers.get(key);
    if (list) list.push(c);
    else pairMembers.set(key, [c]);
  }
  const out: GroupedConnection[] = [];
  for (const [key, list] of pairMembers) {
    const [src, dst] = key.split('\u0000') as [string, string];
    const a = members.get(src)!;
    const b = members.get(dst)!;
    let expected = a.members.length * b.members.length;
    if (src === dst) expected -= a.members.length;
    if (a.type === 'external' && b.type === 'external') expected = 0;
    const uniform = list.length === expected && list.every((c) => c.ports.equals(list[0]!.ports));
    if (uniform) out.push({ src, dst, ports: list[0]!.ports });
    else for (const c of list) out.push({ src: c.src.type === 'external' ? src : c.src.display, dst: c.dst.type === 'external' ? dst : c.dst.display, ports: c.ports });
  }
  // Merged external ranges make identical member lines (one per range piece): keep one.
  const seen = new Set<string>();
  const connections = out
    .sort((x, y) => cmp(x.src, y.src) || cmp(x.dst, y.dst))
    .filter((c) => {
      const k = `${c.src}\u0000${c.dst}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });

  // Summary.
  const workloadGroups = [...members].filter(([, m]) => m.type === 'workload');
  const byDisplay = new Map<string, Workload>(model.workloads.map((w) => [w.display, w]));
  const unrestricted = (dir: 'ingress' | 'egress'): number =>
    workloadGroups.filter(([, m]) => m.members.every((d) => engine.side(byDisplay.get(d)!, dir).every((p) => p.isAll()))).length;
  const summary: Omit<ReachSummary, 'text'> = {
    workloads: workloadGroups.length,
    pods: model.workloads.length,
    unrestrictedIngress: unrestricted('ingress'),
    unrestrictedEgress: unrestricted('egress'),
    pairs: connections.length,
  };
  const text =
    `${summary.workloads} workload${summary.workloads === 1 ? '' : 's'}` +
    (summary.pods !== summary.workloads ? ` (${summary.pods} pods and pod templates)` : '') +
    `: ${summary.unrestrictedIngress} unrestricted in ingress, ${summary.unrestrictedEgress} unrestricted in egress; ${summary.pairs} allowed pair${summary.pairs === 1 ? '' : 's'}`;
  const groups: PeerGroup[] = [...members]
    .map(([display, m]) => ({ display, type: m.type, members: [...m.members].sort(cmp) }))
    .sort((x, y) => cmp(x.display, y.display));
  return { summary: { ...summary, text }, groups, connections };
}

/** The grouped view as text: the summary, then `SRC => DST : CONN` lines. */
export function formatGroupedReach(r: GroupedReach): string {
  return [r.summary.text, ...r.connections.map((c) => `${c.src} => ${c.dst} : ${c.ports.toString()}`)].join('\n') + '\n';
}

export function groupedReachJson(r: GroupedReach): object {
  const { text: _text, ...counts } = r.summary;
  return {
    summary: { ...counts, text: r.summary.text },
    workloads: r.groups.map((g) => ({ group: g.display, type: g.type, members: g.members })),
    connections: r.connections.map((c) => ({ src: c.src, dst: c.dst, conn: c.ports.toString(), ports: c.ports.toJSON() })),
  };
}
