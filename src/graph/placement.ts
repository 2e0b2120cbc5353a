/**
 * Where a pod may be scheduled: its nodeSelector, its required node affinity and its
 * tolerations, against a node's labels, name and taints, as the scheduler decides
 * (NodeAffinity and TaintToleration filters).
 *
 * Worst case where the scheduler's answer depends on the moment: condition taints that the
 * node lifecycle controller adds and removes (`node.kubernetes.io/not-ready`, `unreachable`,
 * `memory-pressure`, ...) and a cordoned node (`spec.unschedulable`, whose pods keep running)
 * do not keep a pod off a node; PreferNoSchedule taints and preferred affinity neither.
 */
import type { PodSpec } from '../inventory/podspec.js';
import { cmp } from './graph.js';

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values: string[];
}

/** One term of required node affinity: every requirement must hold. */
export interface NodeSelectorTerm {
  matchExpressions: NodeSelectorRequirement[];
  matchFields: NodeSelectorRequirement[];
}

export interface Toleration {
  key: string;
  operator: 'Equal' | 'Exists';
  value: string;
  /** '' tolerates every effect. */
  effect: string;
}

export interface Taint {
  key: string;
  value: string;
  effect: string;
}

export interface Placement {
  nodeSelector?: Record<string, string>;
  /** Required node affinity: one of the terms must hold (undefined: no affinity). */
  terms?: NodeSelectorTerm[];
  /** Tolerations of taints that can keep a pod off a node (condition taints left out). */
  tolerations: Toleration[];
}

export interface NodeFacts {
  name: string;
  labels: Record<string, string>;
  /** Taints that keep pods off (NoSchedule, NoExecute), condition taints left out. */
  taints: Taint[];
}

/** Taints the node lifecycle controller sets and clears with the node's condition. */
const CONDITION_TAINT_PREFIX = 'node.kubernetes.io/';

const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function requirements(v: unknown): NodeSelectorRequirement[] {
  if (!Array.isArray(v)) return [];
  const out: NodeSelectorRequirement[] = [];
  for (const r of v) {
    const o = obj(r);
    if (!o || typeof o['key'] !== 'string' || typeof o['operator'] !== 'string') continue;
    out.push({ key: o['key'], operator: o['operator'], values: strings(o['values']) });
  }
  return out;
}

/** The placement constraints of a pod template. */
export function placementOf(spec: PodSpec): Placement {
  const p: Placement = { tolerations: [] };
  const sel = obj(spec['nodeSelector']);
  if (sel && Object.keys(sel).length > 0) p.nodeSelector = Object.fromEntries(Object.entries(sel).map(([k, v]) => [k, String(v)]));
  const required = obj(obj(obj(spec['affinity'])?.['nodeAffinity'])?.['requiredDuringSchedulingIgnoredDuringExecution']);
  if (required && Array.isArray(required['nodeSelectorTerms'])) {
    p.terms = (required['nodeSelectorTerms'] as unknown[]).map((t) => ({ matchExpressions: requirements(obj(t)?.['matchExpressions']), matchFields: requirements(obj(t)?.['matchFields']) }));
  }
  if (Array.isArray(spec['tolerations'])) {
    for (const t of spec['tolerations'] as unknown[]) {
      const o = obj(t);
      if (!o) continue;
      const key = typeof o['key'] === 'string' ? o['key'] : '';
      if (key.startsWith(CONDITION_TAINT_PREFIX)) continue;
      const effect = typeof o['effect'] === 'string' ? o['effect'] : '';
      if (effect === 'PreferNoSchedule') continue;
      const operator = o['operator'] === 'Exists' ? 'Exists' : 'Equal';
      // an empty key with Equal tolerates nothing the scheduler recognises; kept out
      if (operator === 'Equal' && key === '') continue;
      p.tolerations.push({ key, operator, value: operator === 'Exists' ? '' : typeof o['value'] === 'string' ? o['value'] : '', effect });
    }
  }
  return p;
}

/** A node's labels and the taints that can keep pods off it. */
export function nodeFactsOf(name: string, object: { metadata?: { labels?: Record<string, string> }; spec?: unknown } | undefined): NodeFacts {
  const labels = { ...(object?.metadata?.labels ?? {}) };
  const taints: Taint[] = [];
  const spec = obj(object?.spec);
  if (spec && Array.isArray(spec['taints'])) {
    for (const t of spec['taints'] as unknown[]) {
      const o = obj(t);
      if (!o || typeof o['key'] !== 'string') continue;
      const effect = typeof o['effect'] === 'string' ? o['effect'] : '';
      if (effect !== 'NoSchedule' && effect !== 'NoExecute') continue;
      if (o['key'].startsWith(CONDITION_TAINT_PREFIX)) continue;
      taints.push({ key: o['key'], value: typeof o['value'] === 'string' ? o['value'] : '', effect });
    }
  }
  return { name, labels, taints };
}

function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect !== '' && t.effect !== taint.effect) return false;
  if (t.operator === 'Exists') return t.key === '' || t.key === taint.key;
  return t.key === taint.key && t.value === taint.value;
}

function requirementHolds(r: NodeSelectorRequirement, value: string | undefined): boolean {
  switch (r.operator) {
    case 'In':
      return value !== undefined && r.values.includes(value);
    case 'NotIn':
      return value === undefined || !r.values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || r.values.length !== 1 || !/^-?\d+$/.test(value) || !/^-?\d+$/.test(r.values[0]!)) return false;
      const a = Number(value);
      const b = Number(r.values[0]);
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false; // an operator the API server would have refused
  }
}

function termHolds(term: NodeSelectorTerm, node: NodeFacts): boolean {
  // a term without requirements selects no node
  if (term.matchExpressions.length === 0 && term.matchFields.length === 0) return false;
  for (const r of term.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(node.labels, r.key);
    if (!requirementHolds(r, has ? node.labels[r.key] : undefined)) return false;
  }
  for (const r of term.matchFields) {
    if (r.key !== 'metadata.name' || !requirementHolds(r, node.name)) return false;
  }
  return true;
}

/** Whether the scheduler may place a pod with this placement on the node. */
export function admits(p: Placement, node: NodeFacts): boolean {
  if (p.nodeSelector) for (const [k, v] of Object.entries(p.nodeSelector)) if (node.labels[k] !== v) return false;
  if (p.terms && !p.terms.some((t) => termHolds(t, node))) return false;
  return node.taints.every((taint) => p.tolerations.some((t) => tolerates(t, taint)));
}

function requirementText(r: NodeSelectorRequirement): string {
  return r.operator === 'Exists' || r.operator === 'DoesNotExist' ? `${r.key} ${r.operator}` : `${r.key} ${r.operator} (${[...r.values].sort(cmp).join(',')})`;
}

function tolerationText(t: Toleration): string {
  return `${t.key === '' ? '*' : t.key}${t.operator === 'Exists' ? '' : `=${t.value}`}:${t.effect === '' ? '*' : t.effect}`;
}

/**
 * The pool a placement puts a pod in, as a key: `*` with no constraint, `k=v,...` for a
 * nodeSelector alone, and `|affinity:...` / `|tolerates:...` parts for the rest. Equal
 * constraints give equal keys (every list is sorted).
 */
export function placementKey(p: Placement): string {
  const sel = Object.entries(p.nodeSelector ?? {}).sort((a, b) => cmp(a[0], b[0]));
  let key = sel.length ? sel.map(([k, v]) => `${k}=${v}`).join(',') : '*';
  if (p.terms) {
    const terms = p.terms.map((t) => [...t.matchExpressions.map(requirementText), ...t.matchFields.map((r) => `field:${requirementText(r)}`)].sort(cmp).join(' & ') || 'nothing');
    key += `|affinity:${[...new Set(terms)].sort(cmp).join(' or ')}`;
  }
  if (p.tolerations.length) key += `|tolerates:${[...new Set(p.tolerations.map(tolerationText))].sort(cmp).join(',')}`;
  return key;
}
