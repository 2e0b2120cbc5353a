/** Built-in ClusterRoles of the API server's bootstrap policy, for inventories read from files. */
import type { Inventory } from '../inventory/inventory.js';
import type { K8sObject } from '../inventory/types.js';
import { RbacIndex, rbacIndexOf } from './model.js';

/** Built-in ClusterRoles the API server creates; used when a binding references one the inventory lacks. */
export const BUILT_IN_ROLES: Record<string, Array<Record<string, string[]>>> = {
  'cluster-admin': [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }],
  admin: [
    { apiGroups: [''], resources: ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services', 'configmaps', 'persistentvolumeclaims', 'replicationcontrollers', 'serviceaccounts'], verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] },
    { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
    { apiGroups: ['apps'], resources: ['deployments', 'daemonsets', 'statefulsets', 'replicasets'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] },
    { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] },
    { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings', 'roles'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] },
  ],
  edit: [
    { apiGroups: [''], resources: ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services', 'configmaps', 'persistentvolumeclaims', 'replicationcontrollers', 'serviceaccounts'], verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] },
    { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
    { apiGroups: ['apps'], resources: ['deployments', 'daemonsets', 'statefulsets', 'replicasets'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] },
    { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] },
  ],
  view: [{ apiGroups: ['', 'apps', 'batch'], resources: ['pods', 'services', 'configmaps', 'deployments', 'daemonsets', 'statefulsets', 'replicasets', 'jobs', 'cronjobs'], verbs: ['get', 'list', 'watch'] }],
};

/**
 * The RBAC index, with built-in ClusterRoles the inventory references but lacks (a manifest repo
 * rarely holds them); they are cited as `built-in//<name>`. `only` limits which ones are added:
 * `cluster-admin` is exact; `admin`, `edit` and `view` carry the security-relevant part of the
 * bootstrap policy (the attack graph uses them), not every rule.
 */
export function rbacIndexWithBuiltIns(inv: Inventory, only?: readonly string[]): RbacIndex {
  const base = rbacIndexOf(inv);
  const wanted = (name: string): boolean => name in BUILT_IN_ROLES && (!only || only.includes(name));
  const missing = new Set(base.missingRoles.map((m) => m.role).filter((k) => k.startsWith('ClusterRole//') && wanted(k.slice('ClusterRole//'.length))));
  if (missing.size === 0) return base;
  const items = [...inv.byKind('ClusterRole'), ...inv.byKind('Role'), ...inv.byKind('ClusterRoleBinding'), ...inv.byKind('RoleBinding')];
  for (const key of [...missing].sort()) {
    const name = key.slice('ClusterRole//'.length);
    const object: K8sObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } }, rules: BUILT_IN_ROLES[name] };
    items.push({ id: `built-in//${name}`, object, origin: { source: 'built-in', documentIndex: 0, itemPointer: '', line: 1, column: 1 } });
  }
  return new RbacIndex(inv, items);
}
