import { defineControl } from '../../engine/types.js';
import { exposedSensitivePath, normalizeHostPath } from '../support/host-paths.js';
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
  '/etc/eks',
];

export default defineControl({
  id: 'KOR-0151',
  supersedes: { field: ['KOR-0005', 'KOR-0013', 'KOR-0121', 'KOR-0123', 'KOR-0124'] },
  name: 'cloud-credentials-host-path',
  title: 'Cloud credentials on the node mounted into a pod',
  description:
    'Nodes keep cloud provider credentials on disk: the Azure cloud provider config (`/etc/kubernetes/azure.json`, with a service principal secret), cloud-config files, the Azure agent state, and CLI credential folders (`~/.aws`, `~/.azure`, `~/.config/gcloud`). A pod that mounts them can act as the node in the cloud account (critical); a pod that mounts a parent directory (such as /etc/kubernetes or /root) reaches them on the nodes that keep them there (high). The kubelet\'s own kubeconfig is a Kubernetes node credential, not a cloud one: KOR-0123 judges /var/lib/kubelet.',
  layer: 'cloud',
  dimensions: ['Security'],
  guard: 'authentication',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'critical',
  effort: 'low',
  frameworks: { nsa: ['pod-security-enforcement'], cis: ['5.2.12'], mitre: ['T1552.001', 'T1078.004'] },
  remediation: 'Do not mount cloud credential files or their directories into pods; give workloads their own cloud identity (IRSA / EKS Pod Identity, GKE Workload Identity, Azure Workload Identity) with least privilege.',
  messages: {
    mounted: 'Volume "{{volume}}" mounts host path "{{path}}", where nodes keep cloud credentials ({{exposed}}).',
    parent: 'Volume "{{volume}}" mounts host path "{{path}}", which holds {{exposed}} where nodes of some clouds keep cloud credentials.',
  },
  severityTable: [
    { case: 'a cloud credential file or directory itself (or a path inside it)', severity: 'critical', reason: 'The pod reads the credentials and acts as the node in the cloud account.' },
    { case: 'a parent directory of one (/etc/kubernetes, /root, ...)', severity: 'high', reason: 'The credentials are reachable on the nodes of the clouds that keep them there (azure.json exists on AKS nodes only).' },
  ],
  targets: 'podSpec',
  check({ podSpec }, ctx) {
    for (const v of hostPathVolumes(podSpec)) {
      const p = normalizeHostPath(v.path);
      if (p === '/') continue; // KOR-0123 judges the host root
      const own = exposedSensitivePath(p, CLOUD_CREDENTIAL_PATHS, { ancestors: false });
      if (own) {
        ctx.report('mounted', { volume: v.name, path: v.path, exposed: own }, v.pointer);
        continue;
      }
      const below = CLOUD_CREDENTIAL_PATHS.filter((c) => exposedSensitivePath(c, [p], { ancestors: false }) !== undefined);
      if (below.length > 0) ctx.report('parent', { volume: v.name, path: v.path, exposed: below.join(', ') }, v.pointer, { severity: 'high' });
    }
  },
});
