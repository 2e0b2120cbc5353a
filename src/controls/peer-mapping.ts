/**
 * Where each peer's checks went: every check id of Polaris, kube-score and kube-linter, with the
 * kordon controls that judge the same thing, or why none does. docs/peer-mapping.md is generated
 * from this table (`npm run docs`); test/unit/peer-mapping.test.ts checks that every kordon id
 * named exists and that every check has either controls or a reason.
 *
 * Sources (the peers' own published check lists): Polaris `pkg/config/default.yaml` and its
 * reliability docs; kube-score `README_CHECKS.md` (v1.20.0); kube-linter
 * `docs/generated/checks.md`.
 */

export interface PeerCheck {
  /** The peer's check id, as its users write it in configuration. */
  id: string;
  /** What the peer checks, in a few words. */
  checks: string;
  /** The kordon controls that judge it (the first is the closest). */
  kordon?: string[];
  /** How kordon's judgement differs, when it does. */
  note?: string;
  /** Why no kordon control judges it: `not applicable: ...` or `not covered: ...`. */
  none?: string;
}

export interface Peer {
  name: string;
  source: string;
  checks: PeerCheck[];
}

export const PEERS: readonly Peer[] = [
  {
    name: 'Polaris',
    source: 'FairwindsOps/polaris `pkg/config/default.yaml` (checks enabled by default) and `docs/checks/reliability.md`',
    checks: [
      { id: 'deploymentMissingReplicas', checks: 'a Deployment with one replica', kordon: ['KOR-0700'], note: 'kordon reports single replicas that a Service sends traffic to (a worker with one replica is not a point of failure for clients)' },
      { id: 'priorityClassNotSet', checks: 'no priorityClassName', kordon: ['KOR-0724', 'KOR-0725'], note: 'KOR-0725 also reports a name that does not exist' },
      { id: 'tagNotSpecified', checks: 'image without tag or with `latest`', kordon: ['KOR-0100'] },
      { id: 'pullPolicyNotAlways', checks: 'imagePullPolicy not Always', kordon: ['KOR-0113'] },
      { id: 'readinessProbeMissing', checks: 'no readiness probe', kordon: ['KOR-0120'] },
      { id: 'livenessProbeMissing', checks: 'no liveness probe', kordon: ['KOR-0119'] },
      { id: 'metadataAndInstanceMismatched', checks: 'label `app.kubernetes.io/instance` differs from metadata.name', none: 'not applicable: a naming convention (Helm sets the instance label to the release, not the object name); kordon checks that workloads carry application labels at all (KOR-0734)' },
      { id: 'pdbDisruptionsIsZero', checks: 'a PDB that allows no disruption', kordon: ['KOR-0702'] },
      { id: 'missingPodDisruptionBudget', checks: 'a workload without a PDB', kordon: ['KOR-0701'] },
      { id: 'topologySpreadConstraint', checks: 'no topology spread constraint', kordon: ['KOR-0704'], note: 'pod anti-affinity counts as well' },
      { id: 'hpaMaxAvailability', checks: 'HPA maxReplicas not above minReplicas', kordon: ['KOR-0708'] },
      { id: 'hpaMinAvailability', checks: 'HPA minReplicas of one or less', kordon: ['KOR-0705'] },
      { id: 'pdbMinAvailableGreaterThanOrEqualToHPAMinReplicas', checks: 'PDB minAvailable at or above the HPA minReplicas', kordon: ['KOR-0702'], note: 'KOR-0702 compares minAvailable with the least replicas the workload runs, the autoscaler\'s minReplicas when one targets it' },
      { id: 'cpuRequestsMissing', checks: 'no CPU request', kordon: ['KOR-0103'] },
      { id: 'cpuLimitsMissing', checks: 'no CPU limit', kordon: ['KOR-0101'] },
      { id: 'memoryRequestsMissing', checks: 'no memory request', kordon: ['KOR-0104'] },
      { id: 'memoryLimitsMissing', checks: 'no memory limit', kordon: ['KOR-0102'] },
      { id: 'automountServiceAccountToken', checks: 'service account token mounted', kordon: ['KOR-0108', 'KOR-0109'] },
      { id: 'hostIPCSet', checks: 'hostIPC', kordon: ['KOR-0002'] },
      { id: 'hostPathSet', checks: 'hostPath volume', kordon: ['KOR-0005', 'KOR-0121', 'KOR-0123'] },
      { id: 'hostProcess', checks: 'Windows HostProcess', kordon: ['KOR-0001'] },
      { id: 'hostPIDSet', checks: 'hostPID', kordon: ['KOR-0002'] },
      { id: 'linuxHardening', checks: 'none of seccomp, AppArmor, SELinux or dropped capabilities', kordon: ['KOR-0017', 'KOR-0018'] },
      { id: 'missingNetworkPolicy', checks: 'no NetworkPolicy selects the workload', kordon: ['KOR-0137', 'KOR-0300', 'KOR-0302'] },
      { id: 'notReadOnlyRootFilesystem', checks: 'writable root filesystem', kordon: ['KOR-0107'] },
      { id: 'privilegeEscalationAllowed', checks: 'allowPrivilegeEscalation not false', kordon: ['KOR-0014'] },
      { id: 'procMount', checks: 'procMount Unmasked', kordon: ['KOR-0010', 'KOR-0019'] },
      { id: 'runAsRootAllowed', checks: 'may run as root', kordon: ['KOR-0015', 'KOR-0016'] },
      { id: 'runAsPrivileged', checks: 'privileged container', kordon: ['KOR-0003'] },
      { id: 'dangerousCapabilities', checks: 'ALL or SYS_ADMIN added', kordon: ['KOR-0126', 'KOR-0004'] },
      { id: 'insecureCapabilities', checks: 'capabilities beyond a safe set not dropped', kordon: ['KOR-0018', 'KOR-0004'] },
      { id: 'hostNetworkSet', checks: 'hostNetwork', kordon: ['KOR-0002', 'KOR-0125'] },
      { id: 'hostPortSet', checks: 'hostPort', kordon: ['KOR-0006'] },
      { id: 'tlsSettingsMissing', checks: 'Ingress without TLS', kordon: ['KOR-0136'] },
      { id: 'sensitiveContainerEnvVar', checks: 'secret-looking environment variables', kordon: ['KOR-0128', 'KOR-0127'] },
      { id: 'sensitiveConfigmapContent', checks: 'secret-looking ConfigMap data', kordon: ['KOR-0129'] },
      { id: 'clusterrolePodExecAttach', checks: 'ClusterRole grants pods/exec or attach', kordon: ['KOR-0210'], note: 'kordon judges the bindings that give the grant, with the subjects who get it' },
      { id: 'rolePodExecAttach', checks: 'Role grants pods/exec or attach', kordon: ['KOR-0210'] },
      { id: 'clusterrolebindingPodExecAttach', checks: 'ClusterRoleBinding to a role with pods/exec', kordon: ['KOR-0210'] },
      { id: 'rolebindingClusterRolePodExecAttach', checks: 'RoleBinding to a ClusterRole with pods/exec', kordon: ['KOR-0210'] },
      { id: 'rolebindingRolePodExecAttach', checks: 'RoleBinding to a Role with pods/exec', kordon: ['KOR-0210'] },
      { id: 'clusterrolebindingClusterAdmin', checks: 'ClusterRoleBinding to cluster-admin', kordon: ['KOR-0141', 'KOR-0200'] },
      { id: 'rolebindingClusterAdminClusterRole', checks: 'RoleBinding to the cluster-admin ClusterRole', kordon: ['KOR-0141', 'KOR-0200'] },
      { id: 'rolebindingClusterAdminRole', checks: 'RoleBinding to a Role named cluster-admin', kordon: ['KOR-0222'], note: 'kordon judges what a role grants, not its name: a Role granting everything is KOR-0222' },
    ],
  },
  {
    name: 'kube-score',
    source: 'zegl/kube-score `README_CHECKS.md` (v1.20.0)',
    checks: [
      { id: 'deployment-strategy', checks: 'Service-targeted Deployment without RollingUpdate', kordon: ['KOR-0745'] },
      { id: 'deployment-replicas', checks: 'Deployment with fewer than 2 replicas', kordon: ['KOR-0700'] },
      { id: 'ingress-targets-service', checks: 'Ingress backend Service exists', kordon: ['KOR-0732'], note: 'the backend port is judged too' },
      { id: 'cronjob-has-deadline', checks: 'CronJob startingDeadlineSeconds', kordon: ['KOR-0727', 'KOR-0729'] },
      { id: 'cronjob-restartpolicy', checks: 'CronJob restartPolicy valid', kordon: ['KOR-0748'] },
      { id: 'container-resources', checks: 'requests and limits set', kordon: ['KOR-0101', 'KOR-0102', 'KOR-0103', 'KOR-0104'] },
      { id: 'container-resource-requests-equal-limits', checks: 'requests equal limits (optional)', kordon: ['KOR-0709', 'KOR-0710'], note: 'kordon reports limits far above requests (memory over 2x, CPU over 4x), not every difference' },
      { id: 'container-cpu-requests-equal-limits', checks: 'CPU request equals limit (optional)', kordon: ['KOR-0710'] },
      { id: 'container-memory-requests-equal-limits', checks: 'memory request equals limit (optional)', kordon: ['KOR-0709'] },
      { id: 'container-image-tag', checks: 'explicit non-latest tag', kordon: ['KOR-0100'] },
      { id: 'container-image-pull-policy', checks: 'pullPolicy Always', kordon: ['KOR-0113'] },
      { id: 'container-ephemeral-storage-request-and-limit', checks: 'ephemeral-storage request and limit', kordon: ['KOR-0746'] },
      { id: 'statefulset-has-poddisruptionbudget', checks: 'StatefulSet targeted by a PDB', kordon: ['KOR-0701'] },
      { id: 'deployment-has-poddisruptionbudget', checks: 'Deployment targeted by a PDB', kordon: ['KOR-0701'] },
      { id: 'poddisruptionbudget-has-policy', checks: 'PDB sets minAvailable or maxUnavailable', none: 'not covered: what a budget without either field allows was not established against the API server, so kordon does not claim it' },
      { id: 'pod-networkpolicy', checks: 'pod targeted by a NetworkPolicy', kordon: ['KOR-0300', 'KOR-0137', 'KOR-0302'] },
      { id: 'networkpolicy-targets-pod', checks: 'NetworkPolicy selects a pod', kordon: ['KOR-0303'] },
      { id: 'pod-probes', checks: 'probes configured safely', kordon: ['KOR-0119', 'KOR-0120', 'KOR-0712'] },
      { id: 'pod-probes-identical', checks: 'readiness and liveness identical', kordon: ['KOR-0711'] },
      { id: 'container-security-context-user-group-id', checks: 'UID/GID above 10000', kordon: ['KOR-0754', 'KOR-0016'] },
      { id: 'container-security-context-privileged', checks: 'not privileged', kordon: ['KOR-0003'] },
      { id: 'container-security-context-readonlyrootfilesystem', checks: 'read-only root filesystem', kordon: ['KOR-0107'] },
      { id: 'container-seccomp-profile', checks: 'seccomp profile set (optional)', kordon: ['KOR-0017'] },
      { id: 'service-targets-pod', checks: 'Service selects a pod', kordon: ['KOR-0730'] },
      { id: 'service-type', checks: 'Service not NodePort', kordon: ['KOR-0134'] },
      { id: 'stable-version', checks: 'deprecated apiVersion', kordon: ['KOR-0143'] },
      { id: 'deployment-has-host-podantiaffinity', checks: 'Deployment pod anti-affinity on hosts', kordon: ['KOR-0704'] },
      { id: 'statefulset-has-host-podantiaffinity', checks: 'StatefulSet pod anti-affinity on hosts', kordon: ['KOR-0704'] },
      { id: 'pod-topology-spread-constraints', checks: 'topology spread constraints valid', kordon: ['KOR-0704'] },
      { id: 'deployment-targeted-by-hpa-does-not-have-replicas-configured', checks: 'no fixed replicas under an HPA', kordon: ['KOR-0707'] },
      { id: 'statefulset-has-servicename', checks: 'StatefulSet serviceName names a headless Service', kordon: ['KOR-0744'] },
      { id: 'container-ports-check', checks: 'container port names valid and unique (optional)', kordon: ['KOR-0749'] },
      { id: 'environment-variable-key-duplication', checks: 'duplicated env names', kordon: ['KOR-0742'] },
      { id: 'label-values', checks: 'label values valid', kordon: ['KOR-0747'] },
      { id: 'deployment-pod-selector-labels-match-template-metadata-labels', checks: 'Deployment selector matches template', kordon: ['KOR-0743'] },
      { id: 'statefulset-pod-selector-labels-match-template-metadata-labels', checks: 'StatefulSet selector matches template', kordon: ['KOR-0743'] },
      { id: 'horizontalpodautoscaler-has-target', checks: 'HPA target exists', kordon: ['KOR-0706'] },
      { id: 'horizontalpodautoscaler-replicas', checks: 'HPA minReplicas of at least 2', kordon: ['KOR-0705'] },
    ],
  },
  {
    name: 'kube-linter',
    source: 'stackrox/kube-linter `docs/generated/checks.md`',
    checks: [
      { id: 'access-to-create-pods', checks: 'subject can create pods', kordon: ['KOR-0208'] },
      { id: 'access-to-secrets', checks: 'subject can read secrets', kordon: ['KOR-0201', 'KOR-0202', 'KOR-0203'] },
      { id: 'cluster-admin-role-binding', checks: 'binding to cluster-admin', kordon: ['KOR-0141', 'KOR-0200'] },
      { id: 'dangling-horizontalpodautoscaler', checks: 'HPA targets a missing resource', kordon: ['KOR-0706'] },
      { id: 'dangling-ingress', checks: 'Ingress backend Service or port missing', kordon: ['KOR-0732'] },
      { id: 'dangling-networkpolicy', checks: 'NetworkPolicy selects no workload', kordon: ['KOR-0303'] },
      { id: 'dangling-networkpolicypeer-podselector', checks: 'NetworkPolicy peer selects no workload', kordon: ['KOR-0303'] },
      { id: 'dangling-service', checks: 'Service selects no workload', kordon: ['KOR-0730'] },
      { id: 'dangling-servicemonitor', checks: 'ServiceMonitor selects no Service', kordon: ['KOR-0753'] },
      { id: 'default-service-account', checks: 'pod uses the default service account', kordon: ['KOR-0110'] },
      { id: 'deprecated-service-account-field', checks: 'deprecated serviceAccount field', kordon: ['KOR-0752'] },
      { id: 'dnsconfig-options', checks: 'no dnsConfig ndots option', none: 'not applicable: a DNS tuning choice of the site, not a defect a manifest can be judged wrong for' },
      { id: 'docker-sock', checks: 'docker.sock mounted', kordon: ['KOR-0122'] },
      { id: 'drop-net-raw-capability', checks: 'NET_RAW not dropped', kordon: ['KOR-0018'] },
      { id: 'duplicate-env-var', checks: 'duplicated env names', kordon: ['KOR-0742'] },
      { id: 'env-var-secret', checks: 'secret value in an env var named like a secret', kordon: ['KOR-0128'] },
      { id: 'exposed-services', checks: 'NodePort or LoadBalancer Service', kordon: ['KOR-0134'] },
      { id: 'host-ipc', checks: 'hostIPC', kordon: ['KOR-0002'] },
      { id: 'host-network', checks: 'hostNetwork', kordon: ['KOR-0002'] },
      { id: 'host-pid', checks: 'hostPID', kordon: ['KOR-0002'] },
      { id: 'hpa-minimum-three-replicas', checks: 'HPA minReplicas below 3', kordon: ['KOR-0705'], note: 'kordon\'s floor is 2 (what a disruption budget needs to allow one eviction)' },
      { id: 'invalid-target-ports', checks: 'port names violate IANA_SVC_NAME', kordon: ['KOR-0749'], note: 'KOR-0749 judges container port names; a Service\'s named targetPort is judged by whether a selected pod declares it (KOR-0731)' },
      { id: 'latest-tag', checks: 'latest or missing image tag', kordon: ['KOR-0100'] },
      { id: 'liveness-port', checks: 'liveness probe on an undeclared port', kordon: ['KOR-0712'], note: 'named ports only: a numeric port may be served without being declared' },
      { id: 'minimum-three-replicas', checks: 'Deployment with fewer than 3 replicas', kordon: ['KOR-0700'] },
      { id: 'mismatching-selector', checks: 'selector does not match template labels', kordon: ['KOR-0743'] },
      { id: 'no-anti-affinity', checks: 'replicas without anti-affinity', kordon: ['KOR-0704'] },
      { id: 'no-extensions-v1beta', checks: 'extensions/v1beta API versions', kordon: ['KOR-0143'] },
      { id: 'no-liveness-probe', checks: 'no liveness probe', kordon: ['KOR-0119'] },
      { id: 'no-node-affinity', checks: 'no node affinity', none: 'not applicable: pinning pods to nodes is a placement choice, not a risk; kordon judges spread over nodes and zones (KOR-0704, KOR-0020)' },
      { id: 'no-read-only-root-fs', checks: 'writable root filesystem', kordon: ['KOR-0107'] },
      { id: 'no-readiness-probe', checks: 'no readiness probe', kordon: ['KOR-0120'] },
      { id: 'no-rolling-update-strategy', checks: 'Deployment without RollingUpdate', kordon: ['KOR-0745'], note: 'reported where a Service sends traffic to the Deployment' },
      { id: 'non-existent-service-account', checks: 'pod names a missing ServiceAccount', kordon: ['KOR-0751'] },
      { id: 'non-isolated-pod', checks: 'no NetworkPolicy selects the pod', kordon: ['KOR-0300', 'KOR-0302'] },
      { id: 'pdb-max-unavailable', checks: 'PDB maxUnavailable 0', kordon: ['KOR-0702'] },
      { id: 'pdb-min-available', checks: 'PDB minAvailable at or above the replicas', kordon: ['KOR-0702'] },
      { id: 'pdb-unhealthy-pod-eviction-policy', checks: 'unhealthyPodEvictionPolicy not set', kordon: ['KOR-0750'] },
      { id: 'privilege-escalation-container', checks: 'privilege escalation allowed', kordon: ['KOR-0014'] },
      { id: 'privileged-container', checks: 'privileged container', kordon: ['KOR-0003'] },
      { id: 'privileged-ports', checks: 'container port below 1024', kordon: ['KOR-0755'] },
      { id: 'read-secret-from-env-var', checks: 'Secret read into an env var', kordon: ['KOR-0127'] },
      { id: 'readiness-port', checks: 'readiness probe on an undeclared port', kordon: ['KOR-0712'] },
      { id: 'required-annotation-email', checks: 'owner email annotation', kordon: ['KOR-0733'], note: 'kordon asks for an owner on namespaces (the unit teams own), not on every object' },
      { id: 'required-label-owner', checks: 'owner label', kordon: ['KOR-0733'] },
      { id: 'run-as-non-root', checks: 'runAsNonRoot not set', kordon: ['KOR-0015'] },
      { id: 'scc-deny-privileged-container', checks: 'OpenShift SCC allows privileged containers', none: 'not covered: OpenShift SecurityContextConstraints are not read yet' },
      { id: 'sensitive-host-mounts', checks: 'sensitive host directories mounted', kordon: ['KOR-0123'] },
      { id: 'ssh-port', checks: 'port 22 exposed', kordon: ['KOR-0146'] },
      { id: 'startup-port', checks: 'startup probe on an undeclared port', kordon: ['KOR-0712'] },
      { id: 'unsafe-proc-mount', checks: 'procMount Unmasked', kordon: ['KOR-0010'] },
      { id: 'unsafe-sysctls', checks: 'unsafe sysctls', kordon: ['KOR-0012'] },
      { id: 'unset-cpu-requirements', checks: 'no CPU request', kordon: ['KOR-0103', 'KOR-0101'] },
      { id: 'unset-memory-requirements', checks: 'no memory limit', kordon: ['KOR-0102', 'KOR-0104'] },
      { id: 'use-namespace', checks: 'object in the default namespace', kordon: ['KOR-0114'] },
      { id: 'wildcard-in-rules', checks: 'wildcard in Role rules', kordon: ['KOR-0142'] },
      { id: 'writable-host-mount', checks: 'writable hostPath mount', kordon: ['KOR-0121'] },
    ],
  },
];

/** Peers whose check ids are not mapped yet (said in the document, never silently left out). */
export const NOT_YET_MAPPED: readonly string[] = ['Kubescape (C-0001 and following)', 'Trivy (KSV001 and following)', 'Checkov (CKV_K8S_1 and following)'];

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** docs/peer-mapping.md. `title(id)` gives a control's name for the links. */
export function renderPeerMapping(name: (id: string) => string | undefined, note: string): string {
  const out = [`<!-- ${note} -->`, '', '# Where your checks went: peers to kordon', ''];
  out.push('For users moving from another scanner: each check of the peer, and the kordon controls that judge the same thing (the first is the closest), or why none does. Ids link to the [control catalogue](controls.md). Generated from `src/controls/peer-mapping.ts`; a test checks that every kordon id named exists.', '');
  const counts = PEERS.map((p) => `${p.name}: ${p.checks.filter((c) => c.kordon?.length).length} of ${p.checks.length} checks mapped`);
  out.push(counts.join('; ') + '.', '');
  out.push(`Not mapped yet: ${NOT_YET_MAPPED.join(', ')}.`, '');
  for (const p of PEERS) {
    out.push(`## ${p.name}`, '', `Check ids from ${p.source}.`, '', '| Check | What it checks | kordon | Notes |', '| --- | --- | --- | --- |');
    for (const c of p.checks) {
      const ids = c.kordon?.length ? c.kordon.map((id) => `[${id}](controls.md#${`${id}-${name(id) ?? ''}`.toLowerCase()}) ${name(id) ?? ''}`).join(', ') : '—';
      out.push(`| \`${c.id}\` | ${cell(c.checks)} | ${ids} | ${cell(c.none ?? c.note ?? '')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
