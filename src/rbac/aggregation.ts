/**
 * ClusterRole aggregation, as the clusterrole-aggregation controller of
 * kube-controller-manager computes it: a ClusterRole with an `aggregationRule` gets the rules
 * of every other ClusterRole whose labels match any of its `clusterRoleSelectors`
 * (an empty selector matches every ClusterRole). Aggregated roles can select aggregated
 * roles (admin → edit → view), so the result is the fixed point.
 *
 * Files usually carry an aggregated role with no rules; a live cluster has them merged
 * already. Both read the same way: the role's own rules plus the selected roles' rules.
 */
import type { PolicyRule } from './types.js';
import { ruleKey } from './match.js';

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/** Kubernetes label selector semantics. An invalid selector matches nothing. */
export function selectorMatches(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  if (!selector || typeof selector !== 'object') return false;
  const l = labels && typeof labels === 'object' ? labels : {};
  const matchLabels = selector.matchLabels ?? {};
  const expressions = selector.matchExpressions ?? [];
  if (typeof matchLabels !== 'object' || !Array.isArray(expressions)) return false;
  for (const [k, v] of Object.entries(matchLabels)) if (l[k] !== v) return false;
  for (const e of expressions) {
    if (!e || typeof e !== 'object' || typeof e.key !== 'string') return false;
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    const values = Array.isArray(e.values) ? e.values : [];
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(l[e.key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(l[e.key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

export interface AggregationInput {
  name: string;
  labels: Record<string, string> | undefined;
  rules: PolicyRule[];
  selectors: LabelSelector[] | undefined;
}

/** Effective rules per ClusterRole name (roles without an aggregation rule keep theirs). */
export function aggregateClusterRoles(roles: readonly AggregationInput[]): Map<string, PolicyRule[]> {
  const out = new Map<string, PolicyRule[]>();
  for (const r of roles) out.set(r.name, r.rules);
  const aggregated = roles.filter((r) => r.selectors !== undefined);
  if (aggregated.length === 0) return out;
  const sortedByName = [...roles].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const selected = new Map<string, string[]>();
  for (const a of aggregated) {
    const names: string[] = [];
    for (const sel of a.selectors!) for (const r of sortedByName) if (r.name !== a.name && selectorMatches(sel, r.labels)) names.push(r.name);
    selected.set(a.name, names);
  }
  // Fixed point: at most one round per aggregated role (a chain can be that long).
  for (let round = 0; round <= aggregated.length; round++) {
    let changed = false;
    for (const a of aggregated) {
      const current = out.get(a.name)!;
      const seen = new Set(current.map(ruleKey));
      let next: PolicyRule[] | undefined;
      for (const n of selected.get(a.name)!) {
        for (const rule of out.get(n) ?? []) {
          const k = ruleKey(rule);
          if (seen.has(k)) continue;
          seen.add(k);
          (next ??= [...current]).push(rule);
        }
      }
      if (next) {
        out.set(a.name, next);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return out;
}
