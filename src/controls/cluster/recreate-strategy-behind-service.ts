import { defineControl } from '../../engine/types.js';
import { asRecord, hasController, servicesSelecting, specOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0745',
  name: 'recreate-strategy-behind-service',
  title: 'Service-backed Deployment updated with Recreate',
  description:
    'The Recreate strategy stops every old pod before starting a new one: each rollout of a Deployment that serves a Service is an outage lasting as long as the new pods take to become ready. Recreate is meant for workloads that cannot run two versions at once (a single writer on a ReadWriteOnce volume); elsewhere RollingUpdate keeps serving.',
  layer: 'cluster',
  dimensions: ['Applications', 'Disaster Recovery'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: {},
  remediation: 'Use `strategy.type: RollingUpdate` (with maxUnavailable 0 or 25% and readiness probes), unless two versions truly cannot run side by side.',
  messages: { recreate: 'Deployment "{{name}}" serves Service {{services}} but uses the Recreate strategy: every rollout is an outage.' },
  targets: 'object',
  kinds: ['Deployment'],
  check(object, ctx) {
    if (hasController(object)) return;
    if (asRecord(specOf(object)['strategy'])?.['type'] !== 'Recreate') return;
    const services = servicesSelecting(ctx.inventory, object);
    if (services.length === 0) return;
    ctx.report('recreate', { name: object.metadata.name ?? '', services: services.map((s) => `"${s.object.metadata.name ?? ''}"`).sort().join(', ') }, '/spec/strategy/type');
  },
});
