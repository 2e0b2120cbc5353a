import { defineControl } from '../../engine/types.js';

export default defineControl({
  id: 'KOR-0153',
  name: 'node-external-address',
  title: 'Node has a public (external) address',
  description:
    'A node that reports an ExternalIP is directly addressable from outside the cloud network: the kubelet API (10250), NodePort services and anything on the host network are one firewall rule away from the internet. NSA-CISA advises keeping nodes on private networks behind the control plane and load balancers.',
  layer: 'cloud',
  dimensions: ['Security'],
  phases: ['runtime'],
  severity: 'medium',
  effort: 'high',
  frameworks: { nsa: ['network-separation'], mitre: ['T1133'] },
  remediation: 'Use private node pools (no public IPs) and reach workloads through load balancers or ingress; if public IPs are required, restrict inbound traffic to the nodes with cloud firewall rules.',
  messages: { external: 'Node "{{node}}" has the external address {{address}}.' },
  targets: 'object',
  kinds: ['Node'],
  check(node, ctx) {
    const addresses = (node['status'] as { addresses?: Array<{ type?: string; address?: string }> } | undefined)?.addresses;
    if (!Array.isArray(addresses)) return;
    addresses.forEach((a, i) => {
      if (a?.type === 'ExternalIP' && typeof a.address === 'string') ctx.report('external', { node: node.metadata.name ?? '', address: a.address }, `/status/addresses/${i}`);
    });
  },
});
