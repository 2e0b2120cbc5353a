import { defineControl } from '../../engine/types.js';

/** hostNetwork pods reach the node's cloud metadata service directly; NetworkPolicy cannot stop them. */
export default defineControl({
  id: 'KOR-0150',
  supersedes: { field: ['KOR-0002'] },
  name: 'host-network-metadata-access',
  title: 'Host-network pod can reach the cloud instance metadata service',
  description:
    'A pod on the host network shares the node\'s network identity: it reaches the cloud instance metadata service (169.254.169.254, fd00:ec2::254) as the node itself, and NetworkPolicy does not apply to host-network pods. On most clouds that hands out the node\'s IAM credentials (EC2 instance profile, GCE default service account, Azure managed identity) and bootstrap data, which often include kubelet credentials.',
  layer: 'cloud',
  dimensions: ['Security'],
  guard: 'authentication',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'high',
  effort: 'medium',
  frameworks: { nsa: ['network-separation'], cis: ['5.2.5'], mitre: ['T1552.005'] },
  remediation: 'Run the pod off the host network; if it must stay there, block the metadata address on the node (IMDSv2 with hop limit 1 on AWS, metadata concealment or Workload Identity on GKE) and give the node role the least privilege.',
  messages: { hostNetwork: 'Pod runs on the host network and can query the cloud metadata service as the node (node IAM credentials).' },
  targets: 'podSpec',
  check({ podSpec }, ctx) {
    if (podSpec.hostNetwork === true) ctx.report('hostNetwork', {}, '/hostNetwork');
  },
  cel: { expression: '!has(variables.podSpec.hostNetwork) || variables.podSpec.hostNetwork == false', message: 'Pods must not use the host network (cloud metadata access as the node).' },
});
