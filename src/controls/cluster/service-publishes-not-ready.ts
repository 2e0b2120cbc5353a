import { defineControl } from '../../engine/types.js';
import { specOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0789',
  name: 'service-publishes-not-ready',
  title: 'Service sends traffic to pods that are not ready',
  description:
    '`publishNotReadyAddresses: true` puts every pod the Service selects into its endpoints, ready or not: clients reach pods that are still starting, failing their readiness probe or shutting down, so readiness probes and graceful shutdown stop protecting them. It is meant for headless Services that peers use to discover each other (a StatefulSet forming a cluster); on a Service with a cluster IP or an external address it sends user traffic to broken pods.',
  layer: 'cluster',
  dimensions: ['Applications', 'Monitoring & Health Checks'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  fixable: true,
  frameworks: {},
  remediation: 'Remove `publishNotReadyAddresses` from Services that serve clients; keep it only on a separate headless Service for peer discovery.',
  messages: { notReady: 'Service "{{name}}" ({{type}}) publishes pods that are not ready: its clients reach starting and failing pods.' },
  cel: { expression: "!has(object.spec.publishNotReadyAddresses) || !object.spec.publishNotReadyAddresses || (has(object.spec.clusterIP) && object.spec.clusterIP == 'None') || (has(object.spec.type) && object.spec.type == 'ExternalName')", message: 'Services with a cluster IP must not publish pods that are not ready.' },
  targets: 'object',
  kinds: ['Service'],
  check(object, ctx) {
    const spec = specOf(object);
    if (spec['publishNotReadyAddresses'] !== true || spec['clusterIP'] === 'None' || spec['type'] === 'ExternalName') return;
    ctx.report('notReady', { name: object.metadata.name ?? '', type: typeof spec['type'] === 'string' ? spec['type'] : 'ClusterIP' }, '/spec/publishNotReadyAddresses', { fix: [{ op: 'remove', path: '/spec/publishNotReadyAddresses' }] });
  },
});
