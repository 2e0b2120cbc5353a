/**
 * NetworkPolicy, AdminNetworkPolicy and BaselineAdminNetworkPolicy, normalised into ordered
 * rules whose peers are resolved against the network model once.
 *
 * Semantics (networking.k8s.io/v1, as defaulted and validated by the API server):
 * - policyTypes absent: Ingress, plus Egress when `egress` has at least one rule.
 * - A policy isolates its selected pods only in the directions of its policyTypes;
 *   `ingress` absent or `[]` under policyType Ingress allows nothing (default deny).
 * - A rule with `from`/`to` absent or empty matches every peer; `ports` absent or empty
 *   matches every port and protocol.
 * - A peer: podSelector alone = pods in the policy's namespace; namespaceSelector alone =
 *   all pods of the selected namespaces; both = AND; ipBlock = addresses outside the cluster.
 * - Ports: protocol defaults to TCP; `port` absent = every port of the protocol; a named port
 *   resolves on the destination pod (container port of that name and protocol); `endPort`
 *   extends a numeric port to a range.
 *
 * Model choice for ipBlock: pods are matched by selectors only, never by ipBlock. An ipBlock
 * (and an ANP `networks` peer) matches only traffic to or from addresses outside the cluster.
 * This resolves the "does an ipBlock match a pod IP" ambiguity (policy-assistant/cyclonus)
 * the way np-guard does, and keeps the result independent of IP assignment.
 */
import type { InventoryObject } from '../inventory/types.js';
import { atomicRanges, formatRange, parseCidr, rangeContains, rangesOverlap, type IpRange } from './ip.js';
import { labelKey, workloadsByLabel, type NetworkModel, type Workload } from './model.js';
import { PeerSet } from './peerset.js';
import { isProtocol, PortSet, type Protocol } from './ports.js';
import { compileSelector, selectorKey, type SelectorMatcher } from './selector.js';
import { adminPolicyShapeIssues, networkPolicyShapeIssues, shapeProblem, type ShapeIssue } from './shape.js';

export type Direction = 'ingress' | 'egress';
export type Tier = 'admin' | 'networkpolicy' | 'baseline';
export type Action = 'Allow' | 'Deny' | 'Pass';

/** A port selector: a constant set plus named ports resolved on the destination. */
export interface PortSpec {
  fixed: PortSet;
  /** Named ports; `protocol` undefined = any protocol (ANP namedPort). */
  named: Array<{ name: string; protocol?: Protocol }>;
}

/** A peer outside the cluster: one of the disjoint address ranges. */
export interface ExternalPeer {
  index: number;
  range: IpRange;
  display: string;
}

export interface Rule {
  policy: PolicyModel;
  direction: Direction;
  /** Position of the rule in its list. */
  ruleIndex: number;
  /** JSON pointer of the rule inside the policy object. */
  pointer: string;
  action: Action;
  /** The rule matches every peer (no `from`/`to` restriction). */
  allPeers: boolean;
  /** Indices (workloads, then externals) the rule's peers match, when not allPeers. */
  peers: PeerSet;
  ports: PortSpec;
  /** Human text of the rule's peers and ports. */
  summary: string;
}

export interface PolicyModel {
  item: InventoryObject;
  tier: Tier;
  kind: string;
  name: string;
  namespace?: string;
  /** ANP priority (lower first); 0 for the others. */
  priority: number;
  /** `kind ns/name` for messages. */
  label: string;
  /** Workload indices the policy applies to. */
  subject: PeerSet;
  /** Directions the policy isolates (NetworkPolicy) or has rules for (ANP/BANP). */
  covers: Set<Direction>;
  ingress: Rule[];
  egress: Rule[];
  /** Problems met while reading the policy (malformed fields). */
  problems: string[];
}

export interface PolicySet {
  model: NetworkModel;
  externals: ExternalPeer[];
  /** Every peer: workloads (index < workloads.length), then externals. */
  peerCount: number;
  policies: PolicyModel[];
}

const ALL_PORTS: PortSpec = { fixed: PortSet.all, named: [] };

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
function arr(v: unknown): unknown[] | undefined {
  return Array.isArray(v) ? v : undefined;
}

/** Every CIDR appearing in an ipBlock (cidr and except) or an ANP `networks` peer. */
function collectRanges(networkPolicies: readonly InventoryObject[], adminPolicies: readonly InventoryObject[]): IpRange[] {
  const out: IpRange[] = [];
  const add = (s: unknown): void => {
    if (typeof s !== 'string') return;
    const r = parseCidr(s);
    if (r) out.push(r);
  };
  for (const item of networkPolicies) {
    const spec = obj(item.object['spec']);
    for (const dir of ['ingress', 'egress'] as const) {
      for (const rule of arr(spec?.[dir]) ?? []) {
        for (const peer of arr(obj(rule)?.[dir === 'ingress' ? 'from' : 'to']) ?? []) {
          const ib = obj(obj(peer)?.['ipBlock']);
          if (!ib) continue;
          add(ib['cidr']);
          for (const e of arr(ib['except']) ?? []) add(e);
        }
      }
    }
  }
  for (const item of adminPolicies) {
    for (const rule of arr(obj(item.object['spec'])?.['egress']) ?? []) {
      for (const peer of arr(obj(rule)?.['to']) ?? []) for (const n of arr(obj(peer)?.['networks']) ?? []) add(n);
    }
  }
  return out;
}

/**
 * The policies whose fields have the types the model reads; the others are left out, each
 * named as an input problem (a policy the API server would reject cannot be in force).
 */
function readablePolicies(model: NetworkModel, kind: string, check: (o: unknown) => ShapeIssue[]): InventoryObject[] {
  const out: InventoryObject[] = [];
  for (const item of model.inventory.byKind(kind)) {
    const issues = check(item.object);
    if (issues.length === 0) out.push(item);
    else model.problems.push(shapeProblem(model.inventory, item, issues, 'the network analysis (its rules are not applied)'));
  }
  return out;
}

export function buildPolicySet(model: NetworkModel): PolicySet {
  const before = model.problems.length;
  const nps = readablePolicies(model, 'NetworkPolicy', networkPolicyShapeIssues);
  const anps = readablePolicies(model, 'AdminNetworkPolicy', adminPolicyShapeIssues);
  const banps = readablePolicies(model, 'BaselineAdminNetworkPolicy', adminPolicyShapeIssues);
  const externals: ExternalPeer[] = atomicRanges(collectRanges(nps, [...anps, ...banps])).map((range, i) => ({
    index: model.workloads.length + i,
    range,
    display: `${formatRange(range)}[External]`,
  }));
  const ctx = new PeerResolver(model, externals);
  const policies: PolicyModel[] = [];
  for (const item of nps) policies.push(readNetworkPolicy(item, ctx));
  for (const item of anps) policies.push(readAdminPolicy(item, ctx, 'admin'));
  for (const item of banps) policies.push(readAdminPolicy(item, ctx, 'baseline'));
  // values the API server would reject (a cidr that is no address range, an unknown protocol): the part is skipped
  for (const p of policies) {
    if (p.problems.length === 0) continue;
    const line = p.item.origin.line;
    model.problems.push({
      source: p.item.origin.source,
      ...(line > 0 ? { line } : {}),
      code: 'wrong-type',
      severity: 'warning',
      message: `${p.label}: ${p.problems.slice(0, 5).join('; ')}${p.problems.length > 5 ? `; ${p.problems.length - 5} more` : ''} (that part is not applied)`,
    });
  }
  for (const p of model.problems.slice(before)) model.inventory.addProblem(p);
  return { model, externals, peerCount: model.workloads.length + externals.length, policies };
}

/** Resolves selectors and ip blocks to peer index sets, caching by selector. */
export class PeerResolver {
  readonly peerCount: number;
  private readonly nsCache = new Map<string, string[]>();
  private readonly podCache = new Map<string, PeerSet>();
  private readonly ipCache = new Map<string, PeerSet>();

  constructor(
    readonly model: NetworkModel,
    readonly externals: ExternalPeer[],
  ) {
    this.peerCount = model.workloads.length + externals.length;
  }

  /** Namespaces matched by a selector. */
  namespaces(sel: unknown): string[] {
    const key = selectorKey(sel);
    let hit = this.nsCache.get(key);
    if (!hit) {
      const m = compileSelector(sel);
      hit = [...this.model.namespaceLabels].filter(([, l]) => m(l)).map(([n]) => n);
      this.nsCache.set(key, hit);
    }
    return hit;
  }

  /** Workloads in the given namespaces matched by a pod selector. */
  pods(namespaces: readonly string[], podSel: unknown, cacheKey: string): PeerSet {
    const key = `${cacheKey}#${selectorKey(podSel)}`;
    let hit = this.podCache.get(key);
    if (!hit) {
      const matched: number[] = [];
      const m: SelectorMatcher = compileSelector(podSel);
      for (const ns of namespaces) for (const w of selectorCandidates(this.model, ns, podSel)) if (m(w.labels)) matched.push(w.index);
      hit = PeerSet.from(matched);
      this.podCache.set(key, hit);
    }
    return hit;
  }

  /** External ranges inside `cidr` and outside every `except`. */
  ipBlock(cidr: IpRange, except: IpRange[]): PeerSet {
    const key = [cidr, ...except].map((r) => `${r.family}:${r.lo}-${r.hi}`).join('|');
    let hit = this.ipCache.get(key);
    if (!hit) {
      const matched: number[] = [];
      for (const e of this.externals) {
        if (rangeContains(cidr, e.range) && !except.some((x) => rangesOverlap(x, e.range))) matched.push(e.index);
      }
      hit = PeerSet.from(matched);
      this.ipCache.set(key, hit);
    }
    return hit;
  }
}

/**
 * The workloads of a namespace that can match a pod selector, in workload order: with a
 * matchLabels entry, only those carrying that label (model.ts keeps the index); otherwise all
 * of them. The selector itself still has to be applied.
 */
export function selectorCandidates(model: NetworkModel, ns: string, sel: unknown): readonly Workload[] {
  const label = firstMatchLabel(sel);
  if (!label) return model.byNamespace.get(ns) ?? [];
  return workloadsByLabel(model, ns).get(labelKey(label[0], label[1])) ?? [];
}

/** A selector's first matchLabels entry (key, value), when it has one: every match carries that label. */
function firstMatchLabel(sel: unknown): [string, string] | undefined {
  const ml = obj(obj(sel)?.['matchLabels']);
  if (!ml) return undefined;
  for (const k in ml) if (Object.prototype.hasOwnProperty.call(ml, k)) return [k, String(ml[k])];
  return undefined;
}

/** NetworkPolicy ports: number, name, endPort, protocol (default TCP). */
function readNetworkPolicyPorts(ports: unknown, problems: string[], where: string): PortSpec {
  const list = arr(ports);
  if (!list || list.length === 0) return ALL_PORTS;
  let fixed = PortSet.none;
  const named: PortSpec['named'] = [];
  list.forEach((p, i) => {
    const o = obj(p) ?? {};
    const protocol = String(o['protocol'] ?? 'TCP');
    if (!isProtocol(protocol)) {
      problems.push(`${where}/ports/${i}: unknown protocol "${protocol}"`);
      return;
    }
    const port = o['port'];
    if (port === undefined || port === null) {
      fixed = fixed.union(PortSet.protocol(protocol));
    } else if (typeof port === 'number' || (typeof port === 'string' && /^\d+$/.test(port))) {
      const n = Number(port);
      const end = typeof o['endPort'] === 'number' ? o['endPort'] : n;
      if (end < n) problems.push(`${where}/ports/${i}: endPort ${end} is below port ${n}`);
      fixed = fixed.union(PortSet.of(protocol, n, Math.max(n, end)));
    } else if (typeof port === 'string') {
      if (o['endPort'] !== undefined) problems.push(`${where}/ports/${i}: endPort is not allowed with the named port "${port}"`);
      named.push({ name: port, protocol });
    }
  });
  return { fixed, named };
}

function readNetworkPolicy(item: InventoryObject, r: PeerResolver): PolicyModel {
  const o = item.object;
  const namespace = r.model.inventory.namespaceOf(o) ?? 'default';
  const spec = obj(o['spec']) ?? {};
  const problems: string[] = [];
  const types = arr(spec['policyTypes']);
  const covers = new Set<Direction>();
  if (types && types.length > 0) {
    for (const t of types) {
      if (t === 'Ingress') covers.add('ingress');
      else if (t === 'Egress') covers.add('egress');
      else problems.push(`unknown policyType "${String(t)}"`);
    }
  } else {
    covers.add('ingress');
    if ((arr(spec['egress']) ?? []).length > 0) covers.add('egress');
  }
  const subject = r.pods([namespace], spec['podSelector'] ?? {}, `ns:${namespace}`);
  const policy: PolicyModel = {
    item,
    tier: 'networkpolicy',
    kind: 'NetworkPolicy',
    name: o.metadata.name ?? '<unnamed>',
    namespace,
    priority: 0,
    label: `NetworkPolicy ${namespace}/${o.metadata.name ?? '<unnamed>'}`,
    subject,
    covers,
    ingress: [],
    egress: [],
    problems,
  };
  for (const dir of ['ingress', 'egress'] as const) {
    if (!covers.has(dir)) continue; // rules of a direction the policy does not cover have no effect
    const peerField = dir === 'ingress' ? 'from' : 'to';
    (arr(spec[dir]) ?? []).forEach((raw, ruleIndex) => {
      const rule = obj(raw) ?? {};
      const pointer = `/spec/${dir}/${ruleIndex}`;
      const peerList = arr(rule[peerField]) ?? [];
      const peerSets: PeerSet[] = [];
      const texts: string[] = [];
      peerList.forEach((rawPeer, pi) => {
        const peer = obj(rawPeer) ?? {};
        const ib = obj(peer['ipBlock']);
        if (ib) {
          const cidr = typeof ib['cidr'] === 'string' ? parseCidr(ib['cidr']) : undefined;
          if (!cidr) {
            problems.push(`${pointer}/${peerField}/${pi}: invalid ipBlock cidr`);
            return;
          }
          const except = (arr(ib['except']) ?? []).map((e) => (typeof e === 'string' ? parseCidr(e) : undefined)).filter((e): e is IpRange => !!e);
          peerSets.push(r.ipBlock(cidr, except));
          texts.push(`ipBlock ${String(ib['cidr'])}${except.length ? ` except ${(arr(ib['except']) ?? []).join(',')}` : ''}`);
          return;
        }
        const hasPod = peer['podSelector'] !== undefined && peer['podSelector'] !== null;
        const hasNs = peer['namespaceSelector'] !== undefined && peer['namespaceSelector'] !== null;
        if (!hasPod && !hasNs) {
          problems.push(`${pointer}/${peerField}/${pi}: peer selects nothing (no podSelector, namespaceSelector or ipBlock)`);
          return;
        }
        const nss = hasNs ? r.namespaces(peer['namespaceSelector']) : [namespace];
        const cacheKey = hasNs ? `nssel:${selectorKey(peer['namespaceSelector'])}` : `ns:${namespace}`;
        peerSets.push(r.pods(nss, hasPod ? peer['podSelector'] : {}, cacheKey));
        texts.push(peerText(peer, namespace));
      });
      const ports = readNetworkPolicyPorts(rule['ports'], problems, pointer);
      const allPeers = peerList.length === 0;
      policy[dir].push({
        policy,
        direction: dir,
        ruleIndex,
        pointer,
        action: 'Allow',
        allPeers,
        peers: PeerSet.union(peerSets),
        ports,
        summary: `${dir === 'ingress' ? 'from' : 'to'} ${allPeers ? 'any peer' : texts.join(' or ') || 'nothing'} on ${portSpecText(ports)}`,
      });
    });
  }
  return policy;
}

function peerText(peer: Record<string, unknown>, policyNs: string): string {
  const pod = peer['podSelector'];
  const ns = peer['namespaceSelector'];
  const podText = pod === undefined ? 'all pods' : `pods [${selectorText(pod)}]`;
  const nsText = ns === undefined ? `namespace ${policyNs}` : `namespaces [${selectorText(ns)}]`;
  return `${podText} in ${nsText}`;
}

function selectorText(sel: unknown): string {
  const s = obj(sel) ?? {};
  const parts: string[] = Object.entries(obj(s['matchLabels']) ?? {}).map(([k, v]) => `${k}=${String(v)}`);
  for (const e of arr(s['matchExpressions']) ?? []) {
    const x = obj(e) ?? {};
    parts.push(`${String(x['key'])} ${String(x['operator'])}${arr(x['values'])?.length ? ` (${(arr(x['values']) ?? []).join(',')})` : ''}`);
  }
  return parts.length ? parts.join(',') : 'all';
}

export function portSpecText(p: PortSpec): string {
  const parts: string[] = [];
  if (!p.fixed.isEmpty()) parts.push(p.fixed.isAll() ? 'all ports' : p.fixed.toString());
  for (const n of p.named) parts.push(`named port "${n.name}"${n.protocol ? `/${n.protocol}` : ''}`);
  return parts.length ? parts.join(', ') : 'no ports';
}

/** AdminNetworkPolicy / BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1). */
function readAdminPolicy(item: InventoryObject, r: PeerResolver, tier: 'admin' | 'baseline'): PolicyModel {
  const o = item.object;
  const spec = obj(o['spec']) ?? {};
  const problems: string[] = [];
  const priority = typeof spec['priority'] === 'number' ? spec['priority'] : 0;
  const policy: PolicyModel = {
    item,
    tier,
    kind: o.kind,
    name: o.metadata.name ?? '<unnamed>',
    priority: tier === 'admin' ? priority : 0,
    label: `${o.kind} ${o.metadata.name ?? '<unnamed>'}${tier === 'admin' ? ` (priority ${priority})` : ''}`,
    subject: adminPods(spec['subject'], r, problems, '/spec/subject'),
    covers: new Set(),
    ingress: [],
    egress: [],
    problems,
  };
  for (const dir of ['ingress', 'egress'] as const) {
    const peerField = dir === 'ingress' ? 'from' : 'to';
    (arr(spec[dir]) ?? []).forEach((raw, ruleIndex) => {
      const rule = obj(raw) ?? {};
      const pointer = `/spec/${dir}/${ruleIndex}`;
      const action = rule['action'];
      if (action !== 'Allow' && action !== 'Deny' && (action !== 'Pass' || tier === 'baseline')) {
        problems.push(`${pointer}: unknown action "${String(action)}"`);
        return;
      }
      const peerSets: PeerSet[] = [];
      const texts: string[] = [];
      (arr(rule[peerField]) ?? []).forEach((rawPeer, pi) => {
        const peer = obj(rawPeer) ?? {};
        const where = `${pointer}/${peerField}/${pi}`;
        if (peer['namespaces'] !== undefined || peer['pods'] !== undefined) {
          peerSets.push(adminPods(peer, r, problems, where));
          texts.push(peer['namespaces'] !== undefined ? `namespaces [${selectorText(peer['namespaces'])}]` : `pods [${selectorText(obj(peer['pods'])?.['podSelector'])}] in namespaces [${selectorText(obj(peer['pods'])?.['namespaceSelector'])}]`);
        } else if (peer['networks'] !== undefined) {
          for (const n of arr(peer['networks']) ?? []) {
            const cidr = typeof n === 'string' ? parseCidr(n) : undefined;
            if (cidr) peerSets.push(r.ipBlock(cidr, []));
            else problems.push(`${where}: invalid network "${String(n)}"`);
          }
          texts.push(`networks ${(arr(peer['networks']) ?? []).join(',')}`);
        } else if (peer['nodes'] !== undefined) {
          texts.push('nodes (not modelled)');
        } else {
          problems.push(`${where}: peer selects nothing`);
        }
      });
      const ports = readAdminPorts(rule['ports'], problems, pointer);
      policy.covers.add(dir);
      policy[dir].push({
        policy,
        direction: dir,
        ruleIndex,
        pointer,
        action,
        allPeers: false,
        peers: PeerSet.union(peerSets),
        ports,
        summary: `${action} ${dir === 'ingress' ? 'from' : 'to'} ${texts.join(' or ') || 'nothing'} on ${portSpecText(ports)}`,
      });
    });
  }
  return policy;
}

/** ANP subject or pod/namespace peer: `{namespaces: sel}` or `{pods: {namespaceSelector, podSelector}}`. */
function adminPods(raw: unknown, r: PeerResolver, problems: string[], where: string): PeerSet {
  const s = obj(raw) ?? {};
  if (s['namespaces'] !== undefined) {
    const key = `nssel:${selectorKey(s['namespaces'])}`;
    return r.pods(r.namespaces(s['namespaces']), {}, key);
  }
  const pods = obj(s['pods']);
  if (pods) {
    const nsSel = pods['namespaceSelector'] ?? {};
    return r.pods(r.namespaces(nsSel), pods['podSelector'] ?? {}, `nssel:${selectorKey(nsSel)}`);
  }
  problems.push(`${where}: selects nothing (needs namespaces or pods)`);
  return PeerSet.none;
}

function readAdminPorts(ports: unknown, problems: string[], where: string): PortSpec {
  const list = arr(ports);
  if (!list || list.length === 0) return ALL_PORTS;
  let fixed = PortSet.none;
  const named: PortSpec['named'] = [];
  list.forEach((p, i) => {
    const o = obj(p) ?? {};
    const pn = obj(o['portNumber']);
    const pr = obj(o['portRange']);
    if (pn) {
      const protocol = String(pn['protocol'] ?? 'TCP');
      if (isProtocol(protocol) && typeof pn['port'] === 'number') fixed = fixed.union(PortSet.of(protocol, pn['port'], pn['port']));
      else problems.push(`${where}/ports/${i}: invalid portNumber`);
    } else if (pr) {
      const protocol = String(pr['protocol'] ?? 'TCP');
      if (isProtocol(protocol) && typeof pr['start'] === 'number' && typeof pr['end'] === 'number') fixed = fixed.union(PortSet.of(protocol, pr['start'], pr['end']));
      else problems.push(`${where}/ports/${i}: invalid portRange`);
    } else if (typeof o['namedPort'] === 'string') {
      named.push({ name: o['namedPort'] });
    } else {
      problems.push(`${where}/ports/${i}: needs portNumber, portRange or namedPort`);
    }
  });
  return { fixed, named };
}

/** The ports a rule allows towards a destination (named ports resolved on it; none on external peers). */
export function resolvePorts(spec: PortSpec, dst: Workload | undefined): PortSet {
  if (spec.named.length === 0 || !dst) return spec.fixed;
  let out = spec.fixed;
  for (const n of spec.named) {
    for (const cp of dst.ports) {
      if (cp.name === n.name && (n.protocol === undefined || cp.protocol === n.protocol)) out = out.union(PortSet.of(cp.protocol, cp.port, cp.port));
    }
  }
  return out;
}
