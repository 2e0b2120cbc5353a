import { defineControl } from '../../engine/types.js';
import { workerNodes } from '../support/nodes.js';
import { asRecord, specOf } from '../support/workloads.js';

const ROLE = ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'];

export default defineControl({
  id: 'KOR-0813',
  name: 'control-plane-node-untainted',
  title: 'Control-plane node accepts application pods',
  description:
    'A control-plane node without a NoSchedule or NoExecute taint takes ordinary pods: an application that leaks memory or fills the disk there starves the API server, etcd and the controllers, and a compromised application pod shares a node with the cluster\'s keys. kubeadm and most installers taint control-plane nodes `node-role.kubernetes.io/control-plane:NoSchedule`; the taint is often removed to gain capacity and forgotten. Judged where the inputs hold worker nodes too (single-node clusters schedule on the control plane on purpose).',
  layer: 'cluster',
  dimensions: ['Architecture', 'Security'],
  phases: ['runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Taint the node: `kubectl taint node NAME node-role.kubernetes.io/control-plane:NoSchedule`, and move application pods to worker nodes.',
  messages: { untainted: 'Control-plane node "{{name}}" has no NoSchedule taint: application pods can run beside the API server and etcd.' },
  targets: 'inventory',
  kinds: ['Node'],
  check(inv, ctx) {
    if (workerNodes(inv).length === 0) return;
    for (const node of inv.byKind('Node')) {
      if (!ROLE.some((l) => node.object.metadata.labels?.[l] !== undefined)) continue;
      const taints = specOf(node.object)['taints'];
      if (Array.isArray(taints) && taints.some((t) => ['NoSchedule', 'NoExecute'].includes(String(asRecord(t)?.['effect'])))) continue;
      ctx.report('untainted', { name: node.object.metadata.name ?? '' }, '/spec', { object: node });
    }
  },
});
