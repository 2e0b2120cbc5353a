/**
 * Built-in RBAC objects: the API server's bootstrap policy for a target Kubernetes version
 * (src/rbac/bootstrap/, generated from a real kube-apiserver), added to what an input lacks.
 *
 * One rule for every command and control: a binding to a role that the input does not define
 * resolves to the bootstrap role of that name (`cluster-admin`, `admin`, `edit`, `view`,
 * `system:*`, the kube-system Roles such as `extension-apiserver-authentication-reader`), with its
 * full rules and aggregation (so ClusterRoles in the input labelled
 * `rbac.authorization.k8s.io/aggregate-to-edit` extend the built-in `edit`, as on a cluster).
 * Objects the input defines always win. Bootstrap *bindings* (system:masters is separate; e.g.
 * `system:basic-user`, `system:discovery`, `system:public-info-viewer` for all authenticated
 * users, the `system:controller:*` service accounts in kube-system) are added on request: the
 * questions about subjects (`rbac who-can`, `can`, `escalations`) take them, since a cluster
 * grants them to everyone; the controls skip bootstrap bindings anyway.
 *
 * Assumed objects carry the origin source `built-in` and the bootstrapping label; a ClusterRole
 * has the id `built-in//<name>`, other kinds `built-in:<Kind>/<namespace>/<name>`.
 */
import type { Inventory } from '../inventory/inventory.js';
import { apiGroupOf } from '../inventory/inventory.js';
import type { InventoryObject, K8sObject } from '../inventory/types.js';
import { kubeMinorOf, shippedVersionFor, type ChosenVersion } from './bootstrap/index.js';

export const BUILT_IN_SOURCE = 'built-in';

export interface BuiltInOptions {
  /** Target Kubernetes version (`v1.35`, `1.35`, `v1.35.4`); default: the inventory's target, else the newest shipped. */
  kubeVersion?: string;
  /** Also add the bootstrap bindings the input lacks (default false). */
  bindings?: boolean;
}

/** Was this object assumed from the bootstrap policy (not read from the input)? */
export function isBuiltIn(item: InventoryObject | undefined): boolean {
  return item?.origin.source === BUILT_IN_SOURCE;
}

const TARGET = new WeakMap<Inventory, string>();

/**
 * Sets the Kubernetes version whose bootstrap policy an inventory's missing roles resolve to
 * (what `--kube-version` says); the controls read it through `rbacIndexOf`.
 */
export function setTargetKubernetesVersion(inv: Inventory, version: string | undefined): void {
  if (version === undefined) TARGET.delete(inv);
  else TARGET.set(inv, version);
}

/**
 * Sets the target version from what the inputs say: the user's `--kube-version` first, else the
 * version of the server the objects were read from (a cluster read or a snapshot); neither (or
 * a version that is not Kubernetes 1.x) leaves the newest shipped policy.
 */
export function targetVersionFromInputs(inv: Inventory, explicit: string | undefined, server?: { gitVersion?: string; minor?: string }): void {
  const serverVersion = server?.gitVersion ?? (server?.minor ? `v1.${server.minor.replace(/\D+$/, '')}` : undefined);
  const v = [explicit, serverVersion].find((x) => x !== undefined && kubeMinorOf(x) !== undefined);
  if (v !== undefined) setTargetKubernetesVersion(inv, v);
}

/** The Kubernetes version the inputs name for this inventory (`--kube-version`, else the server's), if any. */
export function namedKubernetesVersion(inv: Inventory): string | undefined {
  return TARGET.get(inv);
}

export function targetKubernetesVersion(inv: Inventory, explicit?: string): ChosenVersion {
  return shippedVersionFor(explicit ?? TARGET.get(inv));
}

function builtInId(o: K8sObject): string {
  return o.kind === 'ClusterRole' ? `built-in//${o.metadata.name}` : `built-in:${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

const ITEMS = new WeakMap<object, Map<string, InventoryObject>>();

/** One InventoryObject per bootstrap object and version (shared by every index). */
function itemOf(chosen: ChosenVersion, o: K8sObject): InventoryObject {
  let m = ITEMS.get(chosen.data);
  if (!m) ITEMS.set(chosen.data, (m = new Map()));
  const id = builtInId(o);
  let item = m.get(id);
  if (!item) m.set(id, (item = { id, object: o, origin: { source: BUILT_IN_SOURCE, documentIndex: 0, itemPointer: '', line: 0, column: 0 } }));
  return item;
}

/** The bootstrap RBAC objects an inventory lacks (roles always; bindings when asked), for a target version. */
export function builtInRbacItems(inv: Inventory, opts: BuiltInOptions = {}): { items: InventoryObject[]; version: ChosenVersion } {
  const version = targetKubernetesVersion(inv, opts.kubeVersion);
  // Roles matter only through bindings: an input without any needs none (scans of plain workloads stay cheap).
  if (!opts.bindings && inv.byKind('RoleBinding').length === 0 && inv.byKind('ClusterRoleBinding').length === 0) return { items: [], version };
  const present = new Set<string>();
  for (const kind of ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']) {
    for (const i of inv.byKind(kind)) {
      if (apiGroupOf(i.object.apiVersion) !== 'rbac.authorization.k8s.io') continue;
      const ns = kind === 'Role' || kind === 'RoleBinding' ? i.object.metadata.namespace || 'default' : '';
      present.add(`${kind}/${ns}/${i.object.metadata.name}`);
    }
  }
  const items: InventoryObject[] = [];
  for (const o of version.data.objects) {
    if (!opts.bindings && (o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding')) continue;
    if (present.has(`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)) continue;
    items.push(itemOf(version, o as unknown as K8sObject));
  }
  return { items, version };
}
