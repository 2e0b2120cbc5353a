/**
 * The namespace of objects read from files that do not name one: the namespace the user
 * deploys them to (`--default-namespace`, as `kubectl apply -n` and `helm install -n` do).
 * Only kinds known to be namespaced get it: built-in namespaced kinds, and custom resources
 * whose CustomResourceDefinition in the input says `scope: Namespaced`. Cluster-scoped kinds
 * never get one; a custom resource whose CRD is not in the input is left as it is (its scope is
 * unknown) and a warning per kind says so.
 */
import type { InputProblem, K8sObject, Origin } from '../inventory/types.js';
import { CLUSTER_SCOPED_KINDS } from '../inventory/inventory.js';

/** API groups served by Kubernetes itself (their kinds' scope is known without a CRD). */
export function isBuiltinGroup(group: string): boolean {
  return group === '' || group === 'apps' || group === 'batch' || group === 'autoscaling' || group === 'policy' || group.endsWith('.k8s.io');
}

/** A valid namespace name (RFC 1123 label), or a usage problem. */
export function checkNamespaceName(ns: string): string | undefined {
  return /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns) && ns.length <= 63 ? undefined : `"${ns}" is not a valid namespace name (lowercase letters, digits and '-', at most 63 characters)`;
}

export function applyDefaultNamespace(objects: ReadonlyArray<{ object: K8sObject; origin: Origin }>, defaultNamespace: string): InputProblem[] {
  const crdScope = new Map<string, string>();
  for (const { object } of objects) {
    if (object.kind !== 'CustomResourceDefinition') continue;
    const spec = object['spec'] as { group?: unknown; scope?: unknown; names?: { kind?: unknown } } | undefined;
    if (typeof spec?.names?.kind === 'string' && typeof spec.scope === 'string') crdScope.set(`${String(spec.group ?? '')}/${spec.names.kind}`, spec.scope);
  }
  const unknown = new Map<string, { count: number; first: Origin }>();
  for (const { object, origin } of objects) {
    const meta = object.metadata;
    if (typeof meta.namespace === 'string' && meta.namespace !== '') continue;
    if (CLUSTER_SCOPED_KINDS.has(object.kind)) continue;
    const group = object.apiVersion.includes('/') ? object.apiVersion.slice(0, object.apiVersion.indexOf('/')) : '';
    const scope = crdScope.get(`${group}/${object.kind}`);
    if (scope === 'Cluster') continue;
    if (scope === undefined && !isBuiltinGroup(group)) {
      const key = `${object.kind} (${object.apiVersion})`;
      const u = unknown.get(key);
      if (u) u.count++;
      else unknown.set(key, { count: 1, first: origin });
      continue;
    }
    // `default` is what an unset namespace means already: nothing to write
    if (defaultNamespace !== 'default') meta.namespace = defaultNamespace;
  }
  const problems: InputProblem[] = [];
  // with the default namespace `default` nothing is written, so there is nothing to warn about
  if (defaultNamespace === 'default') return problems;
  for (const [key, u] of [...unknown].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    problems.push({
      source: u.first.source,
      line: u.first.line,
      code: 'unknown-scope',
      severity: 'warning',
      message: `${u.count === 1 ? 'a' : u.count} ${key} object${u.count === 1 ? '' : 's'} without metadata.namespace and no CustomResourceDefinition for the kind in the input: whether the kind is namespaced is unknown, so ${u.count === 1 ? 'it was' : 'they were'} not placed in namespace ${defaultNamespace} (add the CRD to the input to decide)`,
    });
  }
  return problems;
}
