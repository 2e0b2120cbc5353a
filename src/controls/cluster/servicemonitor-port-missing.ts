import { defineControl } from '../../engine/types.js';
import { monitorScope, servicesSelected, undeclaredPorts } from '../support/monitors.js';
import { asRecord, specOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0801',
  name: 'servicemonitor-port-missing',
  title: 'ServiceMonitor scrapes a port name its Services do not have',
  description:
    'A ServiceMonitor endpoint\'s `port` is the name of a Service port. When none of the Services the monitor selects has a port of that name (the Service names it `metrics` and the monitor `http-metrics`, or the port is unnamed), Prometheus finds no target for the endpoint: the metrics and the alerts built on them are silently absent, while the monitor looks correct. Judged for monitors that select at least one Service in the inputs (a monitor selecting none is KOR-0753).',
  layer: 'cluster',
  dimensions: ['Monitoring & Health Checks'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Use in `spec.endpoints[].port` the name of the Service port that serves the metrics (and name that port in the Service if it has no name).',
  messages: { missing: 'ServiceMonitor "{{name}}" scrapes port "{{port}}", which none of its Services ({{services}}) declares: nothing is scraped there.' },
  targets: 'object',
  kinds: ['ServiceMonitor'],
  check(object, ctx) {
    const scope = monitorScope(object, ctx.inventory);
    if (!scope) return;
    const selected = servicesSelected(scope, ctx.inventory);
    if (selected.length === 0) return;
    const names = new Set(selected.flatMap((s) => (Array.isArray(specOf(s.object)['ports']) ? (specOf(s.object)['ports'] as unknown[]) : []).map((p) => asRecord(p)?.['name']).filter((n): n is string => typeof n === 'string')));
    for (const { index, port } of undeclaredPorts(object, 'endpoints', names)) {
      ctx.report('missing', { name: object.metadata.name ?? '', port, services: selected.map((s) => `"${s.object.metadata.name ?? ''}"`).sort().join(', ') }, `/spec/endpoints/${index}/port`);
    }
  },
});
