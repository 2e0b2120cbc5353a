/**
 * Pods an operator will create from a custom resource in the input (a Prometheus, an
 * Alertmanager, an Argo Rollout, ...): the manifests hold the custom resource, not the pods, so
 * a NetworkPolicy written for those pods selects nothing in the input and still protects them in
 * the cluster. Their labels are not known for sure; the candidates are the custom resource's own
 * labels and every label map of a pod template inside its spec (`podMetadata.labels`,
 * `template.metadata.labels`, `podLabels`, ...), which operators put on the pods they make.
 */
import type { Inventory } from '../inventory/inventory.js';
import type { InventoryObject } from '../inventory/types.js';
import type { Labels } from './selector.js';

export interface OperatorPods {
  /** The custom resource the pods would come from. */
  item: InventoryObject;
  labels: Labels;
}

/** API groups served by Kubernetes itself (no dot, or under k8s.io), whose objects an operator does not turn into pods. */
function isCustomResource(apiVersion: unknown): boolean {
  if (typeof apiVersion !== 'string' || !apiVersion.includes('/')) return false;
  const group = apiVersion.slice(0, apiVersion.indexOf('/'));
  return group.includes('.') && !group.endsWith('.k8s.io') && group !== 'k8s.io';
}

function stringLabels(v: unknown): Labels | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null || typeof x === 'object') return undefined;
    out[k] = String(x);
  }
  return Object.keys(out).length ? out : undefined;
}

const POD_LABEL_KEYS = new Set(['labels', 'podLabels']);

/** Label maps under a custom resource's spec that look like pod labels (bounded depth). */
function templateLabels(v: unknown, depth: number, out: Labels[]): void {
  if (depth > 8 || !v || typeof v !== 'object') return;
  if (Array.isArray(v)) {
    for (const x of v) templateLabels(x, depth + 1, out);
    return;
  }
  for (const [k, x] of Object.entries(v)) {
    if (k === 'selector' || k === 'matchLabels' || k === 'nodeSelector') continue; // selectors choose pods, they do not label them
    if (POD_LABEL_KEYS.has(k)) {
      const l = stringLabels(x);
      if (l) out.push(l);
      continue;
    }
    templateLabels(x, depth + 1, out);
  }
}

const cache = new WeakMap<Inventory, Map<string, OperatorPods[]>>();

/** Candidate labels of operator-made pods, by namespace. */
export function operatorPodsByNamespace(inv: Inventory): Map<string, OperatorPods[]> {
  const hit = cache.get(inv);
  if (hit) return hit;
  const out = new Map<string, OperatorPods[]>();
  for (const item of inv.objects) {
    if (!isCustomResource(item.object.apiVersion) || item.object.kind === 'CustomResourceDefinition') continue;
    const ns = inv.namespaceOf(item.object);
    if (ns === undefined) continue;
    const sets: Labels[] = [];
    const own = stringLabels(item.object.metadata.labels);
    if (own) sets.push(own);
    templateLabels(item.object['spec'], 0, sets);
    if (sets.length === 0) continue;
    const list = out.get(ns) ?? [];
    for (const labels of sets) list.push({ item, labels });
    out.set(ns, list);
  }
  cache.set(inv, out);
  return out;
}
