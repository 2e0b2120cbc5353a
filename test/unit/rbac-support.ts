/** Test helpers for the RBAC engine: inventories from YAML text, short rule and binding builders. */
import { parseManifestText } from '../../src/sources/manifests/parse.js';
import { Inventory } from '../../src/inventory/inventory.js';
import { RbacIndex, type IndexOptions } from '../../src/rbac/model.js';

export function inventoryFromYaml(text: string): Inventory {
  const parsed = parseManifestText('test.yaml', text);
  if (parsed.problems.length) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
  return new Inventory(parsed.objects, parsed.problems);
}

export function indexFromYaml(text: string, opts?: IndexOptions): RbacIndex {
  return RbacIndex.fromInventory(inventoryFromYaml(text), opts);
}

/** A ClusterRole with the given rules (JSON-ish flow YAML). */
export function clusterRole(name: string, rules: string, extra = ''): string {
  return `---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: ${name}${extra}}\nrules: ${rules}\n`;
}

export function role(namespace: string, name: string, rules: string): string {
  return `---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: ${name}, namespace: ${namespace}}\nrules: ${rules}\n`;
}

export function clusterRoleBinding(name: string, roleName: string, subjects: string): string {
  return `---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: ${name}}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${roleName}}\nsubjects: ${subjects}\n`;
}

export function roleBinding(namespace: string, name: string, roleKind: 'Role' | 'ClusterRole', roleName: string, subjects: string): string {
  return `---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: ${name}, namespace: ${namespace}}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ${roleKind}, name: ${roleName}}\nsubjects: ${subjects}\n`;
}

export const ALICE = '[{kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}]';
