import { defineControl } from '../../engine/types.js';
import type { Inventory } from '../../inventory/inventory.js';
import { podMetadataOf } from '../../inventory/podspec.js';
import type { K8sObject } from '../../inventory/types.js';
import { asArray, CONTAINER_KIND_LABEL, isLongRunning, runsToCompletion } from '../support/pod.js';

export default defineControl({
  id: 'KOR-0120',
  name: 'readiness-probe-missing',
  title: 'Container without a readiness probe',
  description:
    'A readiness probe tells Kubernetes when a container can take traffic. Without one the pod is added to Service endpoints as soon as its containers start, and stays there while it is overloaded or shutting down: clients see errors during rollouts and partial failures. Judged for long-running containers (regular containers and native sidecars) of workloads that do not run to completion (not Jobs or CronJobs, nor pods with restartPolicy Never or OnFailure, such as a Job\'s or a workflow engine\'s pods read from a cluster), and only where traffic can arrive: the container declares a port, or a Service of the namespace selects the pod (a load generator or a queue worker takes no traffic).',
  layer: 'container',
  dimensions: ['Monitoring & Health Checks', 'Applications'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'medium',
  frameworks: {},
  remediation: 'Add a `readinessProbe` that succeeds only when the container can serve requests.',
  messages: { missing: '{{kind}} "{{name}}" has no readiness probe (receives traffic before it is ready).' },
  targets: 'container',
  check({ container, containerKind, object, podSpec }, ctx) {
    if (!isLongRunning(container, containerKind) || runsToCompletion(object, podSpec)) return;
    if (container.readinessProbe) return;
    if (asArray(container.ports).length === 0 && !selectedByService(ctx.inventory, object)) return;
    ctx.report('missing', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name }, '');
  },
});

const selectorsByNamespace = new WeakMap<Inventory, Map<string, Array<Record<string, string>>>>();

/** A Service of the object's namespace selects its pods (a non-empty selector, every label of it on the pod template). */
function selectedByService(inv: Inventory, object: K8sObject): boolean {
  let byNs = selectorsByNamespace.get(inv);
  if (!byNs) {
    byNs = new Map();
    for (const svc of inv.byKind('Service')) {
      const sel = (svc.object['spec'] as { selector?: unknown } | undefined)?.selector;
      if (!sel || typeof sel !== 'object' || Array.isArray(sel) || Object.keys(sel).length === 0) continue;
      const ns = inv.namespaceOf(svc.object) ?? 'default';
      const list = byNs.get(ns) ?? [];
      list.push(sel as Record<string, string>);
      byNs.set(ns, list);
    }
    selectorsByNamespace.set(inv, byNs);
  }
  const labels = podMetadataOf(object)?.labels ?? {};
  return (byNs.get(inv.namespaceOf(object) ?? 'default') ?? []).some((sel) => Object.entries(sel).every(([k, v]) => labels[k] === v));
}
