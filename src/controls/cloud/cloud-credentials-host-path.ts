import { defineControl } from '../../engine/types.js';
import { exposedSensitivePath } from '../support/host-paths.js';
import { hostPathVolumes } from '../support/host-path-volumes.js';

/** Host files that hold cloud provider credentials or cloud configuration with secrets. */
export const CLOUD_CREDENTIAL_PATHS: readonly string[] = [
  '/etc/kubernetes/azure.json',
  '/etc/kubernetes/cloud.conf',
  '/etc/kubernetes/cloud-config',
  '/etc/kubernetes/gce.conf',
  '/var/lib/waagent',
  '/root/.aws',
  '/root/.azure',
  '/root/.config/gcloud',
  '/home',
  '/var/lib/kubelet/kubeconfig',
  '/etc/eks',
];

export default defineControl({
  id: 'KOR-0151',
  supersedes: { field: ['KOR-0005', 'KOR-0013', 'KOR-0121', 'KOR-0123', 'KOR-0124'] },
  name: 'cloud-credentials-host-path',
  title: 'Cloud credentials on the node mounted into a pod',
  description:
    'Nodes keep cloud provider credentials on disk: the Azure cloud provider config (`/etc/kubernetes/azure.json`, with a service principal secret), cloud-config files, the Azure agent state, and CLI credential folders (`~/.aws`, `~/.azure`, `~/.config/gcloud`). A pod that mounts them, or a parent directory, can act as the node in the cloud account.',
  layer: 'cloud',
  guard: 'authentication',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'critical',
  effort: 'low',
  frameworks: { nsa: ['pod-security-enforcement'], cis: ['5.2.12'], mitre: ['T1552.001', 'T1078.004'] },
  remediation: 'Do not mount cloud credential files or their directories into pods; give workloads their own cloud identity (IRSA / EKS Pod Identity, GKE Workload Identity, Azure Workload Identity) with least privilege.',
  messages: { mounted: 'Volume "{{volume}}" mounts host path "{{path}}", which exposes cloud credentials at {{exposed}}.' },
  targets: 'podSpec',
  check({ podSpec }, ctx) {
    for (const v of hostPathVolumes(podSpec)) {
      const exposed = exposedSensitivePath(v.path, CLOUD_CREDENTIAL_PATHS, { ancestors: v.path !== '/' });
      if (exposed) ctx.report('mounted', { volume: v.name, path: v.path, exposed }, v.pointer);
    }
  },
});
