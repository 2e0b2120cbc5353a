import { defineControl } from '../../engine/types.js';
import { monitorScope, servicesInScope, servicesSelected } from '../support/monitors.js';

export default defineControl({
  id: 'KOR-0753',
  name: 'servicemonitor-selects-nothing',
  title: 'ServiceMonitor selects no Service',
  description:
    'A Prometheus Operator ServiceMonitor scrapes the endpoints of the Services its `selector` (and `namespaceSelector`) match; one that matches none scrapes nothing, so the metrics and alerts built on it are silently empty, usually after a Service label was renamed. Judged where the inputs hold Services of every namespace the monitor looks in (monitors with `namespaceSelector.any` are judged against all Services read).',
  layer: 'cluster',
  dimensions: ['Monitoring & Health Checks'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: { nsa: ['threat-detection-alerting'] },
  remediation: 'Make the ServiceMonitor\'s `spec.selector` match the labels of the Service to scrape (its metadata labels, not its pod selector), and its `namespaceSelector` the Service\'s namespace.',
  messages: { nothing: 'ServiceMonitor "{{name}}" selects no Service in {{where}}: it scrapes nothing.' },
  targets: 'object',
  kinds: ['ServiceMonitor'],
  check(object, ctx) {
    const scope = monitorScope(object, ctx.inventory);
    if (!scope) return;
    const { namespaces } = scope;
    const services = servicesInScope(scope, ctx.inventory);
    if (namespaces === 'any' ? services.length === 0 : namespaces.some((n) => !services.some((s) => (ctx.inventory.namespaceOf(s.object) ?? 'default') === n))) return;
    if (servicesSelected(scope, ctx.inventory).length > 0) return;
    ctx.report('nothing', { name: object.metadata.name ?? '', where: scope.where }, '/spec/selector');
  },
});
