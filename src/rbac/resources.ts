/**
 * Built-in resources: their API group and whether they live in namespaces. Used to read
 * kubectl-style resource arguments (`deployments` → group `apps`) without a discovery call,
 * and to know that a RoleBinding can never grant a cluster-scoped resource.
 */

interface BuiltinResource {
  group: string;
  namespaced: boolean;
}

const TABLE: Array<[group: string, namespaced: string[], clusterScoped: string[]]> = [
  ['', ['pods', 'services', 'endpoints', 'configmaps', 'secrets', 'serviceaccounts', 'persistentvolumeclaims', 'replicationcontrollers', 'events', 'limitranges', 'resourcequotas', 'podtemplates', 'bindings'], ['nodes', 'namespaces', 'persistentvolumes', 'componentstatuses']],
  ['apps', ['deployments', 'replicasets', 'statefulsets', 'daemonsets', 'controllerrevisions'], []],
  ['batch', ['jobs', 'cronjobs'], []],
  ['autoscaling', ['horizontalpodautoscalers'], []],
  ['policy', ['poddisruptionbudgets'], []],
  ['networking.k8s.io', ['networkpolicies', 'ingresses'], ['ingressclasses', 'ipaddresses', 'servicecidrs']],
  ['discovery.k8s.io', ['endpointslices'], []],
  ['rbac.authorization.k8s.io', ['roles', 'rolebindings'], ['clusterroles', 'clusterrolebindings']],
  ['storage.k8s.io', ['csistoragecapacities'], ['storageclasses', 'csidrivers', 'csinodes', 'volumeattachments', 'volumeattributesclasses']],
  ['certificates.k8s.io', [], ['certificatesigningrequests', 'clustertrustbundles']],
  ['admissionregistration.k8s.io', [], ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings']],
  ['apiextensions.k8s.io', [], ['customresourcedefinitions']],
  ['apiregistration.k8s.io', [], ['apiservices']],
  ['coordination.k8s.io', ['leases'], []],
  ['scheduling.k8s.io', [], ['priorityclasses']],
  ['node.k8s.io', [], ['runtimeclasses']],
  ['flowcontrol.apiserver.k8s.io', [], ['flowschemas', 'prioritylevelconfigurations']],
  ['authentication.k8s.io', [], ['tokenreviews', 'selfsubjectreviews']],
  ['authorization.k8s.io', ['localsubjectaccessreviews'], ['subjectaccessreviews', 'selfsubjectaccessreviews', 'selfsubjectrulesreviews']],
  ['resource.k8s.io', ['resourceclaims', 'resourceclaimtemplates'], ['deviceclasses', 'resourceslices']],
  ['events.k8s.io', ['events'], []],
];

const BY_NAME = new Map<string, BuiltinResource>();
const BY_GROUP_AND_NAME = new Map<string, BuiltinResource>();
for (const [group, namespaced, clusterScoped] of TABLE) {
  for (const [list, ns] of [[namespaced, true], [clusterScoped, false]] as const) {
    for (const r of list) {
      // The core group wins for names that exist twice (`events`).
      if (!BY_NAME.has(r)) BY_NAME.set(r, { group, namespaced: ns });
      BY_GROUP_AND_NAME.set(`${group}/${r}`, { group, namespaced: ns });
    }
  }
}

/** Is a resource (of a group) namespaced? Unknown resources are assumed namespaced. */
export function isNamespacedResource(group: string, resource: string): boolean {
  return BY_GROUP_AND_NAME.get(`${group}/${resource}`)?.namespaced ?? true;
}

export interface ResourceArgument {
  resource: string;
  apiGroup: string;
  subresource: string;
}

/**
 * Reads a kubectl-style resource: `pods`, `pods/log`, `deployments.apps`,
 * `deployments.apps/scale`, `certificatesigningrequests.certificates.k8s.io/approval`.
 * A bare built-in name gets its group from the table (`deployments` → `apps`); other bare
 * names are read as core-group resources.
 */
export function parseResourceArgument(arg: string): ResourceArgument {
  const slash = arg.indexOf('/');
  const left = slash === -1 ? arg : arg.slice(0, slash);
  const subresource = slash === -1 ? '' : arg.slice(slash + 1);
  const dot = left.indexOf('.');
  if (dot !== -1) return { resource: left.slice(0, dot), apiGroup: left.slice(dot + 1), subresource };
  return { resource: left, apiGroup: BY_NAME.get(left)?.group ?? '', subresource };
}

/** Workload kinds that create pods, as RBAC resources. */
export const POD_CONTROLLER_RESOURCES: ReadonlyArray<{ apiGroup: string; resource: string }> = [
  { apiGroup: '', resource: 'pods' },
  { apiGroup: '', resource: 'replicationcontrollers' },
  { apiGroup: 'apps', resource: 'deployments' },
  { apiGroup: 'apps', resource: 'replicasets' },
  { apiGroup: 'apps', resource: 'statefulsets' },
  { apiGroup: 'apps', resource: 'daemonsets' },
  { apiGroup: 'batch', resource: 'jobs' },
  { apiGroup: 'batch', resource: 'cronjobs' },
];
