import { defineControl } from '../../engine/types.js';
import { containersOf, podSpecOf } from '../../inventory/podspec.js';
import { monitorScope, undeclaredPorts, workloadsSelected } from '../support/monitors.js';
import { asRecord } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0802',
  name: 'podmonitor-port-missing',
  title: 'PodMonitor scrapes a port name its pods do not declare',
  description:
    'A PodMonitor endpoint\'s `port` is the name of a container port. When no container of the pods the monitor selects declares a port of that name, Prometheus has no target for the endpoint and the metrics are silently missing. Judged for monitors that select at least one workload in the inputs (a monitor selecting none is KOR-0769).',
  layer: 'cluster',
  dimensions: ['Monitoring & Health Checks'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Use in `spec.podMetricsEndpoints[].port` the name of the container port that serves the metrics, and name that port in the pod template.',
  messages: { missing: 'PodMonitor "{{name}}" scrapes port "{{port}}", which no container of {{workloads}} declares: nothing is scraped there.' },
  targets: 'object',
  kinds: ['PodMonitor'],
  check(object, ctx) {
    const scope = monitorScope(object, ctx.inventory);
    if (!scope || scope.namespaces === 'any') return;
    const selected = workloadsSelected(scope.namespaces, scope.selector, ctx.inventory);
    if (selected.length === 0) return;
    const names = new Set<string>();
    for (const w of selected) {
      const ps = podSpecOf(w.object);
      if (!ps) continue;
      for (const c of containersOf(ps)) for (const p of Array.isArray(c.container.ports) ? c.container.ports : []) if (typeof asRecord(p)?.['name'] === 'string') names.add(asRecord(p)!['name'] as string);
    }
    for (const { index, port } of undeclaredPorts(object, 'podMetricsEndpoints', names)) {
      ctx.report('missing', { name: object.metadata.name ?? '', port, workloads: selected.map((w) => `${w.object.kind} "${w.object.metadata.name ?? ''}"`).sort().join(', ') }, `/spec/podMetricsEndpoints/${index}/port`);
    }
  },
});
