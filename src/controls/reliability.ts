/**
 * Reliability and operations controls (KOR-0700..0899, and cloud topology KOR-0020..0099): the Health
 * Assessment's dimensions beyond Security (replicas, disruption budgets, autoscaling, probes, storage
 * and backups, ownership, monitoring, and the live state of workloads and nodes).
 */
import type { Control } from '../engine/types.js';
import nodesSingleZone from './cloud/nodes-single-zone.js';
import nodesSinglePool from './cloud/nodes-single-pool.js';
import singleReplicaBehindService from './cluster/single-replica-behind-service.js';
import workloadWithoutPdb from './cluster/workload-without-pdb.js';
import pdbAllowsNoDisruption from './cluster/pdb-allows-no-disruption.js';
import pdbSelectsNothing from './cluster/pdb-selects-nothing.js';
import replicasWithoutSpread from './cluster/replicas-without-spread.js';
import hpaMinReplicasBelowTwo from './cluster/hpa-min-replicas-below-two.js';
import hpaTargetMissing from './cluster/hpa-target-missing.js';
import hpaWithFixedReplicas from './code/hpa-with-fixed-replicas.js';
import hpaCannotScale from './cluster/hpa-cannot-scale.js';
import memoryLimitFarAboveRequest from './container/memory-limit-far-above-request.js';
import cpuLimitFarAboveRequest from './container/cpu-limit-far-above-request.js';
import livenessEqualsReadiness from './container/liveness-equals-readiness.js';
import probePortNotDeclared from './container/probe-port-not-declared.js';
import terminationGracePeriodZero from './container/termination-grace-period-zero.js';
import prestopHookMissing from './container/prestop-hook-missing.js';
import storageClassReclaimDelete from './cluster/storage-class-reclaim-delete.js';
import pvcStorageClassUnknown from './cluster/pvc-storage-class-unknown.js';
import storageClassNoExpansion from './cluster/storage-class-no-expansion.js';
import veleroNamespaceWithoutSchedule from './cluster/velero-namespace-without-schedule.js';
import veleroBackupFailed from './cluster/velero-backup-failed.js';
import veleroSchedulePaused from './cluster/velero-schedule-paused.js';
import volumeSnapshotFailed from './cluster/volume-snapshot-failed.js';
import pvcNotBound from './cluster/pvc-not-bound.js';
import nodeNotReady from './cluster/node-not-ready.js';
import priorityClassNotSet from './container/priority-class-not-set.js';
import priorityClassUnknown from './container/priority-class-unknown.js';
import cronjobConcurrencyAllowed from './cluster/cronjob-concurrency-allowed.js';
import cronjobWithoutStartingDeadline from './cluster/cronjob-without-starting-deadline.js';
import jobWithoutTtl from './cluster/job-without-ttl.js';
import jobWithoutDeadline from './cluster/job-without-deadline.js';
import serviceSelectsNoPods from './cluster/service-selects-no-pods.js';
import serviceTargetPortUndeclared from './cluster/service-target-port-undeclared.js';
import ingressBackendMissing from './cluster/ingress-backend-missing.js';
import namespaceWithoutOwner from './cluster/namespace-without-owner.js';
import workloadWithoutAppLabels from './cluster/workload-without-app-labels.js';
import workloadNotManagedByGitops from './cluster/workload-not-managed-by-gitops.js';
import exposedWorkloadWithoutMonitor from './cluster/exposed-workload-without-monitor.js';
import containerRestarting from './container/container-restarting.js';
import containerOomKilled from './container/container-oom-killed.js';
import podUnschedulable from './cluster/pod-unschedulable.js';
import workloadReplicasUnavailable from './cluster/workload-replicas-unavailable.js';
import hpaAtMaxReplicas from './cluster/hpa-at-max-replicas.js';
import envVarDuplicated from './container/env-var-duplicated.js';
import selectorDoesNotMatchTemplate from './cluster/selector-does-not-match-template.js';
import statefulsetServiceMissing from './cluster/statefulset-service-missing.js';
import recreateStrategyBehindService from './cluster/recreate-strategy-behind-service.js';
import ephemeralStorageLimitMissing from './container/ephemeral-storage-limit-missing.js';
import labelValueInvalid from './code/label-value-invalid.js';
import jobRestartPolicyInvalid from './cluster/job-restart-policy-invalid.js';
import containerPortInvalid from './container/container-port-invalid.js';
import pdbUnhealthyPodsBlockEviction from './cluster/pdb-unhealthy-pods-block-eviction.js';
import serviceAccountMissing from './container/service-account-missing.js';
import serviceAccountFieldConflict from './container/service-account-field-conflict.js';
import servicemonitorSelectsNothing from './cluster/servicemonitor-selects-nothing.js';
import runAsLowUid from './container/run-as-low-uid.js';
import privilegedPort from './container/privileged-port.js';
import cniWithoutNetworkPolicy from './cluster/cni-without-network-policy.js';
import hpaCpuWithoutRequests from './cluster/hpa-cpu-without-requests.js';
import vpaConflictsWithHpa from './cluster/vpa-conflicts-with-hpa.js';
import vpaTargetMissing from './cluster/vpa-target-missing.js';
import rwoClaimSharedByReplicas from './cluster/rwo-claim-shared-by-replicas.js';
import rollbackHistoryDisabled from './cluster/rollback-history-disabled.js';
import configmapReferenceMissing from './container/configmap-reference-missing.js';
import secretReferenceMissing from './container/secret-reference-missing.js';
import imagePullSecretMissing from './container/image-pull-secret-missing.js';
import nodeVersionSkew from './cluster/node-version-skew.js';
import jobFailed from './cluster/job-failed.js';
import cronjobSuspended from './cluster/cronjob-suspended.js';
import deploymentPaused from './cluster/deployment-paused.js';
import podmonitorSelectsNothing from './cluster/podmonitor-selects-nothing.js';
import quotaRequiresResources from './container/quota-requires-resources.js';
import ingressClassUnknown from './cluster/ingress-class-unknown.js';
import logsNotCollected from './cluster/logs-not-collected.js';
// ctlrel imports: KOR-0773 and up
import rollingUpdateAllUnavailable from './cluster/rolling-update-all-unavailable.js';
import deploymentRolloutSettingsInvalid from './code/deployment-rollout-settings-invalid.js';
import hpaScaleDownWithoutStabilization from './cluster/hpa-scale-down-without-stabilization.js';
import hpaScaleUpDisabled from './cluster/hpa-scale-up-disabled.js';
import vpaWithoutMaxAllowed from './cluster/vpa-without-max-allowed.js';
import spreadSelectorMissesOwnPods from './container/spread-selector-misses-own-pods.js';
import antiAffinityExceedsNodes from './cluster/anti-affinity-exceeds-nodes.js';
import pinnedToOneNode from './container/pinned-to-one-node.js';
import toleratesEveryTaint from './container/tolerates-every-taint.js';
import emptyDirWithoutSizeLimit from './container/empty-dir-without-size-limit.js';
import storageClassImmediateBinding from './cluster/storage-class-immediate-binding.js';
import snapshotClassDeletesSnapshots from './cluster/snapshot-class-deletes-snapshots.js';
import veleroTtlShorterThanInterval from './cluster/velero-ttl-shorter-than-interval.js';
import veleroScheduleSkipsVolumes from './cluster/velero-schedule-skips-volumes.js';
import cronjobScheduleInvalid from './code/cronjob-schedule-invalid.js';
import cronjobFailedHistoryDisabled from './cluster/cronjob-failed-history-disabled.js';
import servicePublishesNotReady from './cluster/service-publishes-not-ready.js';
import probeSuccessThresholdInvalid from './code/probe-success-threshold-invalid.js';
import livenessSingleFailure from './container/liveness-single-failure.js';
import prestopExceedsGracePeriod from './container/prestop-exceeds-grace-period.js';
import configKeyMissing from './container/config-key-missing.js';
import limitRangeRejectsPods from './container/limit-range-rejects-pods.js';
import priorityClassSeveralDefaults from './cluster/priority-class-several-defaults.js';
import updatesOnDelete from './cluster/updates-on-delete.js';
import statefulsetPartitionHoldsUpdate from './cluster/statefulset-partition-holds-update.js';
import statefulsetDeletesClaims from './cluster/statefulset-deletes-claims.js';
import requestAboveLimit from './code/request-above-limit.js';
import imagePullPolicyNever from './container/image-pull-policy-never.js';
import servicemonitorPortMissing from './cluster/servicemonitor-port-missing.js';
import podmonitorPortMissing from './cluster/podmonitor-port-missing.js';
import podEvicted from './cluster/pod-evicted.js';
import containerCannotStart from './container/container-cannot-start.js';
import volumeMountFailing from './cluster/volume-mount-failing.js';
import deploymentRolloutStuck from './cluster/deployment-rollout-stuck.js';
import nodeCordoned from './cluster/node-cordoned.js';
import persistentVolumeReleased from './cluster/persistent-volume-released.js';
import hpaMetricsUnavailable from './cluster/hpa-metrics-unavailable.js';
import podInSeveralPdbs from './cluster/pod-in-several-pdbs.js';
import ingressPathConflict from './cluster/ingress-path-conflict.js';
import storageClassSeveralDefaults from './cluster/storage-class-several-defaults.js';
import controlPlaneNodeUntainted from './cluster/control-plane-node-untainted.js';
import controlPlaneNotHighlyAvailable from './cluster/control-plane-not-highly-available.js';
import gitopsSyncFailing from './cluster/gitops-sync-failing.js';
import gitopsReconciliationSuspended from './cluster/gitops-reconciliation-suspended.js';
import evictionBlockedByAnnotation from './cluster/eviction-blocked-by-annotation.js';
import veleroStorageLocationUnavailable from './cluster/velero-storage-location-unavailable.js';
import namespaceStuckTerminating from './cluster/namespace-stuck-terminating.js';
import apiServiceUnavailable from './cluster/api-service-unavailable.js';
import webhookFailClosedSingleReplica from './cluster/webhook-fail-closed-single-replica.js';
import webhookInterceptsKubeSystem from './cluster/webhook-intercepts-kube-system.js';
import livenessLongInitialDelay from './container/liveness-long-initial-delay.js';
import requestsExceedNodeCapacity from './cluster/requests-exceed-node-capacity.js';
import certificateNotReady from './cluster/certificate-not-ready.js';
import limitRangeInvalid from './code/limit-range-invalid.js';
import hostAliasesFixedAddresses from './container/host-aliases-fixed-addresses.js';

export const reliabilityControls: readonly Control[] = [
  nodesSingleZone,
  nodesSinglePool,
  singleReplicaBehindService,
  workloadWithoutPdb,
  pdbAllowsNoDisruption,
  pdbSelectsNothing,
  replicasWithoutSpread,
  hpaMinReplicasBelowTwo,
  hpaTargetMissing,
  hpaWithFixedReplicas,
  hpaCannotScale,
  memoryLimitFarAboveRequest,
  cpuLimitFarAboveRequest,
  livenessEqualsReadiness,
  probePortNotDeclared,
  terminationGracePeriodZero,
  prestopHookMissing,
  storageClassReclaimDelete,
  pvcStorageClassUnknown,
  storageClassNoExpansion,
  veleroNamespaceWithoutSchedule,
  veleroBackupFailed,
  veleroSchedulePaused,
  volumeSnapshotFailed,
  pvcNotBound,
  nodeNotReady,
  priorityClassNotSet,
  priorityClassUnknown,
  cronjobConcurrencyAllowed,
  cronjobWithoutStartingDeadline,
  jobWithoutTtl,
  jobWithoutDeadline,
  serviceSelectsNoPods,
  serviceTargetPortUndeclared,
  ingressBackendMissing,
  namespaceWithoutOwner,
  workloadWithoutAppLabels,
  workloadNotManagedByGitops,
  exposedWorkloadWithoutMonitor,
  containerRestarting,
  containerOomKilled,
  podUnschedulable,
  workloadReplicasUnavailable,
  hpaAtMaxReplicas,
  envVarDuplicated,
  selectorDoesNotMatchTemplate,
  statefulsetServiceMissing,
  recreateStrategyBehindService,
  ephemeralStorageLimitMissing,
  labelValueInvalid,
  jobRestartPolicyInvalid,
  containerPortInvalid,
  pdbUnhealthyPodsBlockEviction,
  serviceAccountMissing,
  serviceAccountFieldConflict,
  servicemonitorSelectsNothing,
  runAsLowUid,
  privilegedPort,
  cniWithoutNetworkPolicy,
  hpaCpuWithoutRequests,
  vpaConflictsWithHpa,
  vpaTargetMissing,
  rwoClaimSharedByReplicas,
  rollbackHistoryDisabled,
  configmapReferenceMissing,
  secretReferenceMissing,
  imagePullSecretMissing,
  nodeVersionSkew,
  jobFailed,
  cronjobSuspended,
  deploymentPaused,
  podmonitorSelectsNothing,
  quotaRequiresResources,
  ingressClassUnknown,
  logsNotCollected,
  // ctlrel entries: KOR-0773 and up
  rollingUpdateAllUnavailable,
  deploymentRolloutSettingsInvalid,
  hpaScaleDownWithoutStabilization,
  hpaScaleUpDisabled,
  vpaWithoutMaxAllowed,
  spreadSelectorMissesOwnPods,
  antiAffinityExceedsNodes,
  pinnedToOneNode,
  toleratesEveryTaint,
  emptyDirWithoutSizeLimit,
  storageClassImmediateBinding,
  snapshotClassDeletesSnapshots,
  veleroTtlShorterThanInterval,
  veleroScheduleSkipsVolumes,
  cronjobScheduleInvalid,
  cronjobFailedHistoryDisabled,
  servicePublishesNotReady,
  probeSuccessThresholdInvalid,
  livenessSingleFailure,
  prestopExceedsGracePeriod,
  configKeyMissing,
  limitRangeRejectsPods,
  priorityClassSeveralDefaults,
  updatesOnDelete,
  statefulsetPartitionHoldsUpdate,
  statefulsetDeletesClaims,
  requestAboveLimit,
  imagePullPolicyNever,
  servicemonitorPortMissing,
  podmonitorPortMissing,
  podEvicted,
  containerCannotStart,
  volumeMountFailing,
  deploymentRolloutStuck,
  nodeCordoned,
  persistentVolumeReleased,
  hpaMetricsUnavailable,
  podInSeveralPdbs,
  ingressPathConflict,
  storageClassSeveralDefaults,
  controlPlaneNodeUntainted,
  controlPlaneNotHighlyAvailable,
  gitopsSyncFailing,
  gitopsReconciliationSuspended,
  evictionBlockedByAnnotation,
  veleroStorageLocationUnavailable,
  namespaceStuckTerminating,
  apiServiceUnavailable,
  webhookFailClosedSingleReplica,
  webhookInterceptsKubeSystem,
  livenessLongInitialDelay,
  requestsExceedNodeCapacity,
  certificateNotReady,
  limitRangeInvalid,
  hostAliasesFixedAddresses,
];
