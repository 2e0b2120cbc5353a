/**
 * NSA-CISA, CIS 5.x and other workload, network and code controls (ids KOR-0100..KOR-0199).
 * CEL expressions of pod-spec and container controls are written over a Pod (`object.spec`):
 * an admission policy on Pods sees the pods of every workload kind.
 */
import type { Control } from '../engine/types.js';
import imageMutableTag from './container/image-mutable-tag.js';
import hostNetworkMetadataAccess from './cloud/host-network-metadata-access.js';
import cloudCredentialsHostPath from './cloud/cloud-credentials-host-path.js';
import workloadCloudIdentity from './cloud/workload-cloud-identity.js';
import nodeExternalAddress from './cloud/node-external-address.js';
import containerCpuLimitMissing from './container/container-cpu-limit-missing.js';
import containerMemoryLimitMissing from './container/container-memory-limit-missing.js';
import containerCpuRequestMissing from './container/container-cpu-request-missing.js';
import containerMemoryRequestMissing from './container/container-memory-request-missing.js';
import namespaceWithoutLimitRange from './cluster/namespace-without-limit-range.js';
import namespaceWithoutResourceQuota from './cluster/namespace-without-resource-quota.js';
import rootFilesystemWritable from './container/root-filesystem-writable.js';
import serviceAccountTokenAutomounted from './container/service-account-token-automounted.js';
import serviceAccountAutomountEnabled from './cluster/service-account-automount-enabled.js';
import defaultServiceAccountUsed from './container/default-service-account-used.js';
import imageNotPinnedByDigest from './container/image-not-pinned-by-digest.js';
import imageRegistryImplicit from './container/image-registry-implicit.js';
import imagePullPolicyNotAlways from './container/image-pull-policy-not-always.js';
import defaultNamespaceUsed from './cluster/default-namespace-used.js';
import workloadInSystemNamespace from './cluster/workload-in-system-namespace.js';
import runAsRootGroup from './container/run-as-root-group.js';
import fsGroupRoot from './container/fs-group-root.js';
import livenessProbeMissing from './container/liveness-probe-missing.js';
import readinessProbeMissing from './container/readiness-probe-missing.js';
import hostPathWritable from './container/host-path-writable.js';
import containerRuntimeSocketMounted from './container/container-runtime-socket-mounted.js';
import sensitiveHostPathMounted from './container/sensitive-host-path-mounted.js';
import hostLogPathMounted from './container/host-log-path-mounted.js';
import hostNetworkPortsExposed from './container/host-network-ports-exposed.js';
import dangerousCapabilitiesAdded from './container/dangerous-capabilities-added.js';
import secretInEnvVar from './container/secret-in-env-var.js';
import credentialInEnvValue from './code/credential-in-env-value.js';
import credentialInConfigmap from './code/credential-in-configmap.js';
import credentialInCommandArgs from './code/credential-in-command-args.js';
import secretInLastAppliedAnnotation from './cluster/secret-in-last-applied-annotation.js';
import credentialInAnnotation from './code/credential-in-annotation.js';
import secretDataInManifest from './code/secret-data-in-manifest.js';
import serviceExposedExternally from './cluster/service-exposed-externally.js';
import serviceExternalIps from './cluster/service-external-ips.js';
import ingressWithoutTls from './cluster/ingress-without-tls.js';
import namespaceWithoutNetworkPolicy from './cluster/namespace-without-network-policy.js';
import ingressWildcardHost from './cluster/ingress-wildcard-host.js';
import ingressDefaultBackend from './cluster/ingress-default-backend.js';
import namespacePodSecurityNotEnforced from './cluster/namespace-pod-security-not-enforced.js';
import clusterAdminBinding from './cluster/cluster-admin-binding.js';
import rbacWildcardRule from './cluster/rbac-wildcard-rule.js';
import deprecatedApiVersion from './code/deprecated-api-version.js';
import podWithoutController from './container/pod-without-controller.js';
import serviceAccountTokenSecret from './cluster/service-account-token-secret.js';
import sshPortExposed from './container/ssh-port-exposed.js';
import processNamespaceShared from './container/process-namespace-shared.js';
import downloadAndExecuteCommand from './code/download-and-execute-command.js';
import ingressNginxSnippetAnnotation from './cluster/ingress-nginx-snippet-annotation.js';
import persistentVolumeHostPath from './cluster/persistent-volume-host-path.js';
import tillerDeployed from './container/tiller-deployed.js';
import dashboardLoginBypass from './container/dashboard-login-bypass.js';
import deprecatedImageRegistry from './container/deprecated-image-registry.js';
import gitRepoVolume from './container/git-repo-volume.js';
import windowsRunAsAdministrator from './container/windows-run-as-administrator.js';
import mountedTokenPowerful from './container/mounted-token-powerful.js';
import adminInterfaceExposed from './container/admin-interface-exposed.js';
import tlsVerificationDisabled from './code/tls-verification-disabled.js';
import sudoInCommand from './code/sudo-in-command.js';
import remoteDebuggerEnabled from './code/remote-debugger-enabled.js';
import reverseShellOrMiner from './code/reverse-shell-or-miner.js';
import hostNamespaceEnterCommand from './code/host-namespace-enter-command.js';
import awsAuthSystemMasters from './cloud/aws-auth-system-masters.js';
import staticCloudCredentials from './cloud/static-cloud-credentials.js';
import webhookFailsOpen from './cluster/webhook-fails-open.js';
import serviceExternalNameSensitiveTarget from './cluster/service-external-name-sensitive-target.js';
import rbacAggregatedRoleWidensBuiltin from './cluster/rbac-aggregated-role-widens-builtin.js';
import apiserviceTlsUnverified from './cluster/apiservice-tls-unverified.js';
import webhookSendsSecretsOutside from './cluster/webhook-sends-secrets-outside.js';
import sensitivePathRouted from './cluster/sensitive-path-routed.js';
import gatewayWithoutTls from './cluster/gateway-without-tls.js';
import workloadOnControlPlane from './cluster/workload-on-control-plane.js';
import systemPriorityClassUsed from './cluster/system-priority-class-used.js';
import foreignServiceAccountTokenMounted from './container/foreign-service-account-token-mounted.js';
import ephemeralDebugContainer from './container/ephemeral-debug-container.js';
import projectedTokenLongLived from './container/projected-token-long-lived.js';
import kubeconfigFromSecret from './container/kubeconfig-from-secret.js';
import downloadOverPlainHttp from './code/download-over-plain-http.js';
import sshHostKeyCheckingDisabled from './code/ssh-host-key-checking-disabled.js';
import ldPreloadSet from './code/ld-preload-set.js';
import ingressSslRedirectDisabled from './cluster/ingress-ssl-redirect-disabled.js';
import bindingToMissingServiceAccount from './cluster/binding-to-missing-service-account.js';
import policyWebhookObjectSelector from './cluster/policy-webhook-object-selector.js';
import networkPolicyAllowsAllIngress from './cluster/network-policy-allows-all-ingress.js';
import auditEventsNotShipped from './cluster/audit-events-not-shipped.js';
import runtimeThreatDetectionMissing from './cluster/runtime-threat-detection-missing.js';
import meshMtlsNotStrict from './cluster/mesh-mtls-not-strict.js';
import admissionPolicyNotEnforced from './cluster/admission-policy-not-enforced.js';

export const generalControls: readonly Control[] = [
  imageMutableTag,
  containerCpuLimitMissing,
  containerMemoryLimitMissing,
  containerCpuRequestMissing,
  containerMemoryRequestMissing,
  namespaceWithoutLimitRange,
  namespaceWithoutResourceQuota,
  rootFilesystemWritable,
  serviceAccountTokenAutomounted,
  serviceAccountAutomountEnabled,
  defaultServiceAccountUsed,
  imageNotPinnedByDigest,
  imageRegistryImplicit,
  imagePullPolicyNotAlways,
  defaultNamespaceUsed,
  workloadInSystemNamespace,
  runAsRootGroup,
  fsGroupRoot,
  livenessProbeMissing,
  readinessProbeMissing,
  hostPathWritable,
  containerRuntimeSocketMounted,
  sensitiveHostPathMounted,
  hostLogPathMounted,
  hostNetworkPortsExposed,
  dangerousCapabilitiesAdded,
  secretInEnvVar,
  credentialInEnvValue,
  credentialInConfigmap,
  credentialInCommandArgs,
  secretInLastAppliedAnnotation,
  credentialInAnnotation,
  secretDataInManifest,
  serviceExposedExternally,
  serviceExternalIps,
  ingressWithoutTls,
  namespaceWithoutNetworkPolicy,
  ingressWildcardHost,
  ingressDefaultBackend,
  namespacePodSecurityNotEnforced,
  clusterAdminBinding,
  rbacWildcardRule,
  deprecatedApiVersion,
  podWithoutController,
  serviceAccountTokenSecret,
  sshPortExposed,
  processNamespaceShared,
  downloadAndExecuteCommand,
  ingressNginxSnippetAnnotation,
  persistentVolumeHostPath,
  hostNetworkMetadataAccess,
  cloudCredentialsHostPath,
  workloadCloudIdentity,
  nodeExternalAddress,
  tillerDeployed,
  dashboardLoginBypass,
  deprecatedImageRegistry,
  gitRepoVolume,
  windowsRunAsAdministrator,
  mountedTokenPowerful,
  adminInterfaceExposed,
  tlsVerificationDisabled,
  sudoInCommand,
  remoteDebuggerEnabled,
  reverseShellOrMiner,
  hostNamespaceEnterCommand,
  awsAuthSystemMasters,
  staticCloudCredentials,
  webhookFailsOpen,
  serviceExternalNameSensitiveTarget,
  rbacAggregatedRoleWidensBuiltin,
  apiserviceTlsUnverified,
  webhookSendsSecretsOutside,
  sensitivePathRouted,
  gatewayWithoutTls,
  workloadOnControlPlane,
  systemPriorityClassUsed,
  foreignServiceAccountTokenMounted,
  ephemeralDebugContainer,
  projectedTokenLongLived,
  kubeconfigFromSecret,
  downloadOverPlainHttp,
  sshHostKeyCheckingDisabled,
  ldPreloadSet,
  ingressSslRedirectDisabled,
  bindingToMissingServiceAccount,
  policyWebhookObjectSelector,
  networkPolicyAllowsAllIngress,
  admissionPolicyNotEnforced,
  auditEventsNotShipped,
  runtimeThreatDetectionMissing,
  meshMtlsNotStrict,
];
