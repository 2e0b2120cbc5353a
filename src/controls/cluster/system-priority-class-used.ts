import { defineControl } from '../../engine/types.js';
import { SYSTEM_NAMESPACES } from '../support/namespaces.js';

const SYSTEM_CLASSES = ['system-node-critical', 'system-cluster-critical'];

export default defineControl({
  id: 'KOR-0249',
  name: 'system-priority-class-used',
  title: 'Application pod uses a system-critical priority class',
  description:
    '`system-node-critical` and `system-cluster-critical` are the highest priorities the scheduler knows, reserved for what keeps nodes and the cluster alive (CNI, kube-proxy, CoreDNS, metrics). An application pod that uses one preempts those components when nodes are full, and is the last to be evicted under memory pressure: a bug or an attacker in it can push the cluster\'s own add-ons off their nodes. Kubernetes allows them outside kube-system when a ResourceQuota permits, so nothing else stops it.',
  layer: 'cluster',
  dimensions: ['Security', 'Scalability'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: { nsa: ['resource-policies'], mitre: ['T1499'] },
  remediation: 'Give the workload a PriorityClass of its own below the system classes, and restrict the system classes with a ResourceQuota scoped by `PriorityClass` in application namespaces.',
  messages: { system: '{{kind}} "{{name}}" in namespace "{{namespace}}" runs with priority class {{class}}.' },
  targets: 'podSpec',
  check({ podSpec, object }, ctx) {
    const cls = (podSpec as { priorityClassName?: unknown }).priorityClassName;
    if (typeof cls !== 'string' || !SYSTEM_CLASSES.includes(cls)) return;
    const ns = ctx.inventory.namespaceOf(object) ?? 'default';
    if (SYSTEM_NAMESPACES.has(ns)) return;
    ctx.report('system', { kind: object.kind, name: object.metadata.name ?? '', namespace: ns, class: cls }, '/priorityClassName');
  },
});
