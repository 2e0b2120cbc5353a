/**
 * The network view of an inventory: workloads (one per pod template, owned copies dropped),
 * their pod labels and container ports, and namespaces with their labels (including the
 * automatic `kubernetes.io/metadata.name`).
 */
import type { Inventory } from '../inventory/inventory.js';
import { containersOf, podMetadataOf, podSpecOf, type PodSpec } from '../inventory/podspec.js';
import type { InputProblem, InventoryObject } from '../inventory/types.js';
import { isProtocol, type Protocol } from './ports.js';
import type { Labels } from './selector.js';
import { namespaceShapeIssues, podShapeIssues, shapeProblem } from './shape.js';

/** Kinds whose pods we model. PodTemplate is not a running workload. */
export const WORKLOAD_KINDS: readonly string[] = ['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ReplicationController', 'Job', 'CronJob'];

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export interface ContainerPortInfo {
  container: string;
  name?: string;
  port: number;
  protocol: Protocol;
  hostPort?: number;
}

export interface Workload {
  /** Position in `NetworkModel.workloads` (sorted by display name). */
  index: number;
  item: InventoryObject;
  kind: string;
  namespace: string;
  name: string;
  /** `ns/name[Kind]`, np-guard's notation. */
  display: string;
  labels: Labels;
  annotations: Labels;
  podSpec: PodSpec;
  /** JSON pointer of the pod spec inside the object. */
  podSpecPointer: string;
  ports: ContainerPortInfo[];
  hostNetwork: boolean;
  /**
   * The pods run to completion and are gone (a Job, a CronJob, a bare Pod with restartPolicy
   * Never or OnFailure, or a Pod owned by a Job): no long-lived server to attack over the
   * network, though NetworkPolicy still decides what they may connect to while they run.
   */
  runsToCompletion: boolean;
}

export interface NetworkModel {
  inventory: Inventory;
  workloads: Workload[];
  byNamespace: Map<string, Workload[]>;
  /** Labels of every namespace known (declared, or holding an object). */
  namespaceLabels: Map<string, Labels>;
  namespaceObjects: Map<string, InventoryObject>;
  /** Objects left out because a field the model reads has the wrong type (also added to the inventory's problems). */
  problems: InputProblem[];
}

export function namespaceLabelsOf(inv: Inventory, problems: InputProblem[] = []): { labels: Map<string, Labels>; objects: Map<string, InventoryObject> } {
  const labels = new Map<string, Labels>();
  const objects = new Map<string, InventoryObject>();
  for (const ns of inv.namespaces()) labels.set(ns, { [NAMESPACE_NAME_LABEL]: ns });
  for (const item of inv.byKind('Namespace')) {
    const name = item.object.metadata.name;
    if (typeof name !== 'string' || !name) continue;
    if (!objects.has(name)) objects.set(name, item);
    const issues = namespaceShapeIssues(item.object);
    // a Namespace whose labels cannot be read keeps only its automatic name label
    if (issues.length) problems.push(shapeProblem(inv, item, issues, 'namespace selectors (only its name label is matched)'));
    labels.set(name, { ...(issues.length ? {} : stringRecord(item.object.metadata.labels)), [NAMESPACE_NAME_LABEL]: name });
  }
  return { labels, objects };
}

/** Objects whose pods are already represented by their owner in the inventory. */
function ownedByPresentController(item: InventoryObject, inv: Inventory): boolean {
  const ns = inv.namespaceOf(item.object);
  const refs = item.object.metadata.ownerReferences;
  if (!Array.isArray(refs)) return false;
  for (const ref of refs) {
    if (ref && typeof ref.kind === 'string' && typeof ref.name === 'string' && WORKLOAD_KINDS.includes(ref.kind) && inv.get(ref.kind, ns, ref.name)) return true;
  }
  return false;
}

export function buildNetworkModel(inv: Inventory): NetworkModel {
  const problems: InputProblem[] = [];
  const { labels: namespaceLabels, objects: namespaceObjects } = namespaceLabelsOf(inv, problems);
  const workloads: Workload[] = [];
  for (const kind of WORKLOAD_KINDS) {
    for (const item of inv.byKind(kind)) {
      if (ownedByPresentController(item, inv)) continue;
      const ref = podSpecOf(item.object);
      if (!ref) continue;
      const issues = podShapeIssues(ref.spec, ref.pointer, podMetadataOf(item.object), ref.metadataPointer);
      if (issues.length) {
        problems.push(shapeProblem(inv, item, issues, 'the network analysis and attack paths'));
        continue;
      }
      const namespace = inv.namespaceOf(item.object) ?? 'default';
      const name = item.object.metadata.name ?? item.object.metadata.generateName ?? '<unnamed>';
      const meta = podMetadataOf(item.object);
      const ports: ContainerPortInfo[] = [];
      for (const c of containersOf(ref)) {
        if (c.kind === 'ephemeralContainer') continue; // ephemeral containers may not declare ports
        for (const p of c.container.ports ?? []) {
          if (!p || typeof p.containerPort !== 'number') continue;
          const protocol = String(p.protocol ?? 'TCP').toUpperCase();
          if (!isProtocol(protocol)) continue;
          ports.push({
            container: c.container.name,
            ...(typeof p.name === 'string' && p.name ? { name: p.name } : {}),
            port: p.containerPort,
            protocol,
            ...(typeof p.hostPort === 'number' && p.hostPort > 0 ? { hostPort: p.hostPort } : {}),
          });
        }
      }
      workloads.push({
        index: 0,
        item,
        kind,
        namespace,
        name,
        display: `${namespace}/${name}[${kind}]`,
        labels: stringRecord(meta.labels),
        annotations: stringRecord(meta.annotations),
        podSpec: ref.spec,
        podSpecPointer: ref.pointer,
        ports,
        hostNetwork: ref.spec.hostNetwork === true,
        runsToCompletion: runsToCompletion(item, ref.spec),
      });
      if (!namespaceLabels.has(namespace)) namespaceLabels.set(namespace, { [NAMESPACE_NAME_LABEL]: namespace });
    }
  }
  workloads.sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : a.item.id < b.item.id ? -1 : 1));
  const byNamespace = new Map<string, Workload[]>();
  workloads.forEach((w, i) => {
    w.index = i;
    const list = byNamespace.get(w.namespace);
    if (list) list.push(w);
    else byNamespace.set(w.namespace, [w]);
  });
  for (const p of problems) inv.addProblem(p);
  return { inventory: inv, workloads, byNamespace, namespaceLabels, namespaceObjects, problems };
}

/** Jobs, CronJobs, and Pods that are not restarted (restartPolicy Never or OnFailure) or that a Job owns. */
export function runsToCompletion(item: InventoryObject, spec: PodSpec): boolean {
  const kind = item.object.kind;
  if (kind === 'Job' || kind === 'CronJob') return true;
  if (kind !== 'Pod') return false;
  if (spec.restartPolicy === 'Never' || spec.restartPolicy === 'OnFailure') return true;
  const refs = item.object.metadata.ownerReferences;
  return Array.isArray(refs) && refs.some((r) => r && (r.kind === 'Job' || r.kind === 'CronJob'));
}

function stringRecord(r: unknown): Labels {
  if (!r || typeof r !== 'object' || Array.isArray(r)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(r)) if (v !== undefined && v !== null) out[k] = String(v);
  return out;
}

const labelIndexes = new WeakMap<NetworkModel, Map<string, Map<string, Workload[]>>>();

export function labelKey(key: string, value: string): string {
  return `${key}\u0000${value}`;
}

/** The workloads of a namespace by `key=value` label, each list in workload order; built once per model and namespace. */
export function workloadsByLabel(model: NetworkModel, namespace: string): Map<string, Workload[]> {
  let byNamespace = labelIndexes.get(model);
  if (!byNamespace) labelIndexes.set(model, (byNamespace = new Map()));
  let index = byNamespace.get(namespace);
  if (!index) {
    index = new Map();
    for (const w of model.byNamespace.get(namespace) ?? []) {
      for (const [k, v] of Object.entries(w.labels)) {
        const key = labelKey(k, v);
        const list = index.get(key);
        if (list) list.push(w);
        else index.set(key, [w]);
      }
    }
    byNamespace.set(namespace, index);
  }
  return index;
}
