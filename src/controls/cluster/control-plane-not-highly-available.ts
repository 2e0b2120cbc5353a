import { defineControl } from '../../engine/types.js';

const ROLE = ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'];

export default defineControl({
  id: 'KOR-0814',
  name: 'control-plane-not-highly-available',
  title: 'Control plane runs on one or two nodes',
  description:
    'With one control-plane node, its loss stops the API server, the scheduler and the controllers (nothing can be deployed, scaled or healed) and, with stacked etcd, can lose the cluster\'s state. Two nodes are no better: etcd needs a majority, and losing either of two members loses quorum. Three (or five) control-plane nodes in different zones survive one (or two) failures. Judged where the nodes carry the control-plane role label and worker nodes are present (managed control planes are not visible as nodes and are not judged).',
  layer: 'cluster',
  dimensions: ['Disaster Recovery', 'Architecture'],
  phases: ['runtime'],
  severity: 'medium',
  effort: 'high',
  frameworks: {},
  remediation: 'Run three control-plane nodes (with etcd) in separate failure domains behind a load-balanced API endpoint, and back etcd up.',
  messages: {
    one: 'The control plane runs on a single node ("{{names}}"): losing it stops the API server and may lose etcd.',
    two: 'The control plane runs on two nodes ({{names}}): etcd loses quorum when either fails.',
  },
  targets: 'inventory',
  kinds: ['Node'],
  check(inv, ctx) {
    const nodes = inv.byKind('Node');
    const cp = nodes.filter((n) => ROLE.some((l) => n.object.metadata.labels?.[l] !== undefined)).sort((a, b) => (a.id < b.id ? -1 : 1));
    if (cp.length === 0 || cp.length > 2 || cp.length === nodes.length) return;
    const names = cp.map((n) => `"${n.object.metadata.name ?? ''}"`).join(', ');
    ctx.report(cp.length === 1 ? 'one' : 'two', { names: cp.length === 1 ? cp[0]!.object.metadata.name ?? '' : names }, '/metadata/labels', { object: cp[0]! });
  },
});
