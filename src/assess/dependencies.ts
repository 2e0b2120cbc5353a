/**
 * Which actions must come before which: a change that enforces something (Pod Security
 * admission, a compute quota, a ServiceAccount that stops mounting tokens, a disruption budget)
 * breaks the workloads that do not comply yet, so the fixes of those workloads come first.
 *
 * Rules are data over controls (by name or metadata), so they hold for any control that fits:
 * an action depends on another when a rule matches both and they share a namespace (an action
 * without namespaces, about the cluster as a whole, shares every namespace). docs/assess.md
 * lists the rules.
 */
import type { Control } from '../engine/types.js';

export interface DependencyRule {
  /** The action that must wait. */
  action: (c: Control) => boolean;
  /** The actions it waits for. */
  after: (c: Control) => boolean;
  /** Why, as the roadmap prints it. */
  why: string;
}

const byName = (re: RegExp) => (c: Control) => re.test(c.name);

export const DEPENDENCY_RULES: readonly DependencyRule[] = [
  {
    action: byName(/^namespace-pod-security-not-enforced$/),
    // every control of the Pod Security Standards judges what admission would reject
    after: (c) => (c.frameworks.pss?.length ?? 0) > 0,
    why: 'enforcing Pod Security rejects the pods that still violate it: fix those pods first',
  },
  {
    action: byName(/^service-account-automount-enabled$/),
    after: byName(/^service-account-token-automounted$/),
    why: 'pods that call the API must opt in to a token before their ServiceAccount stops mounting one',
  },
  {
    action: byName(/^namespace-without-resource-quota$/),
    after: (c) => /^container-(cpu|memory)-(request|limit)-missing$/.test(c.name) || c.name === 'namespace-without-limit-range',
    why: 'a compute ResourceQuota makes the API server reject pods without requests and limits (unless a LimitRange sets defaults): set them first',
  },
  {
    // adding a budget (not fixing one that exists)
    action: byName(/(without|missing)-(pdb|pod-disruption-budget|disruption-budget)$|^(pdb|pod-disruption-budget|disruption-budget)-(missing|absent)$/),
    after: byName(/single-replica|replicas?-below-two|one-replica/),
    why: 'a disruption budget over a single replica blocks node drains: run more replicas first',
  },
  {
    // adding an autoscaler
    action: byName(/(without|missing)-(hpa|autoscaler)$|^(hpa|autoscaler)-(missing|absent)$/),
    after: byName(/(cpu|memory)-requests?-missing/),
    why: 'a HorizontalPodAutoscaler on utilisation needs resource requests to compute it',
  },
];

export interface DependencyInput {
  id: string;
  control: Control | undefined;
  namespaces: readonly string[];
}

function shareNamespace(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 0 || b.length === 0) return true;
  const set = new Set(a);
  return b.some((n) => set.has(n));
}

/** For each action id: the ids it depends on (sorted) with the reason. */
export function dependenciesOf(actions: readonly DependencyInput[]): Map<string, Array<{ id: string; why: string }>> {
  const out = new Map<string, Array<{ id: string; why: string }>>();
  for (const a of actions) {
    if (!a.control) continue;
    const deps: Array<{ id: string; why: string }> = [];
    for (const rule of DEPENDENCY_RULES) {
      if (!rule.action(a.control)) continue;
      for (const b of actions) {
        if (b.id === a.id || !b.control || !rule.after(b.control) || rule.action(b.control)) continue;
        if (!shareNamespace(a.namespaces, b.namespaces)) continue;
        if (!deps.some((d) => d.id === b.id)) deps.push({ id: b.id, why: rule.why });
      }
    }
    deps.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    if (deps.length) out.set(a.id, deps);
  }
  return out;
}
