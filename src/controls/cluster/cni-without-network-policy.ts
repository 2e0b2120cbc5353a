import { defineControl } from '../../engine/types.js';
import { podSpecOf } from '../../inventory/podspec.js';
import type { InventoryObject } from '../../inventory/types.js';

/** CNI plugins by an image name fragment: whether they enforce NetworkPolicy. */
const ENFORCING = ['calico', 'cilium', 'antrea', 'weave-npc', 'weaveworks/weave-kube', 'kube-router', 'canal', 'aws-network-policy-agent', 'network-policy-agent', 'azure-npm', 'kube-ovn', 'ovn-kubernetes', 'romana', 'netpol'];
const NON_ENFORCING = ['flannel', 'amazon-k8s-cni', 'aws-vpc-cni', 'kindnet', 'azure-cni', 'bridge-cni'];

function images(item: InventoryObject): string[] {
  const ps = podSpecOf(item.object);
  if (!ps) return [];
  return [...(Array.isArray(ps.spec.containers) ? ps.spec.containers : []), ...(Array.isArray(ps.spec.initContainers) ? ps.spec.initContainers : [])]
    .map((c) => (c && typeof c === 'object' && typeof c.image === 'string' ? c.image.toLowerCase() : ''))
    .filter(Boolean);
}

export default defineControl({
  id: 'KOR-0756',
  name: 'cni-without-network-policy',
  title: 'Network plugin does not enforce NetworkPolicies',
  description:
    'NetworkPolicies are enforced by the network plugin, not by Kubernetes: with a plugin that does not implement them (flannel alone, the AWS VPC CNI without its network policy agent, kindnet) every policy is accepted by the API server and ignored, and pods stay reachable from everywhere (CIS 5.3.1). Judged from the DaemonSets of kube-system read from a cluster or a snapshot: reported when a plugin known not to enforce policies runs and none known to enforce them does.',
  layer: 'cluster',
  dimensions: ['Security', 'Architecture'],
  phases: ['runtime'],
  severity: 'high',
  effort: 'high',
  frameworks: { cis: ['5.3.1'], nsa: ['network-policies'] },
  remediation: 'Run a network plugin that enforces NetworkPolicies (Calico, Cilium, Antrea, or the provider\'s policy agent next to its CNI), then check that a default-deny policy really blocks traffic.',
  messages: { unenforced: 'The cluster\'s network plugin ({{plugin}}) does not enforce NetworkPolicies: every policy is ignored.' },
  targets: 'inventory',
  kinds: ['DaemonSet'],
  check(inv, ctx) {
    const daemonSets = inv.byKind('DaemonSet').filter((d) => inv.namespaceOf(d.object) === 'kube-system').sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const all = daemonSets.map((d) => ({ d, imgs: images(d) }));
    if (all.some(({ imgs }) => imgs.some((i) => ENFORCING.some((e) => i.includes(e))))) return;
    const plain = all.find(({ imgs }) => imgs.some((i) => NON_ENFORCING.some((e) => i.includes(e))));
    if (!plain) return;
    const plugin = NON_ENFORCING.find((e) => plain.imgs.some((i) => i.includes(e)))!;
    ctx.report('unenforced', { plugin }, '/spec/template/spec/containers', { object: plain.d });
  },
});
