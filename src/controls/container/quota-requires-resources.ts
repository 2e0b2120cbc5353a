import { defineControl } from '../../engine/types.js';
import type { Inventory } from '../../inventory/inventory.js';
import type { PodSpec } from '../../inventory/podspec.js';
import { hasResource, podContainers } from '../support/pod.js';
import { asRecord, objectsIn } from '../support/workloads.js';

interface Tracked {
  section: 'requests' | 'limits';
  resource: string;
  quota: string;
}

/** The pod sets any CPU or memory request or limit (else its QoS class is BestEffort). */
function notBestEffort(spec: PodSpec): boolean {
  return podContainers(spec).some((c) => ['requests', 'limits'].some((s) => ['cpu', 'memory'].some((r) => hasResource(c.container.resources, s as 'requests' | 'limits', r))));
}

/** Whether one quota scope applies to the pod; undefined for scopes not judged. */
function scopeApplies(scope: string, operator: string, values: string[], spec: PodSpec): boolean | undefined {
  const terminating = typeof spec['activeDeadlineSeconds'] === 'number';
  switch (scope) {
    case 'Terminating':
      return terminating;
    case 'NotTerminating':
      return !terminating;
    case 'BestEffort':
      return !notBestEffort(spec);
    case 'NotBestEffort':
      return notBestEffort(spec);
    case 'PriorityClass': {
      const pc = typeof spec['priorityClassName'] === 'string' && spec['priorityClassName'] !== '' ? spec['priorityClassName'] : undefined;
      if (operator === 'Exists') return pc !== undefined;
      if (operator === 'DoesNotExist') return pc === undefined;
      if (operator === 'In') return pc !== undefined && values.includes(pc);
      if (operator === 'NotIn') return pc === undefined || !values.includes(pc);
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The quota's scopes (and scope selector) all apply to the pod; undefined when one cannot be judged. */
function quotaApplies(quota: Record<string, unknown>, spec: PodSpec): boolean | undefined {
  const terms: Array<[string, string, string[]]> = [];
  for (const s of Array.isArray(quota['scopes']) ? quota['scopes'] : []) if (typeof s === 'string') terms.push([s, 'Exists', []]);
  const exprs = asRecord(quota['scopeSelector'])?.['matchExpressions'];
  for (const e of Array.isArray(exprs) ? exprs : []) {
    const r = asRecord(e);
    if (!r || typeof r['scopeName'] !== 'string' || typeof r['operator'] !== 'string') return undefined;
    terms.push([r['scopeName'], r['operator'], Array.isArray(r['values']) ? r['values'].filter((v): v is string => typeof v === 'string') : []]);
  }
  for (const [scope, operator, values] of terms) {
    if (scope === 'PriorityClass') {
      const applies = scopeApplies(scope, operator, values, spec);
      if (applies !== true) return applies;
      continue;
    }
    // the other scopes are Exists (the scope applies) or DoesNotExist (it does not)
    if (operator !== 'Exists' && operator !== 'DoesNotExist') return undefined;
    const applies = scopeApplies(scope, operator, values, spec);
    if (applies === undefined) return undefined;
    if (applies !== (operator === 'Exists')) return false;
  }
  return true;
}

/** What the namespace's ResourceQuotas that apply to the pod make every container declare. */
function trackedBy(inv: Inventory, ns: string, pod: PodSpec): Tracked[] {
  const out: Tracked[] = [];
  for (const q of objectsIn(inv, 'ResourceQuota', ns)) {
    const spec = asRecord(q.object['spec']);
    if (!spec || quotaApplies(spec, pod) !== true) continue;
    for (const key of Object.keys(asRecord(spec['hard']) ?? {}).sort()) {
      const m = /^(?:(requests|limits)\.)?(cpu|memory|ephemeral-storage)$/.exec(key);
      if (!m) continue;
      if (!m[1] && m[2] === 'ephemeral-storage') continue;
      out.push({ section: (m[1] ?? 'requests') as 'requests' | 'limits', resource: m[2]!, quota: q.object.metadata.name ?? '' });
    }
  }
  return out;
}

/** Defaults the namespace's LimitRanges give containers: `requests.cpu`, `limits.memory`, ... */
function defaultsIn(inv: Inventory, ns: string): Set<string> {
  const out = new Set<string>();
  for (const lr of objectsIn(inv, 'LimitRange', ns)) {
    const limits = asRecord(lr.object['spec'])?.['limits'];
    for (const l of Array.isArray(limits) ? limits : []) {
      const item = asRecord(l);
      if (!item || (item['type'] !== undefined && item['type'] !== 'Container')) continue;
      // a default limit also defaults the request (LimitRange defaulting), and a request alone is a request
      for (const r of Object.keys(asRecord(item['default']) ?? {})) {
        out.add(`limits.${r}`);
        out.add(`requests.${r}`);
      }
      for (const r of Object.keys(asRecord(item['defaultRequest']) ?? {})) out.add(`requests.${r}`);
    }
  }
  return out;
}

export default defineControl({
  id: 'KOR-0770',
  name: 'quota-requires-resources',
  title: 'Pods lack the resources a namespace quota requires',
  description:
    'When a ResourceQuota of the namespace limits `requests.cpu`, `limits.memory` (and the like), the quota admission rejects every pod whose containers do not all declare that value ("failed quota: must specify limits.memory"), unless a LimitRange of the namespace gives a default. The workload is accepted but creates no pods. A declared limit also serves as the request. Scoped quotas count for the pods their scopes select (Terminating, NotTerminating, BestEffort, NotBestEffort, PriorityClass); a quota with another scope is not judged.',
  layer: 'container',
  dimensions: ['Scalability', 'Applications'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'high',
  effort: 'low',
  frameworks: {},
  remediation: 'Declare the requests and limits the quota tracks on every container (init containers too), or add a LimitRange with defaults for them.',
  messages: { missing: '{{kind}} "{{name}}" container "{{container}}" declares no {{field}}, which ResourceQuota "{{quota}}" requires: its pods are rejected.' },
  targets: 'podSpec',
  check({ podSpec, object }, ctx) {
    const ns = ctx.inventory.namespaceOf(object) ?? 'default';
    const tracked = trackedBy(ctx.inventory, ns, podSpec);
    if (tracked.length === 0) return;
    const defaults = defaultsIn(ctx.inventory, ns);
    for (const c of podContainers(podSpec)) {
      if (c.kind === 'ephemeralContainer') continue;
      const seen = new Set<string>();
      for (const t of tracked) {
        const field = `${t.section}.${t.resource}`;
        if (seen.has(field) || defaults.has(field)) continue;
        const has = hasResource(c.container.resources, t.section, t.resource) || (t.section === 'requests' && hasResource(c.container.resources, 'limits', t.resource));
        if (has) continue;
        seen.add(field);
        ctx.report('missing', { kind: object.kind, name: object.metadata.name ?? '', container: c.container.name, field, quota: t.quota }, `${c.pointer}`);
      }
    }
  },
});
