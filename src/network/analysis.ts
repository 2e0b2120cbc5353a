/**
 * One network analysis per inventory, shared by the network controls (a scan runs several of
 * them over the same inventory; building the engine once keeps them cheap).
 */
import type { Inventory } from '../inventory/inventory.js';
import { computeExposure, type WorkloadExposure } from './exposure.js';
import type { PolicyModel, Rule } from './policy.js';
import { ReachabilityEngine } from './reach.js';
import type { Workload } from './model.js';
import type { PeerSet } from './peerset.js';

export interface NetworkAnalysis {
  engine: ReachabilityEngine;
  exposure: WorkloadExposure[];
  /** NetworkPolicies by namespace. */
  policiesIn(namespace: string): PolicyModel[];
  /** Workloads a policy's subject includes. */
  subjectOf(p: PolicyModel): Workload[];
  /** Workloads a rule's peers include (every workload for a rule without peer restriction). */
  peerWorkloadsOf(r: Rule): Workload[];
}

const cache = new WeakMap<Inventory, NetworkAnalysis>();

export function networkAnalysis(inv: Inventory): NetworkAnalysis {
  const hit = cache.get(inv);
  if (hit) return hit;
  const engine = new ReachabilityEngine(inv);
  const exposure = computeExposure(inv, engine.model);
  const byNs = new Map<string, PolicyModel[]>();
  for (const p of engine.set.policies) {
    if (p.tier !== 'networkpolicy') continue;
    const list = byNs.get(p.namespace ?? 'default') ?? [];
    list.push(p);
    byNs.set(p.namespace ?? 'default', list);
  }
  const workloads = engine.model.workloads;
  const nW = workloads.length;
  const picked = new WeakMap<PeerSet, Workload[]>();
  /** The workloads of a peer set (external peers dropped), in workload order; cached per set. */
  const pick = (set: PeerSet): Workload[] => {
    let hit = picked.get(set);
    if (!hit) {
      hit = [];
      for (const i of set.indices) if (i < nW) hit.push(workloads[i]!);
      picked.set(set, hit);
    }
    return hit.slice();
  };
  const analysis: NetworkAnalysis = {
    engine,
    exposure,
    policiesIn: (ns) => byNs.get(ns) ?? [],
    subjectOf: (p) => pick(p.subject),
    peerWorkloadsOf: (r) => (r.allPeers ? workloads : pick(r.peers)),
  };
  cache.set(inv, analysis);
  return analysis;
}

/** A NetworkPolicy that isolates every pod of its namespace in `dir` without allowing everything back. */
export function isDefaultDeny(p: PolicyModel, dir: 'ingress' | 'egress'): boolean {
  if (p.tier !== 'networkpolicy' || !p.covers.has(dir)) return false;
  const spec = p.item.object['spec'] as { podSelector?: unknown } | undefined;
  const sel = spec?.podSelector as { matchLabels?: object; matchExpressions?: unknown[] } | undefined | null;
  const selectsAll = !sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0);
  if (!selectsAll) return false;
  return !p[dir].some((r) => r.allPeers && r.ports.fixed.isAll());
}

