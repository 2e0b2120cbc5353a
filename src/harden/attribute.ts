/**
 * Which workload an observation belongs to (docs/harden.md, "Attribution"), in this order:
 *
 * 1. the workload the tool names (Kubescape labels, Tetragon `workload`/`workload_kind`, Hubble
 *    `workloads`, Inspektor Gadget owner annotations), climbed to its top owner in the inventory;
 * 2. a Security Profiles Operator recording: its ProfileRecording's pod selector;
 * 3. the pod in the inventory, through its owner chain (Pod → ReplicaSet → Deployment, Pod → Job → CronJob);
 * 4. a pod that no longer exists, by its labels: `pod-template-hash` (with the pod name
 *    `<deployment>-<hash>-<suffix>`), else the workloads whose selector its labels satisfy;
 * 5. a pod that no longer exists, by the name its controller gives it (`<deployment>-<hash>-<x>`,
 *    `<statefulset>-<ordinal>`, `<daemonset|job>-<x>`, `<cronjob>-<time>-<x>`);
 * 6. otherwise the pod itself (kind Pod), said in the coverage notes.
 */
import type { Inventory } from '../inventory/inventory.js';
import type { InventoryObject } from '../inventory/types.js';
import type { NetworkModel, Workload } from '../network/model.js';
import type { SubjectRef } from '../sources/runtime/behaviour/model.js';

export interface WorkloadId {
  kind: string;
  namespace: string;
  name: string;
}

export interface Attribution {
  id: WorkloadId;
  /** The workload in the inventory's network model (absent: not in the inventory). */
  workload?: Workload;
  how: 'named' | 'recording' | 'pod-owner' | 'pod-template-hash' | 'labels' | 'pod-name' | 'unattributed';
  /** Why it could not be attributed better (ambiguous selectors, …). */
  note?: string;
}

export function idKey(id: WorkloadId): string {
  return `${id.namespace}/${id.name}[${id.kind}]`;
}

export class Attributor {
  private readonly byKey = new Map<string, Workload>();
  private readonly cache = new Map<string, Attribution>();

  constructor(
    private readonly inv: Inventory,
    private readonly model: NetworkModel,
    private readonly recordings: ReadonlyMap<string, Record<string, string>>,
  ) {
    for (const w of model.workloads) this.byKey.set(`${w.kind}/${w.namespace}/${w.name}`, w);
  }

  attribute(ref: SubjectRef): Attribution {
    const key = JSON.stringify([ref.namespace, ref.pod, ref.workload, ref.recording, ref.selector, ref.labels]);
    let a = this.cache.get(key);
    if (!a) this.cache.set(key, (a = this.compute(ref)));
    return a;
  }

  private found(w: Workload, how: Attribution['how']): Attribution {
    return { id: { kind: w.kind, namespace: w.namespace, name: w.name }, workload: w, how };
  }

  private compute(ref: SubjectRef): Attribution {
    const ns = ref.namespace;
    if (ref.workload) {
      const w = this.topOf(ref.workload.kind, ns, ref.workload.name);
      if (w) return this.found(w, 'named');
      // a ReplicaSet the tool names, whose Deployment is in the inventory
      if (ref.workload.kind === 'ReplicaSet') {
        const d = this.byKey.get(`Deployment/${ns}/${ref.workload.name.replace(/-[a-z0-9]{6,10}$/, '')}`);
        if (d) return this.found(d, 'named');
      }
    }
    if (ref.recording) {
      const sel = this.recordings.get(`${ns}/${ref.recording}`);
      if (sel) {
        const hits = this.selectedBy(ns, sel);
        if (hits.length === 1) return this.found(hits[0]!, 'recording');
        if (hits.length > 1) return this.unattributed(ref, `its ProfileRecording ${ref.recording} selects ${hits.length} workloads (${hits.map((h) => h.display).join(', ')})`);
      }
    }
    if (ref.pod) {
      const pod = this.inv.get('Pod', ns, ref.pod);
      if (pod) {
        const w = this.climb(pod);
        if (w) return this.found(w, 'pod-owner');
      }
    }
    const labels = ref.labels;
    if (labels) {
      const hash = labels['pod-template-hash'];
      if (hash) {
        for (const w of this.model.byNamespace.get(ns) ?? []) {
          if (w.kind !== 'Deployment') continue;
          if ((ref.pod && ref.pod.startsWith(`${w.name}-${hash}-`)) || (selectorOf(w) && matches(selectorOf(w)!, labels))) return this.found(w, 'pod-template-hash');
        }
      }
      const hits = (this.model.byNamespace.get(ns) ?? []).filter((w) => w.kind !== 'Pod' && selectorOf(w) && matches(selectorOf(w)!, labels));
      if (hits.length === 1) return this.found(hits[0]!, 'labels');
      if (hits.length > 1) {
        const byName = ref.pod ? this.byPodName(ns, ref.pod, hits) : undefined;
        if (byName) return this.found(byName, 'labels');
        return this.unattributed(ref, `its labels satisfy the selectors of ${hits.length} workloads (${hits.map((h) => h.display).join(', ')})`);
      }
    }
    if (ref.selector) {
      const hits = this.selectedBy(ns, ref.selector);
      if (hits.length === 1) return this.found(hits[0]!, 'labels');
      if (hits.length > 1) return this.unattributed(ref, `the selector selects ${hits.length} workloads`);
    }
    if (ref.pod) {
      const w = this.byPodName(ns, ref.pod, this.model.byNamespace.get(ns) ?? []);
      if (w) return this.found(w, 'pod-name');
    }
    return this.unattributed(ref);
  }

  private unattributed(ref: SubjectRef, note?: string): Attribution {
    if (ref.workload) return { id: { kind: ref.workload.kind, namespace: ref.namespace, name: ref.workload.name }, how: 'unattributed', note: note ?? 'the workload the tool names is not in the inventory' };
    if (ref.pod && !ref.recording) {
      const pod = this.inv.get('Pod', ref.namespace, ref.pod);
      const w = pod ? this.byKey.get(`Pod/${ref.namespace}/${ref.pod}`) : undefined;
      if (w) return this.found(w, 'pod-owner');
      return { id: { kind: 'Pod', namespace: ref.namespace, name: ref.pod }, how: 'unattributed', note: note ?? 'neither the pod nor a workload it belongs to is in the inventory' };
    }
    const sel = ref.selector ?? ref.labels ?? {};
    const name = ref.recording ? `recording:${ref.recording}` : `selector:${Object.entries(sel).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join(',')}`;
    return { id: { kind: 'Pods', namespace: ref.namespace, name }, how: 'unattributed', note: note ?? 'no workload in the inventory matches' };
  }

  /** Model workloads whose pod template labels satisfy `sel`. */
  private selectedBy(ns: string, sel: Record<string, string>): Workload[] {
    return (this.model.byNamespace.get(ns) ?? []).filter((w) => matches(sel, w.labels));
  }

  /** The workload whose controller would name a pod so; the longest name wins. */
  private byPodName(ns: string, pod: string, among: readonly Workload[]): Workload | undefined {
    let best: Workload | undefined;
    for (const w of among) {
      if (!pod.startsWith(`${w.name}-`)) continue;
      const rest = pod.slice(w.name.length + 1);
      const ok =
        (w.kind === 'Deployment' && /^[a-z0-9]{6,10}-[a-z0-9]{5}$/.test(rest)) ||
        (w.kind === 'StatefulSet' && /^\d+$/.test(rest)) ||
        ((w.kind === 'DaemonSet' || w.kind === 'Job' || w.kind === 'ReplicaSet' || w.kind === 'ReplicationController') && /^[a-z0-9]{5}$/.test(rest)) ||
        (w.kind === 'CronJob' && /^\d+-[a-z0-9]{5}$/.test(rest));
      if (ok && (!best || w.name.length > best.name.length)) best = w;
    }
    return best;
  }

  /** The model workload an object is, or is owned by (through owners present in the inventory). */
  private climb(item: InventoryObject): Workload | undefined {
    let cur: InventoryObject = item;
    for (let guard = 0; guard < 8; guard++) {
      const w = this.byKey.get(`${cur.object.kind}/${this.inv.namespaceOf(cur.object) ?? ''}/${cur.object.metadata.name ?? ''}`);
      if (w) return w;
      const refs = cur.object.metadata.ownerReferences;
      const ref = Array.isArray(refs) ? (refs.find((r) => r && r.controller === true) ?? refs[0]) : undefined;
      if (!ref || typeof ref.kind !== 'string' || typeof ref.name !== 'string') return undefined;
      const ns = this.inv.namespaceOf(cur.object);
      const owner = this.inv.get(ref.kind, ns, ref.name);
      if (!owner) {
        // a ReplicaSet gone (or not read) whose Deployment is here
        if (ref.kind === 'ReplicaSet') return this.byKey.get(`Deployment/${ns ?? ''}/${ref.name.replace(/-[a-z0-9]{6,10}$/, '')}`);
        return this.byKey.get(`${ref.kind}/${ns ?? ''}/${ref.name}`);
      }
      cur = owner;
    }
    return undefined;
  }

  private topOf(kind: string, ns: string, name: string): Workload | undefined {
    const direct = this.byKey.get(`${kind}/${ns}/${name}`);
    if (direct) return direct;
    const item = this.inv.get(kind, ns, name);
    return item ? this.climb(item) : undefined;
  }
}

/** The workload's pod selector (matchLabels only), when it has one. */
export function selectorOf(w: Workload): Record<string, string> | undefined {
  const spec = w.item.object.spec as { selector?: { matchLabels?: Record<string, string> } | Record<string, string> } | undefined;
  const sel = spec?.selector;
  if (!sel || typeof sel !== 'object') return undefined;
  if (w.kind === 'ReplicationController') return Object.keys(sel).length ? (sel as Record<string, string>) : undefined;
  const ml = (sel as { matchLabels?: Record<string, string> }).matchLabels;
  return ml && typeof ml === 'object' && Object.keys(ml).length ? ml : undefined;
}

export function matches(sel: Record<string, string>, labels: Record<string, string>): boolean {
  const keys = Object.keys(sel);
  if (keys.length === 0) return false;
  for (const k of keys) if (labels[k] !== sel[k]) return false;
  return true;
}
