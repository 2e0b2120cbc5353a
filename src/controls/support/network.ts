/** Network checks shared by the namespace default-deny controls. */
import type { Inventory } from '../../inventory/inventory.js';
import type { K8sObject } from '../../inventory/types.js';
import { isDefaultDeny, networkAnalysis } from '../../network/analysis.js';
import { workloadNamespaces, type WorkloadNamespace } from './namespaces.js';

/**
 * Namespaces that use NetworkPolicies but have no default deny in one direction: how many of
 * their workloads are open in that direction today (0 = each is isolated by some policy now).
 */
export function namespacesWithoutDefaultDeny(inv: Inventory, dir: 'ingress' | 'egress'): Array<{ ns: WorkloadNamespace; open: number; total: number }> {
  const net = networkAnalysis(inv);
  const out: Array<{ ns: WorkloadNamespace; open: number; total: number }> = [];
  for (const ns of workloadNamespaces(inv)) {
    const policies = net.policiesIn(ns.namespace);
    if (policies.length === 0) continue; // KOR-0137's finding
    if (policies.some((p) => isDefaultDeny(p, dir))) continue;
    const workloads = net.engine.model.byNamespace.get(ns.namespace) ?? [];
    const isolated = new Set(policies.filter((p) => p.covers.has(dir)).flatMap((p) => net.subjectOf(p).map((w) => w.index)));
    out.push({ ns, open: workloads.filter((w) => !isolated.has(w.index)).length, total: workloads.length });
  }
  return out;
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export interface EgressRule {
  /** `Kind ns/name` of the policy, for messages. */
  policy: string;
  isNetworkPolicy: boolean;
  rule: Record<string, unknown>;
  index: number;
}

/**
 * The egress rules that allow traffic: every egress rule of a NetworkPolicy that covers Egress
 * (explicitly, or by having egress rules), and the `Allow` rules of (Baseline)AdminNetworkPolicies.
 */
export function allowingEgressRules(object: K8sObject): EgressRule[] {
  const spec = obj(object['spec']) ?? {};
  const policy = `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name ?? ''}`;
  const isNetworkPolicy = object.kind === 'NetworkPolicy';
  if (isNetworkPolicy) {
    const types = arr(spec['policyTypes']);
    if (!(types.length ? types.includes('Egress') : arr(spec['egress']).length > 0)) return [];
  }
  const out: EgressRule[] = [];
  arr(spec['egress']).forEach((raw, index) => {
    const rule = obj(raw) ?? {};
    if (!isNetworkPolicy && rule['action'] !== 'Allow') return;
    out.push({ policy, isNetworkPolicy, rule, index });
  });
  return out;
}

/** The address blocks a rule's peers name (`ipBlock` of NetworkPolicy, `networks` of admin policies), with pointers. */
export function egressBlocks(r: EgressRule): Array<{ cidr: string; except: unknown[]; pointer: string }> {
  const blocks: Array<{ cidr: string; except: unknown[]; pointer: string }> = [];
  arr(r.rule['to']).forEach((rawPeer, pi) => {
    const peer = obj(rawPeer) ?? {};
    const ib = obj(peer['ipBlock']);
    if (ib && typeof ib['cidr'] === 'string') blocks.push({ cidr: ib['cidr'], except: arr(ib['except']), pointer: `/spec/egress/${r.index}/to/${pi}/ipBlock/cidr` });
    arr(peer['networks']).forEach((n, ni) => typeof n === 'string' && blocks.push({ cidr: n, except: [], pointer: `/spec/egress/${r.index}/to/${pi}/networks/${ni}` }));
  });
  return blocks;
}
