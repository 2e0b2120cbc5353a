/**
 * NetworkPolicies from observed flows, and their proof with kordon's reachability engine.
 *
 * One NetworkPolicy (and one CiliumNetworkPolicy) per workload that has observed flows:
 * - it selects the workload's pods by stable labels: the workload's selector (matchLabels),
 *   else its pod template labels, without the labels controllers add per revision or pod;
 * - ingress: one rule per observed peer with the ports observed on the workload;
 * - egress: one rule per observed peer with its ports, and DNS (kube-system k8s-app=kube-dns,
 *   UDP and TCP 53) always;
 * - peers: a workload of the same namespace by its stable labels; of another namespace also by
 *   `kubernetes.io/metadata.name`; an address outside the cluster by an ipBlock /32 (/128);
 *   a pod that could not be attributed to a workload by its labels, else its whole namespace
 *   (never tighter than observed; said in the notes).
 */
import type { Inventory } from '../inventory/inventory.js';
import type { K8sObject, Origin } from '../inventory/types.js';
import { NAMESPACE_NAME_LABEL, type Workload } from '../network/model.js';
import { PortSet } from '../network/ports.js';
import { ReachabilityEngine, type Peer } from '../network/reach.js';
import { selectorOf } from './attribute.js';

/** Labels that change per pod or per revision: never used to select. */
const UNSTABLE_LABELS = new Set(['pod-template-hash', 'controller-revision-hash', 'pod-template-generation', 'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index', 'controller-uid', 'batch.kubernetes.io/controller-uid', 'batch.kubernetes.io/job-completion-index', 'job-name', 'batch.kubernetes.io/job-name']);

export function stableLabels(w: Workload): Record<string, string> {
  const base = selectorOf(w) ?? w.labels;
  const out: Record<string, string> = {};
  for (const k of Object.keys(base).sort()) if (!UNSTABLE_LABELS.has(k)) out[k] = base[k]!;
  return out;
}

export function stableOf(labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels).sort()) if (!UNSTABLE_LABELS.has(k)) out[k] = labels[k]!;
  return out;
}

export type FlowPeer =
  | { type: 'workload'; workload: Workload }
  | { type: 'pods'; namespace: string; labels: Record<string, string>; display: string }
  | { type: 'ip'; ip: string; names: string[]; apiServer: boolean; /** Allow this range rather than the address alone (clients of a LoadBalancer or NodePort Service). */ cidr?: string };

export interface ObservedFlow {
  src: FlowPeer;
  dst: FlowPeer;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  port: number;
  count: number;
}

export const DNS_PEER = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };

function peerKey(p: FlowPeer): string {
  if (p.type === 'workload') return `w:${p.workload.display}`;
  if (p.type === 'pods') return `p:${p.namespace}:${JSON.stringify(p.labels)}`;
  return `ip:${p.cidr ?? p.ip}`;
}

export function peerDisplay(p: FlowPeer): string {
  if (p.type === 'workload') return p.workload.display;
  if (p.type === 'pods') return p.display;
  return `${p.ip}${p.names.length ? ` (${p.names.join(', ')})` : ''}${p.apiServer ? ' (API server)' : ''}`;
}

function cidrOf(ip: string): string {
  return ip.includes(':') ? `${ip}/128` : `${ip}/32`;
}

interface PeerPorts {
  peer: FlowPeer;
  ports: Map<string, { protocol: string; port: number }>;
}

function group(flows: readonly ObservedFlow[], side: 'src' | 'dst'): PeerPorts[] {
  const m = new Map<string, PeerPorts>();
  for (const f of flows) {
    const p = f[side];
    const k = peerKey(p);
    let e = m.get(k);
    if (!e) m.set(k, (e = { peer: p, ports: new Map() }));
    e.ports.set(`${f.protocol}/${f.port}`, { protocol: f.protocol, port: f.port });
  }
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

function portList(pp: PeerPorts): Array<{ protocol: string; port: number }> {
  return [...pp.ports.values()].sort((a, b) => (a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : a.port - b.port));
}

export function isDnsFlow(f: ObservedFlow): boolean {
  return f.port === 53 && f.dst.type === 'workload' && f.dst.workload.namespace === DNS_PEER.namespace && f.dst.workload.labels['k8s-app'] === 'kube-dns';
}

export interface GeneratedPolicies {
  networkPolicy: K8sObject;
  ciliumNetworkPolicy: K8sObject;
  notes: string[];
}

/** The NetworkPolicy and CiliumNetworkPolicy of one workload from its flows (ingress: flows to it; egress: flows from it). */
export function policiesFor(w: Workload, ingress: readonly ObservedFlow[], egress: readonly ObservedFlow[], name: string): GeneratedPolicies {
  const notes: string[] = [];
  const sel = stableLabels(w);
  if (Object.keys(sel).length === 0) notes.push('the pods have no stable labels: the policy selects every pod of the namespace');
  const k8sPeer = (p: FlowPeer): Record<string, unknown> => {
    if (p.type === 'ip') return { ipBlock: { cidr: p.cidr ?? cidrOf(p.ip) } };
    const ns = p.type === 'workload' ? p.workload.namespace : p.namespace;
    const labels = p.type === 'workload' ? stableLabels(p.workload) : p.labels;
    const out: Record<string, unknown> = {};
    if (ns !== w.namespace) out.namespaceSelector = { matchLabels: { [NAMESPACE_NAME_LABEL]: ns } };
    out.podSelector = Object.keys(labels).length ? { matchLabels: labels } : {};
    if (ns === w.namespace && Object.keys(labels).length === 0) out.podSelector = {};
    return out;
  };
  const ciliumPeer = (p: FlowPeer): Record<string, unknown> => {
    if (p.type === 'ip') {
      if (p.apiServer) return { toEntities: ['kube-apiserver'] };
      if (p.cidr === '0.0.0.0/0' || p.cidr === '::/0') return { toEntities: ['world'] };
      return p.names.length ? { toFQDNs: p.names.map((n) => ({ matchName: n })), toCIDR: [cidrOf(p.ip)] } : { toCIDR: [cidrOf(p.ip)] };
    }
    const ns = p.type === 'workload' ? p.workload.namespace : p.namespace;
    const labels = p.type === 'workload' ? stableLabels(p.workload) : p.labels;
    const ml: Record<string, string> = { 'k8s:io.kubernetes.pod.namespace': ns };
    for (const [k, v] of Object.entries(labels)) ml[`k8s:${k}`] = v;
    return { toEndpoints: [{ matchLabels: ml }] };
  };
  const fromCilium = (p: FlowPeer): Record<string, unknown> => {
    const to = ciliumPeer(p);
    const out: Record<string, unknown> = {};
    if (to.toEndpoints) out.fromEndpoints = to.toEndpoints;
    if (to.toCIDR) out.fromCIDR = to.toCIDR;
    if (to.toEntities) out.fromEntities = to.toEntities;
    return out;
  };
  for (const f of [...ingress, ...egress]) {
    const other = ingress.includes(f) ? f.src : f.dst;
    if (other.type === 'pods' && Object.keys(other.labels).length === 0) notes.push(`${other.display} could not be attributed and has no labels: its whole namespace is allowed`);
  }
  const ingressRules = group(ingress, 'src').map((pp) => ({ from: [k8sPeer(pp.peer)], ports: portList(pp).map((p) => ({ protocol: p.protocol, port: p.port })) }));
  const egressGroups = group(
    egress.filter((f) => !isDnsFlow(f)),
    'dst',
  );
  const egressRules: Array<Record<string, unknown>> = egressGroups.map((pp) => ({ to: [k8sPeer(pp.peer)], ports: portList(pp).map((p) => ({ protocol: p.protocol, port: p.port })) }));
  egressRules.push({
    to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: DNS_PEER.namespace } }, podSelector: { matchLabels: DNS_PEER.labels } }],
    ports: [
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
    ],
  });
  if (egressGroups.some((g) => g.peer.type === 'ip' && g.peer.apiServer) || egress.some((f) => f.dst.type === 'ip' && [443, 6443].includes(f.port) && f.dst.apiServer))
    notes.push('egress to the API server is allowed by its address: most network plugins evaluate it after the Service is translated, so the address must be the API server endpoint (kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes)');
  const labels = { 'app.kubernetes.io/managed-by': 'kordon-harden' };
  const networkPolicy: K8sObject = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: w.namespace, labels },
    spec: { podSelector: Object.keys(sel).length ? { matchLabels: sel } : {}, policyTypes: ['Ingress', 'Egress'], ingress: ingressRules, egress: egressRules },
  };
  const cport = (pp: PeerPorts): Array<Record<string, unknown>> => [{ ports: portList(pp).map((p) => ({ port: String(p.port), protocol: p.protocol })) }];
  const ciliumSel: Record<string, string> = {};
  for (const [k, v] of Object.entries(sel)) ciliumSel[k] = v;
  const ciliumNetworkPolicy: K8sObject = {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name, namespace: w.namespace, labels },
    spec: {
      endpointSelector: { matchLabels: ciliumSel },
      ingress: group(ingress, 'src').map((pp) => ({ ...fromCilium(pp.peer), toPorts: cport(pp) })),
      egress: [
        ...egressGroups.map((pp) => ({ ...ciliumPeer(pp.peer), toPorts: cport(pp) })),
        {
          toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': DNS_PEER.namespace, 'k8s:k8s-app': 'kube-dns' } }],
          toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } }],
        },
      ],
    },
  };
  return { networkPolicy, ciliumNetworkPolicy, notes: [...new Set(notes)] };
}

export interface DeniedGroup {
  /** ingress: connections to the workload; egress: from it. */
  direction: 'ingress' | 'egress';
  /** The ports denied now that were allowed before. */
  ports: string;
  /** The other ends (workloads, and external ranges merged where adjacent). */
  peers: string[];
}

export interface ProofResult {
  /** Observed flows checked (both ends known to the engine). */
  checked: number;
  /** Observed flows the new policies deny: must be empty. */
  denied: Array<{ src: string; dst: string; port: string }>;
  /** Flows not checked (an end the engine does not model: an unattributed pod). */
  unchecked: number;
  /** Per hardened workload (display): what it may no longer do or receive, grouped by ports; and how many connections that is. */
  newlyDenied: Map<string, { connections: number; groups: DeniedGroup[] }>;
}

const GENERATED_ORIGIN: Origin = { source: '<kordon harden>', documentIndex: 0, itemPointer: '', line: 0, column: 0 };

/**
 * Checks with the reachability engine that every observed flow stays allowed once the
 * generated policies are added, and lists what they deny that was allowed before.
 */
export function prove(inv: Inventory, generated: readonly K8sObject[], flows: readonly ObservedFlow[], hardened: ReadonlySet<string>, newInventory: (objects: Array<{ object: K8sObject; origin: Origin }>) => Inventory): ProofResult {
  // the before view holds the same policies selecting no pod: they isolate nothing, but cut the
  // external ranges at the same addresses, so both views have the same peers in the same order
  const neutered = generated.map((o) => ({ object: { ...o, metadata: { ...o.metadata, name: `${o.metadata.name}-inert` }, spec: { ...(o.spec as object), podSelector: { matchLabels: { 'kordon.dev/selects-nothing': 'true' } } } } as K8sObject, origin: GENERATED_ORIGIN }));
  const base = inv.objects.map((o) => ({ object: o.object, origin: o.origin }));
  const before = new ReachabilityEngine(newInventory([...base, ...neutered]));
  const after = new ReachabilityEngine(newInventory([...base, ...generated.map((object) => ({ object, origin: GENERATED_ORIGIN }))]));
  const byDisplay = new Map<string, Peer>();
  for (const p of after.peers) if (p.type === 'workload') byDisplay.set(p.display, p);
  const byIp = new Map<string, Peer | undefined>();
  const peerIn = (p: FlowPeer): Peer | undefined => {
    if (p.type === 'workload') return byDisplay.get(p.workload.display);
    if (p.type === 'ip') {
      if (!byIp.has(p.ip)) byIp.set(p.ip, after.findPeer(p.ip)[0]);
      return byIp.get(p.ip);
    }
    return undefined;
  };
  let checked = 0;
  let unchecked = 0;
  const denied: ProofResult['denied'] = [];
  for (const f of flows) {
    const s = peerIn(f.src);
    const d = peerIn(f.dst);
    if (!s || !d || (s.type === 'external' && d.type === 'external')) {
      unchecked++;
      continue;
    }
    checked++;
    const { allowed } = after.explain(s, d);
    if (!allowed.contains(f.protocol, f.port)) denied.push({ src: peerDisplay(f.src), dst: peerDisplay(f.dst), port: `${f.protocol}/${f.port}` });
  }
  return { checked, denied, unchecked, newlyDenied: lostConnections(before, after, hardened) };
}

/**
 * For each hardened workload, the connections to and from it that `before` allows and `after`
 * does not, from the engines' side views (one verdict per peer class; both engines have the
 * same peers in the same order).
 */
function lostConnections(before: ReachabilityEngine, after: ReachabilityEngine, hardened: ReadonlySet<string>): ProofResult['newlyDenied'] {
  const out: ProofResult['newlyDenied'] = new Map();
  const nW = before.model.workloads.length;
  const peers = before.peers;
  const cb = before.classes().classOf;
  const ca = after.classes().classOf;
  const sides = (e: ReachabilityEngine): { eg: PortSet[][]; ing: PortSet[][] } => ({ eg: e.model.workloads.map((w) => e.side(w, 'egress')), ing: e.model.workloads.map((w) => e.side(w, 'ingress')) });
  const B = sides(before);
  const A = sides(after);
  const allowed = (S: { eg: PortSet[][]; ing: PortSet[][] }, cls: Int32Array, src: number, dst: number): PortSet => {
    let p = src < nW ? S.eg[src]![cls[dst]!]! : PortSet.all;
    if (dst < nW && !p.isEmpty()) p = p.intersect(S.ing[dst]![cls[src]!]!);
    return p;
  };
  for (let i = 0; i < nW; i++) {
    const w = before.model.workloads[i]!;
    if (!hardened.has(w.display)) continue;
    const groups = new Map<string, { direction: 'ingress' | 'egress'; ports: string; members: number[] }>();
    let connections = 0;
    for (let j = 0; j < peers.length; j++) {
      if (j === i) continue;
      for (const direction of ['egress', 'ingress'] as const) {
        const [src, dst] = direction === 'egress' ? [i, j] : [j, i];
        const b = allowed(B, cb, src, dst);
        if (b.isEmpty()) continue;
        const lost = b.subtract(allowed(A, ca, src, dst));
        if (lost.isEmpty()) continue;
        connections++;
        const ports = lost.toString();
        const key = `${direction}\u0000${ports}`;
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { direction, ports, members: [] }));
        g.members.push(j);
      }
    }
    if (connections === 0) continue;
    const list: DeniedGroup[] = [...groups.values()]
      .map((g) => ({ direction: g.direction, ports: g.ports, peers: mergedPeerNames(g.members, peers, nW) }))
      .sort((a, b) => (a.direction !== b.direction ? (a.direction < b.direction ? 1 : -1) : b.peers.length - a.peers.length || (a.ports < b.ports ? -1 : a.ports > b.ports ? 1 : 0)));
    out.set(w.display, { connections, groups: list });
  }
  return out;
}

/** Peer names, workloads sorted, adjacent external ranges (consecutive in the engine's order) merged into one. */
function mergedPeerNames(members: number[], peers: readonly Peer[], nW: number): string[] {
  const names: string[] = [];
  const ext: number[] = [];
  for (const m of members) {
    if (m < nW) names.push(peers[m]!.display);
    else ext.push(m);
  }
  names.sort();
  ext.sort((a, b) => a - b);
  for (let k = 0; k < ext.length; ) {
    let e = k;
    while (e + 1 < ext.length && ext[e + 1] === ext[e]! + 1 && sameFamily(peers[ext[e]!]!, peers[ext[e + 1]!]!)) e++;
    const first = peers[ext[k]!]!.display;
    const last = peers[ext[e]!]!.display;
    names.push(k === e ? first : `${first.slice(0, first.indexOf('-'))}-${last.slice(last.indexOf('-') + 1)}`);
    k = e + 1;
  }
  return names;
}

function sameFamily(a: Peer, b: Peer): boolean {
  return a.type === 'external' && b.type === 'external' && a.external.range.family === b.external.range.family;
}
