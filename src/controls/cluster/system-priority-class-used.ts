import { defineControl } from '../../engine/types.js';
import { SYSTEM_NAMESPACES } from '../support/namespaces.js';
import { servicesSelecting } from '../support/workloads.js';
import type { Inventory } from '../../inventory/inventory.js';
import type { K8sObject } from '../../inventory/types.js';

const SYSTEM_CLASSES = ['system-node-critical', 'system-cluster-critical'];

/** Does an admission webhook of the input call a Service in front of this workload? Such a backend is cluster-critical by design. */
function servesAdmissionWebhook(inv: Inventory, object: K8sObject): boolean {
  const services = servicesSelecting(inv, object);
  if (services.length === 0) return false;
  const keys = new Set(services.map((s) => `${inv.namespaceOf(s.object) ?? ''}/${s.object.metadata.name ?? ''}`));
  return [...inv.byKind('ValidatingWebhookConfiguration'), ...inv.byKind('MutatingWebhookConfiguration')].some((w) =>
    (Array.isArray(w.object['webhooks']) ? (w.object['webhooks'] as Array<{ clientConfig?: { service?: { name?: unknown; namespace?: unknown } } }>) : []).some((h) => {
      const svc = h?.clientConfig?.service;
      return !!svc && keys.has(`${typeof svc.namespace === 'string' ? svc.namespace : ''}/${typeof svc.name === 'string' ? svc.name : ''}`);
    }),
  );
}

export default defineControl({
  id: 'KOR-0249',
  name: 'system-priority-class-used',
  title: 'Application pod uses a system-critical priority class',
  description:
    '`system-node-critical` and `system-cluster-critical` are the highest priorities the scheduler knows, reserved for what keeps nodes and the cluster alive (CNI, kube-proxy, CoreDNS, metrics). An application pod that uses one preempts those components when nodes are full, and is the last to be evicted under memory pressure: a bug or an attacker in it can push the cluster\'s own add-ons off their nodes. Kubernetes allows them outside kube-system when a ResourceQuota permits, so nothing else stops it. Node agents (DaemonSets) and the backends of the input\'s admission webhooks (which must not be evicted before the pods they admit) are not reported.',
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
    // node agents (DaemonSets) and admission webhook backends are what these classes are for
    if (SYSTEM_NAMESPACES.has(ns) || object.kind === 'DaemonSet' || servesAdmissionWebhook(ctx.inventory, object)) return;
    ctx.report('system', { kind: object.kind, name: object.metadata.name ?? '', namespace: ns, class: cls }, '/priorityClassName');
  },
});
