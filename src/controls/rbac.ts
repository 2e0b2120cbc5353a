/**
 * RBAC controls (KOR-0200..0299): risky grants judged by the RBAC engine in src/rbac/ on the
 * effective permissions bindings give (aggregation resolved, roles looked up, scope applied).
 */
import type { Control } from '../engine/types.js';
import rbacEffectiveClusterAdmin from './cluster/rbac-effective-cluster-admin.js';
import rbacSecretsReadClusterWide from './cluster/rbac-secrets-read-cluster-wide.js';
import rbacSecretsReadNamespaced from './cluster/rbac-secrets-read-namespaced.js';
import rbacSecretsWriteKubeSystem from './cluster/rbac-secrets-write-kube-system.js';
import rbacServiceaccountTokenCreate from './cluster/rbac-serviceaccount-token-create.js';
import rbacImpersonate from './cluster/rbac-impersonate.js';
import rbacBindEscalate from './cluster/rbac-bind-escalate.js';
import rbacRoleBindingWrite from './cluster/rbac-role-binding-write.js';
import rbacWorkloadCreate from './cluster/rbac-workload-create.js';
import rbacPodUpdate from './cluster/rbac-pod-update.js';
import rbacPodExec from './cluster/rbac-pod-exec.js';
import rbacPodEphemeralContainers from './cluster/rbac-pod-ephemeral-containers.js';
import rbacPodPortForward from './cluster/rbac-pod-port-forward.js';
import rbacNodesProxy from './cluster/rbac-nodes-proxy.js';
import rbacCsrApprove from './cluster/rbac-csr-approve.js';
import rbacAdmissionConfigWrite from './cluster/rbac-admission-config-write.js';
import rbacCrdWrite from './cluster/rbac-crd-write.js';
import rbacStatusWrite from './cluster/rbac-status-write.js';
import rbacPersistentVolumeCreate from './cluster/rbac-persistent-volume-create.js';
import rbacNodeDisruption from './cluster/rbac-node-disruption.js';
import rbacAnonymousBinding from './cluster/rbac-anonymous-binding.js';
import rbacAllAuthenticatedBinding from './cluster/rbac-all-authenticated-binding.js';
import rbacEffectiveWildcard from './cluster/rbac-effective-wildcard.js';
import rbacDefaultServiceAccountBound from './cluster/rbac-default-service-account-bound.js';
import rbacCloudIdentityServiceAccount from './cluster/rbac-cloud-identity-service-account.js';
import rbacSystemMastersBinding from './cluster/rbac-system-masters-binding.js';
import rbacEventsDelete from './cluster/rbac-events-delete.js';
import rbacKubeSystemConfigmapsWrite from './cluster/rbac-kube-system-configmaps-write.js';
import rbacNamespaceOrVolumeDelete from './cluster/rbac-namespace-or-volume-delete.js';
import rbacNetworkPolicyWrite from './cluster/rbac-network-policy-write.js';
import rbacNamespaceWrite from './cluster/rbac-namespace-write.js';
import rbacPodServiceProxy from './cluster/rbac-pod-service-proxy.js';
import rbacEndpointsWrite from './cluster/rbac-endpoints-write.js';
import rbacApiserviceWrite from './cluster/rbac-apiservice-write.js';
import rbacNodeCreateDelete from './cluster/rbac-node-create-delete.js';
import rbacKubeSystemLeasesWrite from './cluster/rbac-kube-system-leases-write.js';
import rbacPriorityClassWrite from './cluster/rbac-priority-class-write.js';
import rbacRuntimeClassWrite from './cluster/rbac-runtime-class-write.js';
import rbacPodLogsReadClusterWide from './cluster/rbac-pod-logs-read-cluster-wide.js';
import rbacApiPriorityWrite from './cluster/rbac-api-priority-write.js';
import rbacPolicyEngineWrite from './cluster/rbac-policy-engine-write.js';

export const rbacControls: readonly Control[] = [
  rbacEffectiveClusterAdmin,
  rbacSecretsReadClusterWide,
  rbacSecretsReadNamespaced,
  rbacSecretsWriteKubeSystem,
  rbacServiceaccountTokenCreate,
  rbacImpersonate,
  rbacBindEscalate,
  rbacRoleBindingWrite,
  rbacWorkloadCreate,
  rbacPodUpdate,
  rbacPodExec,
  rbacPodEphemeralContainers,
  rbacPodPortForward,
  rbacNodesProxy,
  rbacCsrApprove,
  rbacAdmissionConfigWrite,
  rbacCrdWrite,
  rbacStatusWrite,
  rbacPersistentVolumeCreate,
  rbacNodeDisruption,
  rbacAnonymousBinding,
  rbacAllAuthenticatedBinding,
  rbacEffectiveWildcard,
  rbacDefaultServiceAccountBound,
  rbacCloudIdentityServiceAccount,
  rbacSystemMastersBinding,
  rbacEventsDelete,
  rbacKubeSystemConfigmapsWrite,
  rbacNamespaceOrVolumeDelete,
  rbacNetworkPolicyWrite,
  rbacNamespaceWrite,
  rbacPodServiceProxy,
  rbacEndpointsWrite,
  rbacApiserviceWrite,
  rbacNodeCreateDelete,
  rbacKubeSystemLeasesWrite,
  rbacPriorityClassWrite,
  rbacRuntimeClassWrite,
  rbacPodLogsReadClusterWide,
  rbacApiPriorityWrite,
  rbacPolicyEngineWrite,
];
