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

export interface ProofResult {
  /** Observed flows checked (both ends known to the engine). */
  checked: number;
  /** Observed flows the new policies deny: must be empty. */
  denied: Array<{ src: string; dst: string; port: string }>;
  /** Flows not checked (an end the engine does not model: an unattributed pod). */
  unchecked: number;
  /** Per hardened workload: connections allowed before and denied after. */
  newlyDenied: Map<string, Array<{ src: string; dst: string; ports: string }>>;
}

const GENERATED_ORIGIN: Origin = { source: '<kordon harden>', documentIndex: 0, itemPointer: '', line: 0, column: 0 };

/**
 * Checks with the reachability engine that every observed flow stays allowed once the
 * generated policies are added, and lists what they deny that was allowed before.
 */
export function prove(inv: Inventory, generated: readonly K8sObject[], flows: readonly ObservedFlow[], hardened: ReadonlySet<string>, newInventory: (objects: Array<{ object: K8sObject; origin: Origin }>) => Inventory): ProofResult {
  // the before view holds the same policies selecting no pod: they isolate nothing, but cut the
  // external ranges at the same addresses, so both views name the same external peers
  const neutered = generated.map((o) => ({ object: { ...o, metadata: { ...o.metadata, name: `${o.metadata.name}-inert` }, spec: { ...(o.spec as object), podSelector: { matchLabels: { 'kordon.dev/selects-nothing': 'true' } } } } as K8sObject, origin: GENERATED_ORIGIN }));
  const before = new ReachabilityEngine(newInventory([...inv.objects.map((o) => ({ object: o.object, origin: o.origin })), ...neutered]));
  const after = new ReachabilityEngine(newInventory([...inv.objects.map((o) => ({ object: o.object, origin: o.origin })), ...generated.map((object) => ({ object, origin: GENERATED_ORIGIN }))]));
  const peerIn = (engine: ReachabilityEngine, p: FlowPeer): Peer | undefined => {
    if (p.type === 'workload') return engine.peers.find((x) => x.type === 'workload' && x.display === p.workload.display);
    if (p.type === 'ip') return engine.findPeer(p.ip)[0];
    return undefined;
  };
  let checked = 0;
  let unchecked = 0;
  const denied: ProofResult['denied'] = [];
  for (const f of flows) {
    const s = peerIn(after, f.src);
    const d = peerIn(after, f.dst);
    if (!s || !d || (s.type === 'external' && d.type === 'external')) {
      unchecked++;
      continue;
    }
    checked++;
    const { allowed } = after.explain(s, d);
    if (!allowed.contains(f.protocol, f.port)) denied.push({ src: peerDisplay(f.src), dst: peerDisplay(f.dst), port: `${f.protocol}/${f.port}` });
  }
  // what the policies take away: pairs touching a hardened workload
  const newlyDenied = new Map<string, Array<{ src: string; dst: string; ports: string }>>();
  const afterByPair = new Map<string, PortSet>();
  for (const c of after.connections()) if (hardened.has(c.src.display) || hardened.has(c.dst.display)) afterByPair.set(`${c.src.display}\u0000${c.dst.display}`, c.ports);
  for (const c of before.connections()) {
    const touched = hardened.has(c.src.display) ? c.src.display : hardened.has(c.dst.display) ? c.dst.display : undefined;
    if (!touched) continue;
    const now = afterByPair.get(`${c.src.display}\u0000${c.dst.display}`) ?? PortSet.none;
    const lost = c.ports.subtract(now);
    if (lost.isEmpty()) continue;
    for (const w of [c.src.display, c.dst.display]) {
      if (!hardened.has(w)) continue;
      let list = newlyDenied.get(w);
      if (!list) newlyDenied.set(w, (list = []));
      list.push({ src: c.src.display, dst: c.dst.display, ports: lost.toString() });
    }
  }
  return { checked, denied, unchecked, newlyDenied };
}
