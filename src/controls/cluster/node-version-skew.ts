import { defineControl } from '../../engine/types.js';
import type { InventoryObject } from '../../inventory/types.js';
import { asRecord } from '../support/workloads.js';

function minorOf(node: InventoryObject): number | undefined {
  const v = asRecord(asRecord(node.object['status'])?.['nodeInfo'])?.['kubeletVersion'];
  const m = typeof v === 'string' ? /^v?1\.(\d+)\./.exec(v) : null;
  return m ? Number(m[1]) : undefined;
}

export default defineControl({
  id: 'KOR-0765',
  name: 'node-version-skew',
  title: 'Nodes run different Kubernetes minor versions',
  description:
    'Nodes whose kubelets run different minor versions mean an upgrade stopped half way or a node pool was forgotten: the old nodes miss fixes and features the rest has, workloads behave differently depending on where they land, and the next control-plane upgrade may take the oldest kubelets beyond the supported skew. Judged from `status.nodeInfo.kubeletVersion` of nodes read from a cluster or a snapshot.',
  layer: 'cluster',
  dimensions: ['Architecture', 'CI/CD'],
  phases: ['runtime'],
  severity: 'low',
  effort: 'medium',
  frameworks: { nsa: ['upgrading'] },
  remediation: 'Finish the upgrade: bring every node pool to the control plane\'s minor version, one pool at a time.',
  messages: { skew: '{{count}} nodes run kubelet 1.{{oldest}} while others run 1.{{newest}}: an upgrade is unfinished.' },
  targets: 'inventory',
  kinds: ['Node'],
  check(inv, ctx) {
    const nodes = inv.byKind('Node').map((n) => ({ n, minor: minorOf(n) })).filter((x): x is { n: InventoryObject; minor: number } => x.minor !== undefined);
    if (nodes.length < 2) return;
    const oldest = Math.min(...nodes.map((x) => x.minor));
    const newest = Math.max(...nodes.map((x) => x.minor));
    if (oldest === newest) return;
    const old = nodes.filter((x) => x.minor === oldest).sort((a, b) => (a.n.id < b.n.id ? -1 : 1));
    ctx.report('skew', { count: old.length, oldest, newest }, '/status/nodeInfo/kubeletVersion', { object: old[0]!.n });
  },
});
