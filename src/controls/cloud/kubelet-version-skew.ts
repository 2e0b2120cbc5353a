import { defineControl } from '../../engine/types.js';
import { apiServerVersion, nodeInfoOf } from '../../nodes/node-versions.js';
import { parseVersion } from '../../nodes/versions.js';

export default defineControl({
  id: 'KOR-0522',
  name: 'kubelet-version-skew',
  title: 'Kubelet version outside the supported skew from the API server',
  description:
    'The version skew policy lets a kubelet be at most three minor versions older than the kube-apiserver (two before 1.28) and never newer. A kubelet outside it runs untested combinations, and a very old kubelet usually means a node pool nobody upgrades (with the vulnerabilities of its version). The API server version is taken from the control plane\'s static pods; managed clusters that show none are not judged.',
  dimensions: ['Security', 'Architecture'],
  layer: 'cloud',
  phases: ['runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: { nsa: ['upgrading-and-application-security-practices'] },
  remediation: 'Upgrade the node pool so that its kubelets are at most three minor versions behind the API server, and upgrade the control plane before the nodes.',
  messages: {
    newer: 'Node "{{node}}" runs kubelet {{kubelet}}, newer than the API server {{apiserver}} (a kubelet must not be newer).',
    older: 'Node "{{node}}" runs kubelet {{kubelet}}, {{behind}} minor versions behind the API server {{apiserver}} (at most {{allowed}} allowed).',
  },
  targets: 'object',
  kinds: ['Node'],
  check(node, ctx) {
    const kubelet = nodeInfoOf(node).kubeletVersion;
    const api = apiServerVersion(ctx.inventory);
    const k = kubelet ? parseVersion(kubelet) : undefined;
    const a = api ? parseVersion(api) : undefined;
    if (!k || !a || k.nums[0] !== 1 || a.nums[0] !== 1) return;
    const behind = (a.nums[1] ?? 0) - (k.nums[1] ?? 0);
    const allowed = (a.nums[1] ?? 0) >= 28 ? 3 : 2;
    if (behind < 0) ctx.report('newer', { node: node.metadata.name ?? '', kubelet: kubelet!, apiserver: api! }, '/status/nodeInfo/kubeletVersion');
    else if (behind > allowed) ctx.report('older', { node: node.metadata.name ?? '', kubelet: kubelet!, apiserver: api!, behind, allowed }, '/status/nodeInfo/kubeletVersion');
  },
});
