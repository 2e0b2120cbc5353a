/**
 * Helpers for the reliability and operations controls (KOR-0700..0899): replicas, the objects
 * that select a workload's pods (Services, PodDisruptionBudgets, monitors), autoscalers that
 * target it, resource quantities. Lookups are built once per inventory.
 */
import type { Inventory } from '../../inventory/inventory.js';
import { isPodBearing, podMetadataOf } from '../../inventory/podspec.js';
import type { InventoryObject, K8sObject } from '../../inventory/types.js';
import { compiledSelector } from '../../network/selector.js';
import { operatorPodSources } from './operator-pods.js';

/** Kinds whose pods are kept at a replica count (a Deployment or StatefulSet: what PDBs and HPAs are for). */
export const REPLICATED_KINDS: readonly string[] = ['Deployment', 'StatefulSet'];

function record(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** `spec` of an object as a record (empty when absent or malformed). */
export function specOf(obj: K8sObject): Record<string, unknown> {
  return record(obj['spec']) ?? {};
}

/** `status` of an object as a record (empty when absent or malformed). */
export function statusOf(obj: K8sObject): Record<string, unknown> {
  return record(obj['status']) ?? {};
}

/** The declared replica count: `spec.replicas` when a whole number, else the API default 1. */
export function declaredReplicas(obj: K8sObject): number {
  const r = specOf(obj)['replicas'];
  return typeof r === 'number' && Number.isInteger(r) && r >= 0 ? r : 1;
}

/** An object made by another one (a ReplicaSet of a Deployment, a Job of a CronJob, a Pod of anything). */
export function hasController(obj: K8sObject): boolean {
  const refs = obj.metadata.ownerReferences;
  return Array.isArray(refs) && refs.some((r) => r && typeof r === 'object' && (r as { controller?: unknown }).controller === true);
}

/** Labels of an object's pods (pod template or the pod itself). */
export function podLabelsOf(obj: K8sObject): Record<string, string> {
  const labels = podMetadataOf(obj).labels;
  return labels && typeof labels === 'object' && !Array.isArray(labels) ? labels : {};
}

/** A Service's selector as a map (undefined when it has none or an empty one: such a Service selects no pods). */
export function serviceSelector(svc: K8sObject): Record<string, string> | undefined {
  const sel = record(specOf(svc)['selector']);
  if (!sel || Object.keys(sel).length === 0) return undefined;
  return Object.fromEntries(Object.entries(sel).map(([k, v]) => [k, String(v)]));
}

export function mapSelects(sel: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(sel).every(([k, v]) => labels[k] === v);
}

interface Lookups {
  /** namespace → pod-bearing objects there (not those made by another object of the inventory, except pods read live). */
  workloads: Map<string, InventoryObject[]>;
  /** namespace → Services with a selector. */
  services: Map<string, InventoryObject[]>;
  /** namespace → HorizontalPodAutoscalers. */
  hpas: Map<string, InventoryObject[]>;
}

const lookups = new WeakMap<Inventory, Lookups>();

function push(m: Map<string, InventoryObject[]>, k: string, v: InventoryObject): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

function lookupsOf(inv: Inventory): Lookups {
  let l = lookups.get(inv);
  if (l) return l;
  l = { workloads: new Map(), services: new Map(), hpas: new Map() };
  for (const item of inv.objects) {
    const ns = inv.namespaceOf(item.object);
    if (ns === undefined) continue;
    if (isPodBearing(item.object)) push(l.workloads, ns, item);
    else if (item.object.kind === 'Service' && serviceSelector(item.object)) push(l.services, ns, item);
    else if (item.object.kind === 'HorizontalPodAutoscaler') push(l.hpas, ns, item);
  }
  lookups.set(inv, l);
  return l;
}

/** Pod-bearing objects of a namespace. */
export function workloadsIn(inv: Inventory, ns: string): readonly InventoryObject[] {
  return lookupsOf(inv).workloads.get(ns) ?? [];
}

interface ServiceIndex {
  /** pod-bearing object → Services of its namespace that select its pods. */
  servicesOf: Map<K8sObject, InventoryObject[]>;
  /** Service → pod-bearing objects of its namespace it selects. */
  podsOf: Map<K8sObject, InventoryObject[]>;
}

const serviceIndexes = new WeakMap<Inventory, ServiceIndex>();

/** Which Services select which workloads, computed once per inventory (namespace by namespace). */
function serviceIndexOf(inv: Inventory): ServiceIndex {
  let idx = serviceIndexes.get(inv);
  if (idx) return idx;
  idx = { servicesOf: new Map(), podsOf: new Map() };
  const l = lookupsOf(inv);
  for (const [ns, services] of l.services) {
    const workloads = l.workloads.get(ns) ?? [];
    for (const w of workloads) idx.servicesOf.set(w.object, []);
    for (const svc of services) {
      // looked up by one label pair (selectedBy), not every Service against every workload
      const selected = selectedBy(workloads, { matchLabels: serviceSelector(svc.object)! }, podLabelsOf);
      for (const w of selected) idx.servicesOf.get(w.object)!.push(svc);
      idx.podsOf.set(svc.object, selected);
    }
  }
  serviceIndexes.set(inv, idx);
  return idx;
}

/** Services of the object's namespace whose selector selects its pods. */
export function servicesSelecting(inv: Inventory, obj: K8sObject): InventoryObject[] {
  const found = serviceIndexOf(inv).servicesOf.get(obj);
  if (found) return found;
  // an object the index does not hold (not pod-bearing, or not from this inventory): compute it
  if (!isPodBearing(obj)) return [];
  const labels = podLabelsOf(obj);
  return (lookupsOf(inv).services.get(inv.namespaceOf(obj) ?? 'default') ?? []).filter((s) => mapSelects(serviceSelector(s.object)!, labels));
}

/** Pod-bearing objects of the Service's namespace its selector selects. */
export function podsOfService(inv: Inventory, svc: K8sObject): InventoryObject[] {
  return serviceIndexOf(inv).podsOf.get(svc) ?? [];
}

/** HorizontalPodAutoscalers of the object's namespace whose scaleTargetRef names it. */
export function hpasTargeting(inv: Inventory, obj: K8sObject): InventoryObject[] {
  const ns = inv.namespaceOf(obj) ?? 'default';
  let byNs = hpaTargets.get(inv);
  if (!byNs) hpaTargets.set(inv, (byNs = new Map()));
  let byTarget = byNs.get(ns);
  if (!byTarget) {
    // the autoscalers of the namespace by the kind and name they target, once (input order kept)
    byNs.set(ns, (byTarget = new Map()));
    for (const h of lookupsOf(inv).hpas.get(ns) ?? []) {
      const ref = record(specOf(h.object)['scaleTargetRef']);
      if (ref === undefined || typeof ref['kind'] !== 'string' || typeof ref['name'] !== 'string') continue;
      const key = `${ref['kind']}/${ref['name']}`;
      const list = byTarget.get(key);
      if (list) list.push(h);
      else byTarget.set(key, [h]);
    }
  }
  return typeof obj.metadata.name === 'string' ? [...(byTarget.get(`${obj.kind}/${obj.metadata.name}`) ?? [])] : [];
}
const hpaTargets = new WeakMap<Inventory, Map<string, Map<string, InventoryObject[]>>>();

/** An HPA's minReplicas (default 1). */
export function hpaMin(hpa: K8sObject): number {
  const m = specOf(hpa)['minReplicas'];
  return typeof m === 'number' && Number.isInteger(m) ? m : 1;
}

/** An HPA's maxReplicas (undefined when malformed). */
export function hpaMax(hpa: K8sObject): number | undefined {
  const m = specOf(hpa)['maxReplicas'];
  return typeof m === 'number' && Number.isInteger(m) ? m : undefined;
}

/**
 * The replicas a workload runs with at the least: the lowest minReplicas of the HPAs that
 * target it, else its declared replicas.
 */
export function leastReplicas(inv: Inventory, obj: K8sObject): number {
  const hpas = hpasTargeting(inv, obj);
  return hpas.length > 0 ? Math.min(...hpas.map((h) => hpaMin(h.object))) : declaredReplicas(obj);
}

/** PodDisruptionBudgets of the object's namespace that select its pods (policy/v1: an empty selector selects every pod). */
export function pdbsSelecting(inv: Inventory, obj: K8sObject): InventoryObject[] {
  const labels = podLabelsOf(obj);
  const ns = inv.namespaceOf(obj) ?? 'default';
  const pdbs = objectsIn(inv, 'PodDisruptionBudget', ns);
  if (pdbs.length < 8) return pdbs.filter((p) => pdbSelects(p.object, labels));
  // a namespace of thousands of budgets: only those keyed by one of the pod's label pairs, and
  // those without matchLabels, can select it (then every budget in input order, as above)
  return selectorCandidates(pdbs, (p) => specOf(p.object)['selector'], labels).filter((p) => pdbSelects(p.object, labels));
}

export function pdbSelects(pdb: K8sObject, labels: Record<string, string>): boolean {
  const sel = specOf(pdb)['selector'];
  if (sel === undefined || sel === null) return false;
  return compiledSelector(sel)(labels);
}

/**
 * The objects of `list` (one kind of one namespace, as objectsIn() and workloadsIn() give them)
 * whose pods the selector selects, in list order. A selector with `matchLabels` is only tried on
 * the objects whose pod labels hold its first pair.
 */
export function podsSelectedBy(list: readonly InventoryObject[], selector: unknown): InventoryObject[] {
  return selectedBy(list, selector, podLabelsOf);
}

/** An object's own labels (what a ServiceMonitor selects Services by). */
export function ownLabelsOf(obj: K8sObject): Record<string, string> {
  const labels = obj.metadata.labels;
  return labels && typeof labels === 'object' && !Array.isArray(labels) ? labels : {};
}

/**
 * The objects of `list` whose labels (`labelsOf`: podLabelsOf or ownLabelsOf) the selector
 * selects, in list order, through an index of the list by label pair (built once per list).
 */
export function selectedBy(list: readonly InventoryObject[], selector: unknown, labelsOf: (obj: K8sObject) => Record<string, string>): InventoryObject[] {
  const sel = record(selector);
  const match = record(sel?.['matchLabels']);
  const first = match ? Object.entries(match)[0] : undefined;
  const matcher = compiledSelector(selector);
  if (!first || list.length < 8) return list.filter((o) => matcher(labelsOf(o.object)));
  let byList = labelIndexes.get(labelsOf);
  if (!byList) labelIndexes.set(labelsOf, (byList = new WeakMap()));
  let byPair = byList.get(list);
  if (!byPair) {
    byList.set(list, (byPair = new Map()));
    for (const o of list) {
      for (const [k, v] of Object.entries(labelsOf(o.object))) {
        const key = pairKey(k, v);
        const bucket = byPair.get(key);
        if (bucket) bucket.push(o);
        else byPair.set(key, [o]);
      }
    }
  }
  return (byPair.get(pairKey(first[0], String(first[1]))) ?? []).filter((o) => matcher(labelsOf(o.object)));
}
const labelIndexes = new Map<(obj: K8sObject) => Record<string, string>, WeakMap<readonly InventoryObject[], Map<string, InventoryObject[]>>>();

function pairKey(k: string, v: unknown): string {
  return `${k}\u0000${typeof v === 'string' ? v : String(v)}`;
}

interface SelectorIndex {
  /** Objects by the first pair of their selector's matchLabels. */
  byPair: Map<string, InventoryObject[]>;
  /** Objects whose selector has no matchLabels (expressions only, empty, or malformed). */
  rest: InventoryObject[];
  /** Each object's place in the list (answers keep the list's order). */
  order: Map<InventoryObject, number>;
}
const selectorIndexes = new WeakMap<readonly InventoryObject[], SelectorIndex>();

/**
 * The objects of `list` (budgets, monitors: objects that carry a selector) that may select these
 * labels: those whose selector's first matchLabels pair is one of the labels, and those without
 * matchLabels; in list order. The caller applies the selectors themselves. `list` must be a
 * stable array (objectsIn(), byKind()): its index is kept with it.
 */
export function selectorCandidates(list: readonly InventoryObject[], selectorOf: (o: InventoryObject) => unknown, labels: Record<string, string>): InventoryObject[] {
  if (list.length < 8) return [...list];
  const index = selectorIndexOf(list, selectorOf);
  const candidates = new Set<InventoryObject>(index.rest);
  for (const [k, v] of Object.entries(labels)) for (const p of index.byPair.get(pairKey(k, v)) ?? []) candidates.add(p);
  return [...candidates].sort((a, b) => index.order.get(a)! - index.order.get(b)!);
}

/** The objects of `list` by the first matchLabels pair of their selector (once per list). */
function selectorIndexOf(list: readonly InventoryObject[], selectorOf: (o: InventoryObject) => unknown): SelectorIndex {
  let idx = selectorIndexes.get(list);
  if (idx) return idx;
  idx = { byPair: new Map(), rest: [], order: new Map(list.map((o, i) => [o, i])) };
  for (const o of list) {
    const match = record(record(selectorOf(o))?.['matchLabels']);
    const first = match ? Object.entries(match)[0] : undefined;
    if (!first) {
      idx.rest.push(o);
      continue;
    }
    const key = pairKey(first[0], String(first[1]));
    const bucket = idx.byPair.get(key);
    if (bucket) bucket.push(o);
    else idx.byPair.set(key, [o]);
  }
  selectorIndexes.set(list, idx);
  return idx;
}


/**
 * A PodDisruptionBudget of the workload's namespace that selects no pod at all and was evidently
 * written for this workload: it bears the workload's name, or its `matchLabels` (without
 * expressions) name keys of the workload's pod labels with exactly one value different (a typo,
 * or a label renamed on one side), where the other keys agree or, for a one-key selector, the
 * two values are at most two edits apart. One root cause: KOR-0703 reports the budget and names
 * the workload, KOR-0701 leaves the workload alone. Undefined when there is no such budget, or
 * when the namespace may hold pods the inputs do not show.
 */
export function brokenPdbFor(inv: Inventory, obj: K8sObject): InventoryObject | undefined {
  const ns = inv.namespaceOf(obj) ?? 'default';
  if (mayHoldUnseenPods(inv, ns)) return undefined;
  const labels = podLabelsOf(obj);
  for (const p of pdbsSelectingNothing(inv, ns)) {
    if (p.object.metadata.name !== undefined && p.object.metadata.name === obj.metadata.name) return p;
    const sel = record(specOf(p.object)['selector']);
    const match = record(sel?.['matchLabels']);
    if (!match || sel?.['matchExpressions'] !== undefined) continue;
    const keys = Object.keys(match);
    if (keys.length === 0 || !keys.every((k) => k in labels)) continue;
    const off = keys.filter((k) => String(match[k]) !== labels[k]);
    if (off.length !== 1) continue;
    // other keys agreeing are the evidence; a one-key selector needs the values themselves to be near (`apii`, `api`)
    if (keys.length >= 2 || editDistance(String(match[off[0]!]), labels[off[0]!]!) <= 2) return p;
  }
  return undefined;
}

const idlePdbs = new WeakMap<Inventory, Map<string, InventoryObject[]>>();

/** The PodDisruptionBudgets of a namespace that select none of its workloads' pods (once per namespace). */
function pdbsSelectingNothing(inv: Inventory, ns: string): InventoryObject[] {
  let byNs = idlePdbs.get(inv);
  if (!byNs) idlePdbs.set(inv, (byNs = new Map()));
  let out = byNs.get(ns);
  if (!out) {
    const workloads = workloadsIn(inv, ns);
    out = objectsIn(inv, 'PodDisruptionBudget', ns).filter((p) => {
      const sel = specOf(p.object)['selector'];
      return sel === undefined || sel === null || podsSelectedBy(workloads, sel).length === 0;
    });
    byNs.set(ns, out);
  }
  return out;
}

/** Levenshtein distance, for short label values. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The namespace may hold pods the inventory does not show as a template: custom resources
 * operators make pods for. Controls that conclude "no pod is selected" do not judge there.
 */
export function mayHoldUnseenPods(inv: Inventory, ns: string): boolean {
  return (operatorPodSources(inv).get(ns) ?? []).length > 0;
}

/**
 * Read from a live cluster: through the API, from a snapshot, or exported (`kubectl get -o yaml`,
 * which keeps the uid and resourceVersion the API server set).
 */
export function isLive(item: InventoryObject | undefined): boolean {
  const via = item?.origin.via;
  if (via === 'cluster' || via === 'snapshot') return true;
  const meta = item?.object.metadata;
  return meta !== undefined && typeof meta.uid === 'string' && meta.uid !== '' && typeof meta.resourceVersion === 'string' && meta.resourceVersion !== '';
}

const SUFFIX: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, Pi: 1024 ** 5, Ei: 1024 ** 6,
};

/** A Kubernetes resource quantity (`500m`, `1.5Gi`, `2e3`, 4) as a number, or undefined when malformed. */
export function parseQuantity(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\+?(\d+(?:\.\d*)?|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/.exec(v.trim());
  if (!m) return undefined;
  const n = Number(m[1]! + (m[2] ?? ''));
  return n * SUFFIX[m[3] ?? '']!;
}

/** A container resource as a number: `resources.<section>.<name>`, undefined when unset or malformed. */
export function resourceOf(resources: unknown, section: 'limits' | 'requests', name: string): number | undefined {
  const s = record(record(resources)?.[section]);
  return s ? parseQuantity(s[name]) : undefined;
}

/** The given value if it is a record, else undefined. */
export { record as asRecord };

const namesByKind = new WeakMap<Inventory, Map<string, Map<string, Set<string>>>>();

/**
 * Names of the objects of `kind` in namespace `ns`, or undefined when the inputs hold none there
 * (built once per inventory and kind: controls ask it once per workload).
 */
export function namesIn(inv: Inventory, kind: string, ns: string): ReadonlySet<string> | undefined {
  let byKind = namesByKind.get(inv);
  if (!byKind) namesByKind.set(inv, (byKind = new Map()));
  let byNs = byKind.get(kind);
  if (!byNs) {
    byNs = new Map();
    for (const o of inv.byKind(kind)) {
      const n = inv.namespaceOf(o.object);
      if (n === undefined) continue;
      let set = byNs.get(n);
      if (!set) byNs.set(n, (set = new Set()));
      set.add(o.object.metadata.name ?? '');
    }
    byKind.set(kind, byNs);
  }
  return byNs.get(ns);
}

/** Objects of `kind` in namespace `ns` (an index over byKind, built once per inventory and kind). */
export function objectsIn(inv: Inventory, kind: string, ns: string): readonly InventoryObject[] {
  let byKind = objectsByKind.get(inv);
  if (!byKind) objectsByKind.set(inv, (byKind = new Map()));
  let byNs = byKind.get(kind);
  if (!byNs) {
    byNs = new Map();
    for (const o of inv.byKind(kind)) {
      const n = inv.namespaceOf(o.object);
      if (n === undefined) continue;
      const list = byNs.get(n);
      if (list) list.push(o);
      else byNs.set(n, [o]);
    }
    byKind.set(kind, byNs);
  }
  return byNs.get(ns) ?? [];
}

const objectsByKind = new WeakMap<Inventory, Map<string, Map<string, InventoryObject[]>>>();
