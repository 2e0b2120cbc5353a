/**
 * Builds the security graph of an inventory: exposure, network reachability, workloads and
 * their containers, volumes, secrets and tokens, service accounts, RBAC abilities, node
 * placement and cloud identities. See docs/attack-paths.md for every vertex and edge kind.
 *
 * Node placement: a pod with `spec.nodeName` runs on that node. Otherwise it can land on any
 * node of its pool: one abstract `node-pool` vertex per distinct placement (nodeSelector,
 * required node affinity, tolerations: placement.ts; `*` when none). A Node object belongs to
 * every pool whose pods the scheduler may place on it (labels, name and taints). Without Node
 * objects the nodes are unknown, and any pool may share a node with the `*` pool.
 */
import { addExploitEdges } from './exploit-edges.js';
import type { Inventory } from '../inventory/inventory.js';
import { containersOf, podSpecOf, type PodSpec } from '../inventory/podspec.js';
import { joinPointer } from '../inventory/pointer.js';
import type { InventoryObject } from '../inventory/types.js';
import { computeExposure, type ExposurePath } from '../network/exposure.js';
import { PortSet } from '../network/ports.js';
import { ReachabilityEngine } from '../network/reach.js';
import type { Workload } from '../network/model.js';
import { addNodeEntries } from './node-entries.js';
import { rbacIndexOf, type BindingEntry, type RbacIndex } from '../rbac/model.js';
import { CLOUD_IDENTITY_ANNOTATIONS } from '../rbac/escalation.js';
import type { Subject } from '../rbac/types.js';
import { NO_EVIDENCE, SecurityGraph, cmp, type EdgeKind, type Evidence, type VertexKind } from './graph.js';
import { containerEscapes, hostPathEscape } from './escape.js';
import { addSubjectAbilities, canReadPodLogs, grantEvidence } from './rbac-edges.js';
import { addNetworkEdges, networkEvidence, NETWORK_EGRESS_CONTROLS } from './network-edges.js';
import { admits, nodeFactsOf, placementKey, placementOf, type NodeFacts, type Placement } from './placement.js';

export const CROWN_JEWEL_ANNOTATION = 'kordon.dev/crown-jewel';
export const SYSTEM_NAMESPACES: readonly string[] = ['kube-system', 'kube-public', 'kube-node-lease'];
const CONTROL_PLANE_LABELS = ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'];
const PSA_ENFORCE = 'pod-security.kubernetes.io/enforce';

export type CloudProvider = 'aws' | 'gcp' | 'azure';

export interface GraphOptions {
  /** Extra crown jewels: `Kind/namespace/name` (inventory ids; `Node//name` for cluster-scoped). */
  crownJewels?: readonly string[];
  /** Cloud the cluster runs in; `auto` (default) looks at Node providerIDs and workload-identity annotations. */
  cloud?: CloudProvider | 'none' | 'auto';
  /** Namespaces whose secrets are crown jewels (default kube-system, kube-public, kube-node-lease). */
  systemNamespaces?: readonly string[];
  /** Identities to add even when no binding names them (e.g. `--from user:alice`). */
  extraSubjects?: readonly Subject[];
}

export type HubKind = 'pods' | 'secrets' | 'serviceaccounts';
const HUB_LABEL: Record<HubKind, string> = { pods: 'pods', secrets: 'secrets', serviceaccounts: 'service accounts' };

export interface BuiltGraph {
  graph: SecurityGraph;
  inventory: Inventory;
  engine: ReachabilityEngine;
  /** Evidence of a collapsed network step (source and destination workload vertices). */
  networkEvidence(src: number, dst: number): Evidence[];
  cloud: CloudProvider | undefined;
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export class GraphBuilder {
  readonly g = new SecurityGraph();
  readonly internet: number;
  readonly nodeNetwork: number;
  readonly clusterAdmin: number;
  readonly controlPlane: number;
  readonly workloadsByNs = new Map<string, number[]>();
  readonly sasByNs = new Map<string, Set<number>>();
  readonly secretsByNs = new Map<string, Set<number>>();
  readonly usedHubs = new Set<string>();
  readonly pools = new Map<string, { vertex: number; placement: Placement; members: number[] }>();
  readonly nodes = new Map<string, { vertex: number; facts: NodeFacts; members: number[] }>();
  nodeInstanceIdentity: number | undefined;

  constructor(readonly inv: Inventory, readonly opts: GraphOptions) {
    this.internet = this.g.vertex('internet', 'internet', 'the internet');
    this.nodeNetwork = this.g.vertex('external:node-network', 'external-network', 'node network (VPC / LAN)');
    this.clusterAdmin = this.g.vertex('cluster-admin', 'cluster-admin', 'cluster-admin (full control of the cluster)');
    this.controlPlane = this.g.vertex('control-plane', 'control-plane', 'the control plane (API server, etcd, controller keys)');
    this.g.markJewel(this.clusterAdmin, 'cluster-admin');
    this.g.markJewel(this.controlPlane, 'control-plane');
    // "read every Secret" is a capability, whether or not any Secret object is in the input
    // (manifest repositories rarely hold Secrets): whoever reaches the hub of all secrets has it.
    this.g.markJewel(this.g.vertex('scope:secrets/*', 'namespace-scope', `all ${HUB_LABEL.secrets} in every namespace`), 'all-secrets');
  }

  objectVertex(item: InventoryObject | undefined, key: string, kind: VertexKind, label: string): number {
    return this.g.vertex(item?.id ?? key, kind, label, item?.id ?? key);
  }

  serviceAccount(ns: string, name: string): number {
    const item = this.inv.get('ServiceAccount', ns, name);
    const v = this.objectVertex(item, `ServiceAccount/${ns}/${name}`, 'service-account', `ServiceAccount ${ns}/${name}`);
    let set = this.sasByNs.get(ns);
    if (!set) this.sasByNs.set(ns, (set = new Set()));
    set.add(v);
    return v;
  }

  secret(ns: string, name: string): number {
    const item = this.inv.get('Secret', ns, name);
    const v = this.objectVertex(item, `Secret/${ns}/${name}`, 'secret', `Secret ${ns}/${name}`);
    let set = this.secretsByNs.get(ns);
    if (!set) this.secretsByNs.set(ns, (set = new Set()));
    set.add(v);
    if ((this.opts.systemNamespaces ?? SYSTEM_NAMESPACES).includes(ns)) this.g.markJewel(v, 'system-secret');
    return v;
  }

  hub(kind: HubKind, ns: string): number {
    this.usedHubs.add(`${kind}|${ns}`);
    return this.g.vertex(`scope:${kind}/${ns}`, 'namespace-scope', ns === '*' ? `all ${HUB_LABEL[kind]} in every namespace` : `${HUB_LABEL[kind]} in namespace ${ns}`);
  }

  /** The pool of a placement (created on first use): its vertex and the pods placed in it. */
  pool(placement: Placement): { vertex: number; placement: Placement; members: number[] } {
    const key = placementKey(placement);
    let p = this.pools.get(key);
    if (!p) {
      const vertex = this.g.vertex(`node-pool:${key}`, 'node-pool', key === '*' ? 'any node (pods without placement constraints)' : `nodes admitting ${key}`);
      this.g.markJewel(vertex, 'node');
      p = { vertex, placement, members: [] };
      this.pools.set(key, p);
    }
    return p;
  }

  /** Every node (what creating a pod can reach: its author picks nodeName and tolerations). */
  allNodes(): number {
    return this.g.vertex('scope:nodes/*', 'namespace-scope', 'every node (kubelet API)');
  }

  node(name: string): number {
    let n = this.nodes.get(name);
    if (!n) {
      const item = this.inv.get('Node', undefined, name);
      const vertex = this.objectVertex(item, `Node//${name}`, 'node', `Node ${name}`);
      this.g.markJewel(vertex, 'node');
      n = { vertex, facts: nodeFactsOf(name, item?.object as Parameters<typeof nodeFactsOf>[1]), members: [] };
      this.nodes.set(name, n);
    }
    return n.vertex;
  }

  /** An RBAC ability edge to its target (hub per namespace, or `*` for every namespace). */
  abilityEdge(from: number, target: { hub: HubKind } | { vertex: 'cluster-admin' | 'control-plane' | 'all-nodes' | 'privileged-pod' }, ns: string, kind: EdgeKind, weight: number, detail: string, ev: Evidence[]): void {
    if ('hub' in target) {
      this.g.edge(from, this.hub(target.hub, ns), kind, weight, detail, ev);
      return;
    }
    switch (target.vertex) {
      case 'cluster-admin':
        this.g.edge(from, this.clusterAdmin, kind, weight, detail, ev);
        return;
      case 'control-plane':
        this.g.edge(from, this.controlPlane, kind, weight, detail, ev);
        return;
      case 'all-nodes':
        this.g.edge(from, this.allNodes(), kind, weight, detail, ev);
        return;
      case 'privileged-pod': {
        // A pod that mounts the host or runs privileged: only where Pod Security admission lets it in.
        const namespaces = ns === '*' ? this.inv.namespaces() : [ns];
        const open = namespaces.find((n) => !this.psaBlocksPrivileged(n));
        if (open === undefined) return;
        const nsItem = this.inv.get('Namespace', undefined, open);
        const psa: Evidence = { object: nsItem?.id ?? `Namespace//${open}`, pointer: nsItem ? '/metadata/labels' : '', detail: `namespace ${open} does not enforce Pod Security baseline or restricted`, role: 'cause', controls: ['namespace-pod-security-not-enforced'] };
        // the pod's author chooses its node (nodeName, tolerations): any node, tainted ones too
        this.g.edge(from, this.allNodes(), 'create-privileged-pod', weight, `can create a privileged pod with a host mount${ns === '*' ? '' : ` in namespace ${ns}`}`, [...ev, psa]);
        return;
      }
    }
  }

  psaBlocksPrivileged(ns: string): boolean {
    const level = this.inv.get('Namespace', undefined, ns)?.object.metadata.labels?.[PSA_ENFORCE];
    return level === 'baseline' || level === 'restricted';
  }

  /** Hub → members, pools and nodes → their pods, once every vertex exists. */
  finish(): void {
    const g = this.g;
    const namespaces = new Set<string>([...this.workloadsByNs.keys(), ...this.sasByNs.keys(), ...this.secretsByNs.keys(), ...this.inv.namespaces()]);
    for (const entry of [...this.usedHubs].sort()) {
      const [kind, ns] = entry.split('|') as [HubKind, string];
      const hub = this.hub(kind, ns);
      if (ns === '*') {
        for (const n of [...namespaces].sort()) g.edge(hub, this.hub(kind, n), 'contains', 0, `namespace ${n}`, []);
      }
    }
    for (const entry of [...this.usedHubs].sort()) {
      const [kind, ns] = entry.split('|') as [HubKind, string];
      if (ns === '*') continue;
      const hub = this.hub(kind, ns);
      const members = kind === 'pods' ? this.workloadsByNs.get(ns) ?? [] : [...((kind === 'secrets' ? this.secretsByNs : this.sasByNs).get(ns) ?? [])];
      if (kind === 'serviceaccounts' && members.length === 0) members.push(this.serviceAccount(ns, 'default'));
      for (const m of new Set(members)) g.edgeUnique(hub, m, 'contains', 0, 'member', NO_EVIDENCE);
    }
    const allNodes = g.find('scope:nodes/*');
    if (allNodes !== undefined) {
      for (const [, p] of [...this.pools].sort((a, b) => cmp(a[0], b[0]))) g.edge(allNodes, p.vertex, 'contains', 0, 'node pool', []);
      for (const [, n] of [...this.nodes].sort((a, b) => cmp(a[0], b[0]))) g.edge(allNodes, n.vertex, 'contains', 0, 'node', []);
    }
    // A pool is where an escape lands ("some node such pods may run on"); the pods that may run
    // on a node are reached through a second vertex per pool, so that a node leads to the pods it
    // may run and never on to the other nodes of their pools.
    const podsOf = new Map<string, number>();
    for (const [key, p] of [...this.pools].sort((a, b) => cmp(a[0], b[0]))) {
      const v = g.vertex(`node-pool-pods:${key}`, 'node-pool', key === '*' ? 'pods that may run on any node' : `pods that may run on nodes admitting ${key}`);
      podsOf.set(key, v);
      g.edge(p.vertex, v, 'node-in-pool', 0, 'pods of this pool may run on the node', []);
      for (const w of p.members) g.edgeUnique(v, w, 'node-runs-pod', 1, 'the pod may run on a node of this pool', NO_EVIDENCE);
    }
    // With Node objects in the inventory (a cluster read), a pool is exactly the nodes that admit
    // its pods; without them the nodes are unknown, and any pool may share a node with the pods
    // that have no placement.
    const nodesKnown = this.inv.byKind('Node').length > 0;
    const any = this.pools.get('*');
    if (any && !nodesKnown) {
      for (const [key, p] of this.pools) {
        if (key === '*') continue;
        g.edge(p.vertex, podsOf.get('*')!, 'node-in-pool', 1, 'pods without placement may share this node', []);
        g.edge(any.vertex, podsOf.get(key)!, 'node-in-pool', 1, 'pods of this pool may share the node', []);
      }
    }
    for (const [, n] of this.nodes) {
      for (const w of n.members) g.edgeUnique(n.vertex, w, 'node-runs-pod', 1, 'the pod runs on this node (nodeName)', NO_EVIDENCE);
      for (const [key, p] of this.pools) {
        if (!admits(p.placement, n.facts)) continue;
        g.edge(n.vertex, podsOf.get(key)!, 'node-in-pool', 0, 'pods of this pool may run on the node', []);
        g.edge(p.vertex, n.vertex, 'node-in-pool', 1, 'the pool may be this node', []);
      }
      if (CONTROL_PLANE_LABELS.some((l) => l in n.facts.labels)) {
        const item = this.inv.get('Node', undefined, g.keys[n.vertex]!.slice('Node//'.length));
        g.edge(n.vertex, this.controlPlane, 'control-plane-node', 0, 'control-plane node: API server and etcd keys on disk', [{ object: item?.id ?? g.keys[n.vertex]!, pointer: '/metadata/labels', detail: 'labelled as a control-plane node', role: 'context' }]);
      }
    }
    if (this.nodeInstanceIdentity !== undefined) {
      for (const [, p] of this.pools) g.edge(p.vertex, this.nodeInstanceIdentity, 'instance-metadata', 1, 'node instance metadata (169.254.169.254) gives the node cloud role', []);
      for (const [, n] of this.nodes) g.edge(n.vertex, this.nodeInstanceIdentity, 'instance-metadata', 1, 'node instance metadata (169.254.169.254) gives the node cloud role', []);
    }
  }
}

function detectCloud(inv: Inventory): CloudProvider | undefined {
  for (const n of inv.byKind('Node')) {
    const id = String(obj(n.object['spec'])?.['providerID'] ?? '');
    if (id.startsWith('aws://')) return 'aws';
    if (id.startsWith('gce://')) return 'gcp';
    if (id.startsWith('azure://')) return 'azure';
  }
  for (const sa of inv.byKind('ServiceAccount')) {
    const ann = sa.object.metadata.annotations ?? {};
    if (ann['eks.amazonaws.com/role-arn']) return 'aws';
    if (ann['iam.gke.io/gcp-service-account']) return 'gcp';
    if (ann['azure.workload.identity/client-id']) return 'azure';
  }
  return undefined;
}

const CLOUD_LABEL: Record<string, string> = {
  'eks.amazonaws.com/role-arn': 'AWS IAM role',
  'iam.gke.io/gcp-service-account': 'GCP service account',
  'azure.workload.identity/client-id': 'Azure managed identity',
};

export function buildSecurityGraph(inv: Inventory, opts: GraphOptions = {}): BuiltGraph {
  const b = new GraphBuilder(inv, opts);
  const g = b.g;
  const engine = new ReachabilityEngine(inv);
  const model = engine.model;
  const index = rbacIndexOf(inv); // the input's RBAC plus the bootstrap roles it lacks (src/rbac/builtins.ts)
  const bindingsByKey = new Map<string, BindingEntry>(index.bindings.map((x) => [x.key, x]));
  const cloud = opts.cloud === 'none' ? undefined : opts.cloud && opts.cloud !== 'auto' ? opts.cloud : detectCloud(inv);
  if (cloud) {
    b.nodeInstanceIdentity = g.vertex('cloud:node-instance-identity', 'cloud-identity', `cloud identity of the nodes (${cloud} instance metadata 169.254.169.254)`);
    g.markJewel(b.nodeInstanceIdentity, 'cloud-identity');
  }

  // Nodes declared.
  for (const n of inv.byKind('Node')) if (n.object.metadata.name) b.node(n.object.metadata.name);

  // Service accounts: objects, their cloud identities.
  for (const sa of inv.byKind('ServiceAccount')) {
    const ns = inv.namespaceOf(sa.object) ?? 'default';
    const name = sa.object.metadata.name ?? '';
    const v = b.serviceAccount(ns, name);
    const ann = sa.object.metadata.annotations ?? {};
    for (const key of CLOUD_IDENTITY_ANNOTATIONS) {
      const value = ann[key];
      if (typeof value !== 'string' || value === '') continue;
      const cv = g.vertex(`cloud:${key}=${value}`, 'cloud-identity', `${CLOUD_LABEL[key]} ${value}`);
      g.markJewel(cv, 'cloud-identity');
      g.edge(v, cv, 'cloud-identity', 1, `workload identity: the token is exchanged for the ${CLOUD_LABEL[key]}`, [{ object: sa.id, pointer: joinPointer('/metadata/annotations', key), detail: `annotation ${key}`, role: 'cause' }]);
    }
  }
  for (const ns of inv.namespaces()) b.serviceAccount(ns, 'default');

  // Secrets, and token secrets → their service account.
  for (const s of inv.byKind('Secret')) {
    const ns = inv.namespaceOf(s.object) ?? 'default';
    const v = b.secret(ns, s.object.metadata.name ?? '');
    const saName = s.object.metadata.annotations?.['kubernetes.io/service-account.name'];
    if (s.object['type'] === 'kubernetes.io/service-account-token' && saName) {
      g.edge(v, b.serviceAccount(ns, saName), 'steals-token', 0, 'the secret holds a long-lived token of the service account', [
        { object: s.id, pointer: '/type', detail: 'type kubernetes.io/service-account-token', role: 'cause' },
        { object: s.id, pointer: '/metadata/annotations/kubernetes.io~1service-account.name', detail: `token of ${saName}`, role: 'context' },
      ]);
    }
  }

  // Workloads.
  const workloadVertex: number[] = [];
  const workloadOfVertex = new Map<number, Workload>();
  const metadataPeer = cloud ? metadataClass(engine) : undefined;
  for (const w of model.workloads) {
    const v = g.vertex(w.item.id, 'workload', `${w.kind} ${w.namespace}/${w.name}`, w.item.id);
    workloadVertex[w.index] = v;
    workloadOfVertex.set(v, w);
    const list = b.workloadsByNs.get(w.namespace);
    if (list) list.push(v);
    else b.workloadsByNs.set(w.namespace, [v]);
    addWorkload(b, index, w, v);
    if (b.nodeInstanceIdentity !== undefined && !w.hostNetwork && metadataPeer && metadataPeer(w)) {
      g.edge(v, b.nodeInstanceIdentity, 'instance-metadata', 3, 'egress to 169.254.169.254 allowed: the node cloud role (unless the metadata service is locked down)', [
        { object: `Namespace//${w.namespace}`, pointer: '', detail: `no egress policy of namespace ${w.namespace} blocks 169.254.169.254`, role: 'cause', controls: NETWORK_EGRESS_CONTROLS },
        { object: w.item.id, pointer: w.podSpecPointer, detail: 'the pods can open connections to the metadata address', role: 'context' },
      ]);
    }
  }

  // Exposure: internet / node network → ingress points → services → workloads.
  const exposure = computeExposure(inv, model);
  for (const e of exposure) {
    // a Service or host port in front of a run-to-completion pod: nothing long-lived to compromise
    if (e.workload.runsToCompletion) continue;
    const wv = workloadVertex[e.workload.index]!;
    for (const p of e.paths) {
      // Traffic that cannot arrive: a Service whose every target port names a container port the
      // pods do not have (no endpoints), or an Ingress / route naming a Service port that does not exist.
      if (p.ports.length > 0 ? p.ports.every((x) => x.containerPort === undefined) : p.chain.length > 1) continue;
      // NetworkPolicy on the pods: traffic from outside (a load balancer, node or host port) comes
      // from addresses outside the cluster; through an Ingress or Gateway, from its controller's pods.
      if (!admitsExposure(engine, e.workload, p)) continue;
      let prev = p.level === 'internet' ? b.internet : p.level === 'node-network' ? b.nodeNetwork : undefined;
      let prevLink: { kind: string; namespace?: string; name: string; detail: string } | undefined;
      for (const link of p.chain) {
        const isWorkload = link.kind === e.workload.kind && link.name === e.workload.name && link.namespace === e.workload.namespace;
        const item = inv.get(link.kind, link.namespace, link.name);
        const key = item?.id ?? `${link.kind}/${link.namespace ?? ''}/${link.name}`;
        if (isWorkload) {
          if (prev !== undefined) g.edge(prev, wv, 'exposes', 1, `${link.detail}: compromise the exposed application`, [{ object: key, pointer: link.detail.startsWith('hostNetwork') ? joinPointer(e.workload.podSpecPointer, 'hostNetwork') : e.workload.podSpecPointer, detail: link.detail, role: 'cause' }]);
          prev = undefined;
          break;
        }
        const kind: VertexKind = link.kind === 'Service' ? 'service' : 'ingress-point';
        const v = g.vertex(key, kind, `${link.kind} ${link.namespace ? link.namespace + '/' : ''}${link.name}`, key);
        if (prev !== undefined) {
          const first = prevLink === undefined;
          const pointer = link.kind === 'Service' ? (link.detail.startsWith('externalIPs') ? '/spec/externalIPs' : first ? '/spec/type' : '/spec/ports') : '/spec';
          g.edge(prev, v, first ? 'exposes' : 'routes-to', 0, link.detail, [{ object: key, pointer, detail: link.detail, role: first ? 'cause' : 'context' }]);
        }
        prev = v;
        prevLink = link;
      }
      if (prev !== undefined && prevLink) {
        g.edge(prev, wv, 'selects', 1, 'routes traffic to the pods: compromise the application', [{ object: g.keys[prev]!, pointer: '/spec/selector', detail: 'selects the pods', role: 'context' }]);
      }
    }
  }

  // Pod → pod, as network policies allow.
  // Lateral movement exploits a server of the target: a long-lived pod that listens (declares a
  // container port, or a Service sends it traffic). A Job's pod, or a pod that opens no port
  // (`sleep infinity` with kubectl in it), is not entered over the network.
  const served = new Set<number>();
  for (const e of exposure) served.add(e.workload.index);
  addNetworkEdges(g, engine, workloadVertex, (w) => !w.runsToCompletion && (w.ports.length > 0 || served.has(w.index)));
  // Known vulnerabilities of the images (--vulns): exploit edges beside the edges that reach a workload.
  addExploitEdges(g, inv, model.workloads, workloadVertex);

  // Identities: service accounts, and users and groups named in bindings.
  const subjects = new Map<string, Subject>();
  for (const [ns, set] of b.sasByNs) for (const v of set) subjects.set(g.keys[v]!, { kind: 'ServiceAccount', namespace: ns, name: g.labels[v]!.slice(`ServiceAccount ${ns}/`.length) });
  const addSubject = (s: Subject): void => {
    if (s.kind === 'ServiceAccount') {
      if (s.namespace) subjects.set(g.keys[b.serviceAccount(s.namespace, s.name)]!, s);
      return;
    }
    const kind: VertexKind = s.kind === 'User' ? 'user' : 'group';
    const v = g.vertex(`${s.kind}//${s.name}`, kind, `${s.kind} ${s.name}`);
    subjects.set(g.keys[v]!, s);
  };
  for (const s of index.subjects()) addSubject(s);
  for (const s of opts.extraSubjects ?? []) addSubject(s);
  for (const bind of index.bindings) {
    const bv = g.vertex(bind.item?.id ?? bind.key, 'binding', `${bind.kind} ${bind.namespace ? bind.namespace + '/' : ''}${bind.name}`, bind.item?.id);
    const role = bind.role;
    if (role) g.edge(bv, g.vertex(role.item?.id ?? role.key, 'role', `${role.kind} ${role.namespace ? role.namespace + '/' : ''}${role.name}`, role.item?.id), 'grants-role', -1, 'roleRef', []);
    for (const s of bind.subjects) {
      if (s.unmatchable) continue;
      const key = s.kind === 'ServiceAccount' ? g.keys[b.serviceAccount(s.namespace!, s.name)]! : `${s.kind}//${s.name}`;
      const sv = g.find(key);
      if (sv !== undefined) g.edge(sv, bv, 'bound-by', -1, `subject ${s.index}`, []);
    }
  }
  for (const [key, s] of [...subjects].sort((x, y) => cmp(x[0], y[0]))) addSubjectAbilities(b, index, bindingsByKey, s, g.find(key)!);

  // Crown jewels named by annotation or option.
  const custom = new Set(opts.crownJewels ?? []);
  for (const item of inv.objects) if (item.object.metadata.annotations?.[CROWN_JEWEL_ANNOTATION] === 'true') custom.add(item.id);
  for (const id of [...custom].sort()) {
    const v = g.find(id) ?? g.vertex(id, kindForObjectId(id), id.replace(/\/\//, ' ').replace('/', ' '), id);
    g.markJewel(v, 'custom');
  }

  addNodeEntries({ g, inv, internet: b.internet, nodeNetwork: b.nodeNetwork, controlPlane: b.controlPlane, nodes: b.nodes });
  b.finish();
  g.freeze();
  return {
    graph: g,
    inventory: inv,
    engine,
    cloud,
    networkEvidence(src, dst) {
      const a = workloadOfVertex.get(src);
      const z = workloadOfVertex.get(dst);
      return a && z ? networkEvidence(engine, a, z) : [];
    },
  };
}

function kindForObjectId(id: string): VertexKind {
  const kind = id.split('/')[0];
  if (kind === 'Secret') return 'secret';
  if (kind === 'ServiceAccount') return 'service-account';
  if (kind === 'Service') return 'service';
  if (kind === 'Node') return 'node';
  return 'workload';
}

/**
 * Does the pods' ingress let the exposure's traffic in on one of its ports? Direct exposure
 * (LoadBalancer, NodePort, externalIPs, hostPort) arrives from addresses outside the cluster;
 * through an Ingress or a Gateway it arrives from the controller's pods, wherever they run, so
 * any allowed peer will do. A hostNetwork pod is outside NetworkPolicy.
 */
function admitsExposure(engine: ReachabilityEngine, w: Workload, p: ExposurePath): boolean {
  if (w.hostNetwork) return true;
  const view = engine.side(w, 'ingress');
  let want = PortSet.none;
  for (const x of p.ports) if (x.containerPort !== undefined) want = want.union(PortSet.of(x.protocol, x.containerPort, x.containerPort));
  if (want.isEmpty()) want = PortSet.all;
  const viaController = p.chain[0]!.kind === 'Ingress' || p.chain[0]!.kind === 'Gateway';
  const classes = viaController ? view.map((_, c) => c) : externalClasses(engine);
  return classes.some((c) => {
    const allowed = view[c];
    return allowed !== undefined && !allowed.intersect(want).isEmpty();
  });
}

const externalClassCache = new WeakMap<ReachabilityEngine, number[]>();
/** The peer classes of the address ranges outside the cluster. */
function externalClasses(engine: ReachabilityEngine): number[] {
  let hit = externalClassCache.get(engine);
  if (!hit) {
    const classOf = engine.classes().classOf;
    const set = new Set<number>();
    for (const x of engine.set.externals) set.add(classOf[x.index]!);
    externalClassCache.set(engine, (hit = [...set]));
  }
  return hit;
}

/** Does a workload's egress allow the cloud metadata address? */
function metadataClass(engine: ReachabilityEngine): (w: Workload) => boolean {
  const peers = engine.findPeer('169.254.169.254');
  const classOf = engine.classes().classOf;
  if (peers.length === 0) return () => true;
  const c = classOf[peers[0]!.index]!;
  return (w) => {
    const view = engine.side(w, 'egress');
    return !(view[c]?.isEmpty() ?? true);
  };
}

/** Containers, volumes, tokens, secrets, placement and escapes of one workload. */
function addWorkload(b: GraphBuilder, index: RbacIndex, w: Workload, wv: number): void {
  const g = b.g;
  const inv = b.inv;
  const ref = podSpecOf(w.item.object);
  if (!ref) return;
  const spec: PodSpec = ref.spec;
  const sp = ref.pointer;
  const id = w.item.id;
  const ns = w.namespace;

  // Placement.
  let placement: number;
  let placementEv: Evidence;
  if (typeof spec.nodeName === 'string' && spec.nodeName !== '') {
    placement = b.node(spec.nodeName);
    b.nodes.get(spec.nodeName)!.members.push(wv);
    placementEv = { object: id, pointer: joinPointer(sp, 'nodeName'), detail: `runs on node ${spec.nodeName}`, role: 'context' };
  } else {
    const where = placementOf(spec);
    const pool = b.pool(where);
    pool.members.push(wv);
    placement = pool.vertex;
    const constrained = where.nodeSelector !== undefined || where.terms !== undefined || where.tolerations.length > 0;
    const field = where.nodeSelector ? 'nodeSelector' : where.terms ? 'affinity' : where.tolerations.length ? 'tolerations' : undefined;
    placementEv = { object: id, pointer: field ? joinPointer(sp, field) : sp, detail: constrained ? 'may run on any node its nodeSelector, node affinity and tolerations admit' : 'may run on any node', role: 'context' };
  }

  // Service account and its token.
  const saName = (typeof spec.serviceAccountName === 'string' && spec.serviceAccountName) || (typeof spec.serviceAccount === 'string' && spec.serviceAccount) || 'default';
  const sav = b.serviceAccount(ns, saName);
  const saItem = inv.get('ServiceAccount', ns, saName);
  const saAutomount = saItem?.object['automountServiceAccountToken'];
  const automount = spec.automountServiceAccountToken ?? (typeof saAutomount === 'boolean' ? saAutomount : true);
  let autoToken: number | undefined;
  if (automount) {
    autoToken = g.vertex(`${id}#volume:kube-api-access`, 'volume', `service account token of ${w.kind} ${ns}/${w.name} (automounted)`, id);
    const why: Evidence =
      spec.automountServiceAccountToken === true
        ? { object: id, pointer: joinPointer(sp, 'automountServiceAccountToken'), detail: 'automountServiceAccountToken: true', role: 'cause' }
        : saAutomount === true && saItem
          ? { object: saItem.id, pointer: '/automountServiceAccountToken', detail: 'the service account automounts its token', role: 'cause' }
          : { object: id, pointer: sp, detail: 'automountServiceAccountToken not set to false (token mounted by default)', role: 'cause', controls: ['service-account-token-automounted'] };
    const saDefault: Evidence[] = saItem && saAutomount === undefined ? [{ object: saItem.id, pointer: '', detail: 'the service account does not disable automounting', role: 'cause', controls: ['service-account-automount-enabled'] }] : [];
    g.edgeUnique(autoToken, sav, 'uses-token', 1, 'the mounted token authenticates as the service account', [why, ...saDefault, { object: id, pointer: joinPointer(sp, 'serviceAccountName'), detail: `serviceAccountName ${saName}`, role: 'context' }]);
  }

  // Volumes.
  const podLogs = canReadPodLogs(index, { kind: 'ServiceAccount', namespace: ns, name: saName }, ns);
  const volumes = new Map<string, number>();
  const writableHostPath = new Map<string, boolean>();
  for (const c of containersOf(ref)) for (const m of c.container.volumeMounts ?? []) if (m && !m.readOnly) writableHostPath.set(m.name, true);
  (spec.volumes ?? []).forEach((vol, i) => {
    if (!vol || typeof vol.name !== 'string') return;
    const vp = joinPointer(sp, 'volumes', i);
    const key = `${id}#volume:${vol.name}`;
    if (vol.hostPath && typeof vol.hostPath.path === 'string') {
      const vv = g.vertex(key, 'volume', `hostPath ${vol.hostPath.path} (volume ${vol.name} of ${w.kind} ${ns}/${w.name})`, id);
      volumes.set(vol.name, vv);
      const writable = writableHostPath.get(vol.name) === true;
      const esc = hostPathEscape(vol.hostPath.path, typeof vol.hostPath.type === 'string' ? vol.hostPath.type : undefined, writable, podLogs !== undefined);
      if (esc) {
        const ev: Evidence[] = [{ object: id, pointer: joinPointer(vp, 'hostPath', 'path'), detail: `hostPath ${vol.hostPath.path}${writable ? ' mounted writable' : ' mounted read-only'}`, role: 'cause' }, placementEv];
        if (podLogs && esc.technique.includes('pods/log')) ev.push(...grantEvidence(index, new Map(index.bindings.map((x) => [x.key, x])), podLogs, 'can read pod logs'));
        g.edgeUnique(vv, placement, 'host-path-escape', esc.weight, esc.technique, ev);
      }
    } else if (vol.secret) {
      const vv = g.vertex(key, 'volume', `secret volume ${vol.name} of ${w.kind} ${ns}/${w.name}`, id);
      volumes.set(vol.name, vv);
      if (typeof vol.secret.secretName === 'string') g.edgeUnique(vv, b.secret(ns, vol.secret.secretName), 'reads-secret', 0, 'the secret is mounted as files', [{ object: id, pointer: joinPointer(vp, 'secret', 'secretName'), detail: `mounts secret ${vol.secret.secretName}`, role: 'cause' }]);
    } else if (vol.projected && Array.isArray(vol.projected.sources)) {
      const vv = g.vertex(key, 'volume', `projected volume ${vol.name} of ${w.kind} ${ns}/${w.name}`, id);
      volumes.set(vol.name, vv);
      vol.projected.sources.forEach((src, j) => {
        const s = obj(src) ?? {};
        if (s['serviceAccountToken']) g.edgeUnique(vv, sav, 'uses-token', 1, `projected token authenticates as ServiceAccount ${ns}/${saName}`, [{ object: id, pointer: joinPointer(vp, 'projected', 'sources', j, 'serviceAccountToken'), detail: 'projected service account token', role: 'cause' }]);
        const sec = obj(s['secret']);
        if (sec && typeof sec['name'] === 'string') g.edgeUnique(vv, b.secret(ns, sec['name']), 'reads-secret', 0, 'the secret is mounted as files', [{ object: id, pointer: joinPointer(vp, 'projected', 'sources', j, 'secret'), detail: `mounts secret ${sec['name']}`, role: 'cause' }]);
      });
    } else if (obj(vol['configMap'])) {
      volumes.set(vol.name, g.vertex(key, 'volume', `configMap volume ${vol.name} of ${w.kind} ${ns}/${w.name}`, id));
    }
  });

  // Containers.
  for (const c of containersOf(ref)) {
    const cname = c.container.name ?? '?';
    const cv = g.vertex(`${id}#container:${cname}`, 'container', `container ${cname} of ${w.kind} ${ns}/${w.name}`, id);
    // An init container (other than a restartable sidecar) has run to completion before the
    // pod's containers start: taking over the running pod does not give it. Its escapes stay in
    // the graph (structural edge) and whoever can create such a pod reaches the nodes through
    // create-privileged-pod.
    const finished = c.kind === 'initContainer' && c.container.restartPolicy !== 'Always';
    if (finished) g.edgeUnique(wv, cv, 'runs-container', -1, 'ran the init container before the pod started (not a foothold in the running pod)', [{ object: id, pointer: c.pointer, detail: 'the init container', role: 'context' }]);
    else g.edgeUnique(wv, cv, 'runs-container', 0, 'runs the container', [{ object: id, pointer: c.pointer, detail: 'the container', role: 'context' }]);
    if (typeof c.container.image === 'string' && c.container.image) {
      g.edgeUnique(g.vertex(`image:${c.container.image}`, 'image', `image ${c.container.image}`), cv, 'runs-image', 3, 'a poisoned image runs in the container', [{ object: id, pointer: joinPointer(c.pointer, 'image'), detail: 'the image reference', role: 'context' }]);
    }
    if (autoToken !== undefined) g.edgeUnique(cv, autoToken, 'mounts', 0, 'token mounted at /var/run/secrets/kubernetes.io/serviceaccount', NO_EVIDENCE);
    (c.container.volumeMounts ?? []).forEach((m, i) => {
      const vv = m && volumes.get(m.name);
      if (vv === undefined) return;
      g.edgeUnique(cv, vv, 'mounts', 0, `mounts ${m.name} at ${m.mountPath}${m.readOnly ? ' (read-only)' : ''}`, [{ object: id, pointer: joinPointer(c.pointer, 'volumeMounts', i), detail: `mount ${m.name}`, role: 'context' }]);
    });
    (c.container.env ?? []).forEach((e, i) => {
      const ref = e?.valueFrom?.secretKeyRef;
      if (ref && typeof ref.name === 'string') g.edgeUnique(cv, b.secret(ns, ref.name), 'env-from-secret', 0, `environment variable ${e.name} from the secret`, [{ object: id, pointer: joinPointer(c.pointer, 'env', i, 'valueFrom', 'secretKeyRef'), detail: `env ${e.name} ← secret ${ref.name} key ${ref.key ?? '?'}`, role: 'context' }]);
    });
    (c.container.envFrom ?? []).forEach((e, i) => {
      const name = e?.secretRef?.name;
      if (typeof name === 'string') g.edgeUnique(cv, b.secret(ns, name), 'env-from-secret', 0, 'all keys of the secret as environment variables', [{ object: id, pointer: joinPointer(c.pointer, 'envFrom', i, 'secretRef'), detail: `envFrom secret ${name}`, role: 'context' }]);
    });
    for (const esc of containerEscapes(spec, sp, c.container, c.pointer)) {
      g.edgeUnique(cv, placement, 'container-escape', esc.weight, esc.technique, [...esc.causes.map((x): Evidence => ({ object: id, pointer: x.pointer, detail: x.detail, role: 'cause' })), placementEv]);
    }
  }

  if (w.hostNetwork) {
    const ev: Evidence = { object: id, pointer: joinPointer(sp, 'hostNetwork'), detail: 'hostNetwork: true', role: 'cause' };
    g.edgeUnique(wv, placement, 'host-network', 3, "hostNetwork: the node's own network namespace (node-local services, kubelet, other pods' traffic)", [ev, placementEv]);
    if (b.nodeInstanceIdentity !== undefined) g.edgeUnique(wv, b.nodeInstanceIdentity, 'instance-metadata', 1, 'hostNetwork: the node instance metadata (169.254.169.254) answers as the node', [ev]);
  }
}
