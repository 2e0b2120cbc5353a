/**
 * Rule matching, exactly as the Kubernetes RBAC authorizer does it
 * (k8s.io/kubernetes pkg/apis/rbac/v1 evaluation_helpers.go and plugin/pkg/auth/authorizer/rbac):
 *
 * - verbs: `*` or the exact verb;
 * - apiGroups: `*` or the exact group ('' is the core group);
 * - resources: `*` (every resource and every subresource), the exact `resource` or
 *   `resource/subresource`, or a star followed by `/subresource` (that subresource of any
 *   resource). `pods/` followed by a star is NOT a wildcard: it matches only a subresource
 *   literally named `*`;
 * - resourceNames: an empty list matches any request; otherwise the request's name must be
 *   listed, so a rule with resourceNames never matches a request without a name
 *   (list, watch, create, deletecollection);
 * - nonResourceURLs: `*`, the exact path, or a prefix when the rule ends in `*`.
 */
import type { NonResourceRequest, PolicyRule, ResourceRequest } from './types.js';

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  for (const v of rule.verbs) if (v === '*' || v === verb) return true;
  return false;
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  for (const g of rule.apiGroups) if (g === '*' || g === group) return true;
  return false;
}

/** `combined` is `resource` or `resource/subresource`. */
export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources) {
    if (r === '*' || r === combined) return true;
    if (subresource !== '' && r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) return true;
  }
  return false;
}

export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  if (rule.resourceNames.length === 0) return true;
  for (const n of rule.resourceNames) if (n === name) return true;
  return false;
}

export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs) {
    if (u === '*' || u === path) return true;
    if (u.endsWith('*') && path.startsWith(trimTrailingStars(u))) return true;
  }
  return false;
}

function trimTrailingStars(s: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === '*') end--;
  return s.slice(0, end);
}

/** Does this one rule allow the request? (Ignores who is asking: that is the bindings' job.) */
export function ruleAllows(rule: PolicyRule, a: ResourceRequest | NonResourceRequest): boolean {
  if (a.path === undefined) {
    const sub = a.subresource ?? '';
    const combined = sub === '' ? a.resource : `${a.resource}/${sub}`;
    return verbMatches(rule, a.verb) && apiGroupMatches(rule, a.apiGroup) && resourceMatches(rule, combined, sub) && resourceNameMatches(rule, a.name ?? '');
  }
  return verbMatches(rule, a.verb) && nonResourceURLMatches(rule, a.path);
}

/** Reads a PolicyRule from an object's `rules[i]` (tolerates missing or malformed lists). */
export function normalizeRule(raw: unknown): PolicyRule {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  return {
    verbs: strings(r['verbs']),
    apiGroups: strings(r['apiGroups']),
    resources: strings(r['resources']),
    resourceNames: strings(r['resourceNames']),
    nonResourceURLs: strings(r['nonResourceURLs']),
  };
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Identity of a rule for de-duplication: exact list equality, as the aggregation controller compares rules. */
export function ruleKey(r: PolicyRule): string {
  return JSON.stringify([r.verbs, r.apiGroups, r.resources, r.resourceNames, r.nonResourceURLs]);
}

/** Compact human form, like kubectl: `get,list pods.apps [names: a,b]` or `get /healthz`. */
export function describeRule(r: PolicyRule): string {
  const verbs = r.verbs.join(',') || '<no verbs>';
  if (r.nonResourceURLs.length > 0 && r.resources.length === 0) return `${verbs} ${r.nonResourceURLs.join(',')}`;
  const groups = r.apiGroups.map((g) => (g === '' ? 'core' : g)).join(',');
  const names = r.resourceNames.length ? ` names=${r.resourceNames.join(',')}` : '';
  const nonRes = r.nonResourceURLs.length ? ` urls=${r.nonResourceURLs.join(',')}` : '';
  return `${verbs} ${r.resources.join(',') || '<no resources>'} (groups: ${groups || '<none>'})${names}${nonRes}`;
}
