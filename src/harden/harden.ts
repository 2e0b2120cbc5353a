/**
 * `kordon harden`: least privilege from observed behaviour (docs/harden.md).
 *
 * Pure: an inventory and a behaviour summary in, per workload a seccomp profile and a
 * capability patch per container, NetworkPolicies from observed flows (proven with the
 * reachability engine), the JSON patch of the workload, and plan actions ranked by the attack
 * paths they close (the graph's what-if). Deterministic: inputs are walked in sorted order.
 */
import { Inventory } from '../inventory/inventory.js';
import type { InputProblem, K8sObject } from '../inventory/types.js';
import { containersOf, podSpecOf } from '../inventory/podspec.js';
import { buildNetworkModel, type Workload } from '../network/model.js';
import type { BehaviourSummary, Endpoint, Subject } from '../sources/runtime/behaviour/model.js';
import { applyChanges, pathSignature } from '../graph/what-if.js';
import { buildSecurityGraph } from '../graph/build.js';
import { computePaths, describePath } from '../graph/paths.js';
import { Attributor, idKey, matches, type Attribution, type WorkloadId } from './attribute.js';
import { rbacFromUsage, type BindingChange, type ServiceAccountRbac } from './rbac.js';
import type { UsageReport } from '../audit/usage.js';
import { baseAdded, ociProfile, spoProfile, type OciSeccompProfile } from './seccomp.js';
import { isDnsFlow, peerDisplay, policiesFor, prove, type DeniedGroup, type FlowPeer, type ObservedFlow } from './netpol.js';

export interface HardenOptions {
  /** How the pod patch refers to the profile: a Security Profiles Operator SeccompProfile (default) or a Localhost file. */
  seccomp?: 'spo' | 'localhost';
  /** Coverage is thin when the observation window is shorter than this (hours). Default 24. */
  thinWindowHours?: number;
  /** Compute attack paths closed per workload (the graph's what-if) up to this many workloads. Default 50. */
  whatIfLimit?: number;
  /** Per-identity API usage from audit logs (`UsageCollector` with `namesByVerb`): RBAC per service account. */
  usage?: UsageReport;
}

export interface Coverage {
  /** Pods (or recordings) observed. */
  pods: number;
  podNames: string[];
  /** Workload-level profiles (Kubescape) merged in. */
  profiles: number;
  /** Desired replicas (spec.replicas), when the workload has it. */
  replicas?: number;
  from?: string;
  to?: string;
  windowSeconds?: number;
  events: number;
  /** Pods of more than one template revision were observed (replaced during the window): their pod-template-hash values. All are merged. */
  revisions?: string[];
  sources: string[];
  attribution: string[];
  thin: boolean;
  reasons: string[];
}

export interface ContainerHarden {
  name: string;
  /** The OCI seccomp profile (null: no syscalls observed, the container is left as it is). */
  seccompProfile: OciSeccompProfile | null;
  /** Where the pod patch points (`operator/<ns>/<name>.json` or `kordon/<ns>/<name>.json`). */
  localhostProfile?: string;
  syscalls?: { observed: number; baseAdded: string[]; notInEveryReplica: string[] };
  /** null: no capability checks were traced for it; unchanged. */
  capabilities: { drop: string[]; add: string[] } | null;
  notes: string[];
}

export interface PlanAction {
  rank: number;
  workload: WorkloadId;
  title: string;
  effort: 'low' | 'medium' | 'high';
  /** Attack paths the whole change for this workload removes (the graph's what-if); undefined when not computed. */
  pathsClosed?: number;
  changes: string[];
}

export interface WorkloadHarden {
  workload: WorkloadId;
  inInventory: boolean;
  coverage: Coverage;
  containers: ContainerHarden[];
  networkPolicies: K8sObject[];
  ciliumNetworkPolicies: K8sObject[];
  seccompProfiles: K8sObject[];
  rbac: WorkloadRbac;
  /** RFC 6902 JSON patch of the workload object (empty when nothing changes). */
  patch: Array<{ op: 'add'; path: string; value: unknown }>;
  network?: { observedFlows: number; checked: number; deniedObserved: Array<{ src: string; dst: string; port: string }>; /** Connections to or from it allowed before and denied now (pairs of peers). */ newlyDeniedConnections: number; newlyDenied: DeniedGroup[]; notes: string[] };
  notes: string[];
}

export interface WorkloadRbac {
  roles: K8sObject[];
  bindings: K8sObject[];
  status: string;
  /** The service account its pods run as (with --audit). */
  serviceAccount?: string;
  /** Existing bindings the new roles make unnecessary. */
  unnecessaryBindings?: BindingChange[];
  pathsClosed?: number;
}

export interface HardenResult {
  workloads: WorkloadHarden[];
  /** RBAC per service account of the audit logs (with --audit). */
  serviceAccounts?: ServiceAccountRbac[];
  plan: PlanAction[];
  problems: InputProblem[];
  summary: { files: number; events: number; subjects: number; flows: number; workloads: number };
}

/** Namespaces whose workloads (DNS, the control plane's add-ons) serve every pod: no policies are generated for them. */
const SYSTEM_NAMESPACES = new Set(['kube-system']);

const RBAC_STATUS = 'not computed: give the audit logs (--audit FILE)';

export function harden(inv: Inventory, summary: BehaviourSummary, opts: HardenOptions = {}): HardenResult {
  const model = buildNetworkModel(inv);
  const attributor = new Attributor(inv, model, summary.recordings);
  const thinMs = (opts.thinWindowHours ?? 24) * 3600_000;
  const mode = opts.seccomp ?? 'spo';
  const problems: InputProblem[] = [...summary.problems];

  // --- subjects → workloads
  const groups = new Map<string, { id: WorkloadId; workload?: Workload; subjects: Subject[]; hows: Set<string>; notes: Set<string> }>();
  const groupOf = (a: Attribution): { id: WorkloadId; workload?: Workload; subjects: Subject[]; hows: Set<string>; notes: Set<string> } => {
    const k = idKey(a.id);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { id: a.id, ...(a.workload ? { workload: a.workload } : {}), subjects: [], hows: new Set(), notes: new Set() }));
    return g;
  };
  for (const s of [...summary.subjects.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    const a = attributor.attribute(s.ref);
    const g = groupOf(a);
    g.subjects.push(s);
    g.hows.add(a.how);
    if (a.note) g.notes.add(`${s.ref.pod ? `pod ${s.ref.pod}` : 'an observation'}: ${a.note}`);
  }

  // --- flows → peers
  const services = serviceIndex(inv, model);
  const flows: ObservedFlow[] = [];
  const flowWindow = new Map<string, { first?: number; last?: number; sources: Set<string> }>();
  let dropped = 0;
  const toPeer = (e: Endpoint, port: number): { peer: FlowPeer; port: number } => {
    if (e.type === 'ip') {
      const svc = services.get(e.ip);
      if (svc) {
        if (svc.apiServer) return { peer: { type: 'ip', ip: e.ip, names: e.names ?? [], apiServer: true }, port };
        if (svc.workloads.length === 1) return { peer: { type: 'workload', workload: svc.workloads[0]! }, port: svc.targetPort(port) ?? port };
      }
      return { peer: { type: 'ip', ip: e.ip, names: e.names ?? [], apiServer: Boolean(e.apiServer) }, port };
    }
    const a = attributor.attribute(e.ref);
    if (a.workload) {
      const g = groupOf(a);
      g.hows.add(a.how);
      return { peer: { type: 'workload', workload: a.workload }, port };
    }
    const labels = e.ref.labels ?? e.ref.selector ?? {};
    return { peer: { type: 'pods', namespace: e.ref.namespace, labels: stableLabelsOf(labels), display: `${e.ref.namespace}/${e.ref.pod ?? idKey(a.id)} (not attributed)` }, port };
  };
  const exposed = exposedWorkloads(inv, model);
  for (const f of [...summary.flows.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    if (f.count === 0) {
      dropped += f.dropped;
      continue;
    }
    const src = toPeer(f.src, f.port);
    const dst = toPeer(f.dst, f.port);
    // clients of a Service exposed outside the cluster come from anywhere: the observed ones are a sample
    if (src.peer.type === 'ip' && !src.peer.apiServer && dst.peer.type === 'workload' && exposed.has(dst.peer.workload.display)) src.peer.cidr = src.peer.ip.includes(':') ? '::/0' : '0.0.0.0/0';
    const of: ObservedFlow = { src: src.peer, dst: dst.peer, protocol: f.protocol, port: dst.port, count: f.count };
    flows.push(of);
    for (const end of [of.src, of.dst]) {
      if (end.type !== 'workload') continue;
      const k = end.workload.display;
      let w = flowWindow.get(k);
      if (!w) flowWindow.set(k, (w = { sources: new Set() }));
      if (f.first !== undefined && (w.first === undefined || f.first < w.first)) w.first = f.first;
      if (f.last !== undefined && (w.last === undefined || f.last > w.last)) w.last = f.last;
      for (const s of f.sources) w.sources.add(s);
      groupOf({ id: { kind: end.workload.kind, namespace: end.workload.namespace, name: end.workload.name }, workload: end.workload, how: 'named' });
    }
  }
  if (dropped) problems.push({ source: '<runtime>', code: 'wrong-type', severity: 'warning', message: `${dropped} flow ${dropped === 1 ? 'event was' : 'events were'} dropped by a policy already (verdict DROPPED): not allowed by the generated policies` });

  // flows by workload, once
  const flowsOf = new Map<Workload, { ingress: ObservedFlow[]; egress: ObservedFlow[] }>();
  const slot = (w: Workload): { ingress: ObservedFlow[]; egress: ObservedFlow[] } => {
    let x = flowsOf.get(w);
    if (!x) flowsOf.set(w, (x = { ingress: [], egress: [] }));
    return x;
  };
  for (const f of flows) {
    const s = f.src.type === 'workload' ? f.src.workload : undefined;
    const d = f.dst.type === 'workload' ? f.dst.workload : undefined;
    if (s && s === d) continue; // a workload's pods among themselves
    if (s) slot(s).egress.push(f);
    if (d) slot(d).ingress.push(f);
  }

  // --- RBAC from audit logs: per service account; its workloads get an entry even when no runtime observation names them
  const saOf = (w: Workload): string => {
    const spec = w.podSpec as { serviceAccountName?: unknown; serviceAccount?: unknown };
    const n = typeof spec.serviceAccountName === 'string' && spec.serviceAccountName ? spec.serviceAccountName : typeof spec.serviceAccount === 'string' && spec.serviceAccount ? spec.serviceAccount : 'default';
    return `${w.namespace}/${n}`;
  };
  let accounts: ServiceAccountRbac[] | undefined;
  const accountBySa = new Map<string, ServiceAccountRbac>();
  const memo = signatureMemo(inv);
  if (opts.usage) {
    const bySa = new Map<string, Workload[]>();
    for (const w of model.workloads) (bySa.get(saOf(w)) ?? bySa.set(saOf(w), []).get(saOf(w))!).push(w);
    const ids = new Map([...bySa].map(([k, ws]) => [k, ws.map((w) => ({ kind: w.kind, namespace: w.namespace, name: w.name }))]));
    accounts = rbacFromUsage(inv, opts.usage, ids, { thinMs, whatIfLimit: opts.whatIfLimit ?? 50, before: memo });
    for (const a of accounts) {
      const k = `${a.serviceAccount.namespace}/${a.serviceAccount.name}`;
      accountBySa.set(k, a);
      for (const w of bySa.get(k) ?? []) {
        const id = { kind: w.kind, namespace: w.namespace, name: w.name };
        if (!groups.has(idKey(id))) groups.set(idKey(id), { id, workload: w, subjects: [], hows: new Set(), notes: new Set() });
      }
    }
  }

  // --- per workload
  const out: WorkloadHarden[] = [];
  const generatedPolicies: K8sObject[] = [];
  const hardenedDisplays = new Set<string>();
  const sortedGroups = [...groups.values()].sort((a, b) => (idKey(a.id) < idKey(b.id) ? -1 : 1));
  for (const g of sortedGroups) {
    const w = g.workload;
    const wh: WorkloadHarden = {
      workload: g.id,
      inInventory: Boolean(w),
      coverage: coverageOf(g.subjects, w, w ? flowWindow.get(w.display) : undefined, [...g.hows].sort(), thinMs),
      containers: [],
      networkPolicies: [],
      ciliumNetworkPolicies: [],
      seccompProfiles: [],
      rbac: { roles: [], bindings: [], status: RBAC_STATUS },
      patch: [],
      notes: [...g.notes].sort(),
    };
    if (opts.usage && w) {
      const sa = saOf(w);
      const acc = accountBySa.get(sa);
      const sharers = model.workloads.filter((x) => x !== w && saOf(x) === sa);
      wh.rbac = acc
        ? {
            roles: acc.roles,
            bindings: acc.bindings,
            status: `${acc.requests ? `computed from ${acc.requests} allowed ${acc.requests === 1 ? 'request' : 'requests'} of service account ${sa}` : `service account ${sa} made no API request`}${acc.windowSeconds !== undefined ? ` in ${humanDuration(acc.windowSeconds)} of audit logs` : ''}${acc.requests ? '' : `: ${acc.unnecessaryBindings.length} ${acc.unnecessaryBindings.length === 1 ? 'binding' : 'bindings'} of it unnecessary`}${sharers.length ? ` (shared with ${sharers.map((x) => x.display).join(', ')}: the roles cover all of them)` : ''}`,
            serviceAccount: sa,
            unnecessaryBindings: acc.unnecessaryBindings,
            ...(acc.pathsClosed !== undefined ? { pathsClosed: acc.pathsClosed } : {}),
          }
        : { roles: [], bindings: [], status: `no API request of service account ${sa} in the audit logs: it needs no permissions beyond what every account has (check that the logs cover it)`, serviceAccount: sa };
    } else if (opts.usage) wh.rbac.status = 'not computed: the workload is not in the inventory (its service account is not known)';
    if (!w) wh.notes.push('not in the inventory: profiles are given, but no patch (give the manifests or --cluster)');
    // containers
    const merged = mergeContainers(g.subjects);
    const spec = w ? podSpecOf(w.item.object) : undefined;
    const specContainers = spec ? containersOf(spec) : [];
    const names = [...new Set([...merged.keys(), ...specContainers.map((c) => c.container.name)])].sort();
    for (const name of names) {
      const m = merged.get(name);
      const ref = specContainers.find((c) => c.container.name === name);
      const notes: string[] = [];
      if (!m) {
        wh.containers.push({ name, seccompProfile: null, capabilities: null, notes: ['not observed: left as it is'] });
        continue;
      }
      if (w && !ref) notes.push('observed but not in the workload\'s pod spec (renamed, or injected at admission): no patch');
      const observed = new Set(m.syscalls.keys());
      let profile: OciSeccompProfile | null = null;
      let localhostProfile: string | undefined;
      let syscalls: ContainerHarden['syscalls'];
      if (observed.size) {
        profile = ociProfile(observed);
        // SPO (v0.9+): a cluster-scoped object at operator/<name>.json, its name carrying the namespace
        const objName = mode === 'spo' ? dnsName(`${g.id.namespace}-${g.id.name}-${name}`) : dnsName(`${g.id.name}-${name}`);
        localhostProfile = mode === 'spo' ? `operator/${objName}.json` : `kordon/${g.id.namespace}/${objName}.json`;
        if (mode === 'spo') wh.seccompProfiles.push(spoProfile(objName, profile, { 'app.kubernetes.io/managed-by': 'kordon-harden', 'kordon.dev/namespace': g.id.namespace }));
        const partial = m.syscallSubjects < 2 ? [] : [...m.syscalls].filter((sc) => (m.syscallPods.get(sc) ?? 0) < m.syscallSubjects).sort();
        syscalls = { observed: observed.size, baseAdded: baseAdded(observed), notInEveryReplica: partial };
      } else notes.push('no syscalls observed: no seccomp profile (the current one is kept)');
      let capabilities: ContainerHarden['capabilities'] = null;
      if (m.capabilitiesTraced) {
        capabilities = { drop: ['ALL'], add: [...m.capabilities].sort() };
        if (m.denied.size) notes.push(`capability checks denied while observed (the container ran without them; not added): ${[...m.denied].sort().join(', ')}`);
      } else notes.push('no capability checks traced: capabilities unchanged');
      const sc = ref?.container.securityContext as { privileged?: boolean; capabilities?: { add?: unknown[] } } | undefined;
      if (sc?.privileged === true) notes.push('privileged: true grants every capability and turns seccomp off: the profile and drops take effect only once privileged is removed (kordon does not change it: device access is not observed)');
      const curAdd = Array.isArray(sc?.capabilities?.add) ? sc!.capabilities!.add!.map((x) => String(x).toUpperCase().replace(/^CAP_/, '')) : [];
      if (capabilities) {
        const unused = curAdd.filter((c) => !capabilities!.add.includes(c));
        if (unused.length) notes.push(`added today but not used in the window, now dropped: ${unused.sort().join(', ')}`);
      }
      wh.containers.push({ name, seccompProfile: profile, ...(localhostProfile ? { localhostProfile } : {}), ...(syscalls ? { syscalls } : {}), capabilities, notes });
      // the patch
      if (w && ref && (profile || capabilities)) {
        const base = `${ref.pointer}/securityContext`;
        const add: Record<string, unknown> = {};
        if (profile) add.seccompProfile = { type: 'Localhost', localhostProfile };
        if (capabilities) add.capabilities = { drop: capabilities.drop, ...(capabilities.add.length ? { add: capabilities.add } : {}) };
        if (!sc || typeof sc !== 'object') wh.patch.push({ op: 'add', path: base, value: add });
        else for (const [k, v] of Object.entries(add)) wh.patch.push({ op: 'add', path: `${base}/${k}`, value: v });
      }
    }
    // network
    if (w && SYSTEM_NAMESPACES.has(w.namespace)) {
      if (g.subjects.length === 0) continue; // only a peer of observed flows (DNS): nothing to say about it
      wh.notes.push(`no NetworkPolicy for a workload of ${w.namespace}: it serves the whole cluster, and flows observed from some clients do not show all of them`);
    } else if (w) {
      const { ingress, egress } = flowsOf.get(w) ?? { ingress: [], egress: [] };
      if (ingress.length || egress.length) {
        const pol = policiesFor(w, ingress, egress, dnsName(`harden-${w.name}`));
        wh.networkPolicies.push(pol.networkPolicy);
        wh.ciliumNetworkPolicies.push(pol.ciliumNetworkPolicy);
        generatedPolicies.push(pol.networkPolicy);
        hardenedDisplays.add(w.display);
        const others = (model.byNamespace.get(w.namespace) ?? []).filter((x) => x !== w && matches((pol.networkPolicy.spec as { podSelector: { matchLabels?: Record<string, string> } }).podSelector.matchLabels ?? {}, x.labels));
        const via = exposed.get(w.display);
        if (via && ingress.some((f) => f.src.type === 'ip' && f.src.cidr)) pol.notes.push(`exposed outside the cluster by ${via}: its observed ports are open to every address, not only to the clients observed`);
        if (others.length) pol.notes.push(`its pod selector also selects ${others.map((o) => o.display).join(', ')}: their traffic is limited by it too`);
        wh.network = { observedFlows: ingress.length + egress.length, checked: 0, deniedObserved: [], newlyDeniedConnections: 0, newlyDenied: [], notes: pol.notes };
      }
    }
    out.push(wh);
  }

  // --- proof with the reachability engine (all generated policies at once)
  if (generatedPolicies.length) {
    const proof = prove(inv, generatedPolicies, flows, hardenedDisplays, (objects) => new Inventory(objects));
    for (const wh of out) {
      if (!wh.network) continue;
      const display = `${wh.workload.namespace}/${wh.workload.name}[${wh.workload.kind}]`;
      const lost = proof.newlyDenied.get(display);
      wh.network.newlyDeniedConnections = lost?.connections ?? 0;
      wh.network.newlyDenied = lost?.groups ?? [];
      const mine = (d: { src: string; dst: string }): boolean => d.src === display || d.dst === display;
      wh.network.deniedObserved = proof.denied.filter(mine);
      const w = groups.get(idKey(wh.workload))?.workload;
      const mineFlows = w ? flowsOf.get(w) : undefined;
      wh.network.checked = mineFlows ? [...mineFlows.ingress, ...mineFlows.egress].filter((f) => f.src.type !== 'pods' && f.dst.type !== 'pods').length : 0;
    }
  }

  // --- plan actions: effort and attack paths closed
  const plan = planActions(inv, out, opts.whatIfLimit ?? 50, memo, accounts ?? []);
  return {
    workloads: out,
    ...(accounts ? { serviceAccounts: accounts } : {}),
    plan,
    problems,
    summary: { files: summary.files.length, events: summary.events, subjects: summary.subjects.size, flows: summary.flows.size, workloads: out.length },
  };
}

interface Merged {
  syscalls: Set<string>;
  /** syscall → subjects (pods/profiles) it was seen in */
  syscallPods: Map<string, number>;
  syscallSubjects: number;
  capabilities: Set<string>;
  denied: Set<string>;
  capabilitiesTraced: boolean;
}

function mergeContainers(subjects: readonly Subject[]): Map<string, Merged> {
  const out = new Map<string, Merged>();
  for (const s of subjects) {
    for (const [name, c] of s.containers) {
      let m = out.get(name);
      if (!m) out.set(name, (m = { syscalls: new Set(), syscallPods: new Map(), syscallSubjects: 0, capabilities: new Set(), denied: new Set(), capabilitiesTraced: false }));
      // replicas are compared pod by pod (workload-level profiles and recordings are merged already)
      const perPod = Boolean(s.ref.pod) && !s.ref.recording;
      if (c.syscalls.size && perPod) m.syscallSubjects++;
      for (const sc of c.syscalls.keys()) {
        m.syscalls.add(sc);
        if (perPod) m.syscallPods.set(sc, (m.syscallPods.get(sc) ?? 0) + 1);
      }
      for (const cap of c.capabilities.keys()) m.capabilities.add(cap);
      for (const cap of c.deniedCapabilities.keys()) if (!c.capabilities.has(cap)) m.denied.add(cap);
      if (c.capabilitiesTraced) m.capabilitiesTraced = true;
    }
  }
  for (const m of out.values()) for (const c of m.capabilities) m.denied.delete(c);
  return out;
}

function coverageOf(subjects: readonly Subject[], w: Workload | undefined, flowWin: { first?: number; last?: number; sources: Set<string> } | undefined, hows: string[], thinMs: number): Coverage {
  const pods = subjects.filter((s) => s.ref.pod && !s.ref.recording).map((s) => s.ref.pod!);
  const profiles = subjects.filter((s) => !s.ref.pod || s.ref.recording).length;
  let first = flowWin?.first;
  let last = flowWin?.last;
  let events = 0;
  const sources = new Set<string>(flowWin?.sources ?? []);
  let partial = false;
  for (const s of subjects) {
    if (s.first !== undefined && (first === undefined || s.first < first)) first = s.first;
    if (s.last !== undefined && (last === undefined || s.last > last)) last = s.last;
    events += s.events;
    for (const src of s.sources) sources.add(src);
    if (s.partial) partial = true;
  }
  const spec = w?.item.object.spec as { replicas?: unknown; parallelism?: unknown } | undefined;
  let replicas: number | undefined;
  if (w && ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'].includes(w.kind)) replicas = typeof spec?.replicas === 'number' ? spec.replicas : 1;
  if (w?.kind === 'Pod') replicas = 1;
  const reasons: string[] = [];
  const windowSeconds = first !== undefined && last !== undefined ? Math.round((last - first) / 1000) : undefined;
  if (subjects.length === 0 && !flowWin) reasons.push('no runtime observation of it (--runtime): only its RBAC is computed');
  else if (windowSeconds === undefined) reasons.push('the observation window is not known (the sources give no times)');
  else if (windowSeconds * 1000 < thinMs) reasons.push(`observed over ${humanDuration(windowSeconds)} only (thin below ${humanDuration(thinMs / 1000)})`);
  if (replicas !== undefined && pods.length > 0 && new Set(pods).size < replicas) reasons.push(`${new Set(pods).size} of ${replicas} replicas observed`);
  if (partial) reasons.push('a source says its observation is partial (kubescape.io/completion: partial)');
  if (hows.includes('unattributed')) reasons.push('some observations could not be attributed to a workload of the inventory');
  const podNames = [...new Set(pods)].sort();
  const hashes = [...new Set(subjects.map((s) => s.ref.labels?.['pod-template-hash'] ?? s.ref.labels?.['controller-revision-hash']).filter((h): h is string => Boolean(h)))].sort();
  return {
    pods: podNames.length,
    podNames,
    profiles,
    ...(replicas !== undefined ? { replicas } : {}),
    ...(first !== undefined ? { from: new Date(first).toISOString() } : {}),
    ...(last !== undefined ? { to: new Date(last).toISOString() } : {}),
    ...(windowSeconds !== undefined ? { windowSeconds } : {}),
    events,
    ...(hashes.length > 1 ? { revisions: hashes } : {}),
    sources: [...sources].sort(),
    attribution: hows,
    thin: reasons.length > 0,
    reasons,
  };
}

function humanDuration(s: number): string {
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}

function dnsName(s: string): string {
  const n = s
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, '-')
    .slice(0, 253)
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return n || 'kordon';
}

function stableLabelsOf(labels: Record<string, string>): Record<string, string> {
  const skip = new Set(['pod-template-hash', 'controller-revision-hash', 'pod-template-generation', 'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index']);
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels).sort()) if (!skip.has(k)) out[k] = labels[k]!;
  return out;
}

interface ServiceEntry {
  apiServer: boolean;
  workloads: Workload[];
  targetPort(port: number): number | undefined;
}

/** Service ClusterIPs (and the API server's endpoint addresses) → what they lead to. */
function serviceIndex(inv: Inventory, model: ReturnType<typeof buildNetworkModel>): Map<string, ServiceEntry> {
  const out = new Map<string, ServiceEntry>();
  for (const item of inv.byKind('Service')) {
    const o = item.object;
    const spec = o.spec as { clusterIP?: unknown; clusterIPs?: unknown; selector?: Record<string, string>; ports?: Array<{ port?: number; targetPort?: number | string }> } | undefined;
    const ns = inv.namespaceOf(o) ?? 'default';
    const ips = [spec?.clusterIP, ...(Array.isArray(spec?.clusterIPs) ? spec!.clusterIPs : [])].filter((x): x is string => typeof x === 'string' && x !== '' && x !== 'None');
    if (!ips.length) continue;
    const apiServer = ns === 'default' && o.metadata.name === 'kubernetes';
    const sel = spec?.selector && typeof spec.selector === 'object' ? spec.selector : undefined;
    const workloads = sel ? (model.byNamespace.get(ns) ?? []).filter((w) => matches(sel, w.labels)) : [];
    const ports = Array.isArray(spec?.ports) ? spec!.ports : [];
    const entry: ServiceEntry = {
      apiServer,
      workloads,
      targetPort(port) {
        const p = ports.find((x) => x && x.port === port);
        if (!p) return undefined;
        if (typeof p.targetPort === 'number') return p.targetPort;
        if (typeof p.targetPort === 'string' && workloads.length === 1) return workloads[0]!.ports.find((cp) => cp.name === p.targetPort)?.port;
        return port;
      },
    };
    for (const ip of ips) out.set(ip, entry);
  }
  for (const item of [...inv.byKind('Endpoints'), ...inv.byKind('EndpointSlice')]) {
    const o = item.object;
    const isKube = inv.namespaceOf(o) === 'default' && (o.metadata.name === 'kubernetes' || o.metadata.labels?.['kubernetes.io/service-name'] === 'kubernetes');
    if (!isKube) continue;
    const addrs: string[] = [];
    const subsets = (o as { subsets?: Array<{ addresses?: Array<{ ip?: string }> }> }).subsets;
    if (Array.isArray(subsets)) for (const s of subsets) for (const a of s?.addresses ?? []) if (typeof a?.ip === 'string') addrs.push(a.ip);
    const eps = (o as { endpoints?: Array<{ addresses?: string[] }> }).endpoints;
    if (Array.isArray(eps)) for (const e of eps) for (const a of e?.addresses ?? []) if (typeof a === 'string') addrs.push(a);
    for (const a of addrs) out.set(a, { apiServer: true, workloads: [], targetPort: () => undefined });
  }
  return out;
}

/** Workloads selected by a LoadBalancer or NodePort Service (display → `Service ns/name (type)`). */
function exposedWorkloads(inv: Inventory, model: ReturnType<typeof buildNetworkModel>): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of inv.byKind('Service')) {
    const spec = item.object.spec as { type?: unknown; selector?: Record<string, string> } | undefined;
    if (spec?.type !== 'LoadBalancer' && spec?.type !== 'NodePort') continue;
    if (!spec.selector || typeof spec.selector !== 'object') continue;
    const ns = inv.namespaceOf(item.object) ?? 'default';
    for (const w of model.byNamespace.get(ns) ?? []) if (matches(spec.selector, w.labels) && !out.has(w.display)) out.set(w.display, `Service ${ns}/${item.object.metadata.name} (${spec.type})`);
  }
  return out;
}

/** Applies `add` operations to a copy of an object (the patch as the API server would). */
export function applyAddPatch(obj: K8sObject, ops: ReadonlyArray<{ op: 'add'; path: string; value: unknown }>): K8sObject {
  const copy = structuredClone(obj) as unknown as Record<string, unknown>;
  for (const op of ops) {
    const segs = op.path
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    let cur: unknown = copy;
    for (const s of segs.slice(0, -1)) cur = (cur as Record<string, unknown>)[s];
    (cur as Record<string, unknown>)[segs[segs.length - 1]!] = structuredClone(op.value);
  }
  return copy as unknown as K8sObject;
}

/** The attack-path signatures of an inventory, computed once on first use. */
function signatureMemo(inv: Inventory): () => Set<string> {
  let sigs: Set<string> | undefined;
  return () => (sigs ??= signatures(inv));
}

function signatures(i: Inventory): Set<string> {
  const g = buildSecurityGraph(i);
  return new Set(computePaths(g).map((p) => pathSignature(describePath(g, p))));
}

function planActions(inv: Inventory, workloads: readonly WorkloadHarden[], limit: number, beforeOf: () => Set<string>, accounts: readonly ServiceAccountRbac[]): PlanAction[] {
  const candidates = workloads.filter((w) => w.inInventory && (w.patch.length || w.networkPolicies.length));
  const actions: PlanAction[] = [];
  // the attack paths of the inventory, once; each workload's change is then applied alone
  const base = inv.objects.map((o) => ({ object: o.object, origin: o.origin }));
  let before: Set<string> | undefined;
  let computed = 0;
  for (const wh of candidates) {
    const item = inv.get(wh.workload.kind, wh.workload.namespace, wh.workload.name);
    if (!item) continue;
    const changes: string[] = [];
    const seccomp = wh.containers.filter((c) => c.seccompProfile).length;
    const caps = wh.containers.filter((c) => c.capabilities).length;
    if (seccomp) changes.push(`seccomp profile for ${seccomp} ${seccomp === 1 ? 'container' : 'containers'}`);
    if (caps) changes.push(`drop ALL capabilities (add back only those used) for ${caps} ${caps === 1 ? 'container' : 'containers'}`);
    if (wh.networkPolicies.length) changes.push('NetworkPolicy from observed flows');
    let pathsClosed: number | undefined;
    if (computed < limit) {
      computed++;
      before ??= beforeOf();
      if (before.size === 0) pathsClosed = 0;
      else {
        const changed = [{ object: applyAddPatch(item.object, wh.patch), origin: item.origin }, ...wh.networkPolicies.map((object) => ({ object, origin: { source: '<kordon harden>', documentIndex: 0, itemPointer: '', line: 0, column: 0 } }))];
        const after = signatures(new Inventory(applyChanges(base, changed).objects));
        pathsClosed = [...before].filter((sig) => !after.has(sig)).length;
      }
    }
    // effort: low when the coverage is good; medium when thin (watch longer, or roll out with care); high when an observed flow would be denied
    const denials = wh.network?.deniedObserved.length ?? 0;
    const effort: PlanAction['effort'] = denials > 0 ? 'high' : wh.coverage.thin ? 'medium' : 'low';
    actions.push({ rank: 0, workload: wh.workload, title: `Harden ${wh.workload.namespace}/${wh.workload.name} (${wh.workload.kind}) from observed behaviour`, effort, ...(pathsClosed !== undefined ? { pathsClosed } : {}), changes });
  }
  // RBAC: one action per service account whose permissions change
  for (const a of accounts) {
    if (!a.roles.length && !a.unnecessaryBindings.length) continue;
    const changes: string[] = [];
    const roles = a.roles.map((r) => `${r.kind} ${r.metadata.namespace ? `${r.metadata.namespace}/` : ''}${r.metadata.name}`);
    if (roles.length) changes.push(`RBAC from observed API requests: ${roles.join(', ')} with ${a.bindings.length === 1 ? 'its binding' : 'their bindings'}`);
    for (const b of a.unnecessaryBindings) changes.push(`${b.action === 'delete' ? 'delete' : 'remove the account from'} ${b.binding} (${b.role})${b.pathsClosed !== undefined ? `: closes ${b.pathsClosed} attack ${b.pathsClosed === 1 ? 'path' : 'paths'}` : ''}`);
    const effort: PlanAction['effort'] = a.proof.denied.length ? 'high' : a.thin ? 'medium' : 'low';
    actions.push({ rank: 0, workload: { kind: 'ServiceAccount', namespace: a.serviceAccount.namespace, name: a.serviceAccount.name }, title: `Least-privilege RBAC for service account ${a.serviceAccount.namespace}/${a.serviceAccount.name} from its observed API requests`, effort, ...(a.pathsClosed !== undefined ? { pathsClosed: a.pathsClosed } : {}), changes });
  }
  const effortRank = { low: 0, medium: 1, high: 2 } as const;
  actions.sort((a, b) => (b.pathsClosed ?? -1) - (a.pathsClosed ?? -1) || effortRank[a.effort] - effortRank[b.effort] || (idKey(a.workload) < idKey(b.workload) ? -1 : 1));
  actions.forEach((a, i) => (a.rank = i + 1));
  return actions;
}

export { peerDisplay, isDnsFlow };
