import { defineControl } from '../../engine/types.js';
import { asRecord, specOf, statusOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0740',
  name: 'workload-replicas-unavailable',
  title: 'Workload runs fewer available replicas than it wants',
  description:
    'A Deployment or StatefulSet whose status shows fewer ready/available replicas than its spec asks for (or a DaemonSet with pods unavailable) runs degraded: it has less capacity and less redundancy than planned, often because of a failed rollout, crashing pods or missing capacity. Judged on objects read with their status from a cluster or a snapshot, once their controller has observed the latest generation.',
  layer: 'cluster',
  dimensions: ['Monitoring & Health Checks', 'Applications'],
  phases: ['runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: {},
  remediation: 'Find why the missing pods are not ready (`kubectl rollout status`, the pods\' events and logs) and fix the rollout, the crash or the capacity.',
  messages: { degraded: '{{kind}} "{{name}}" has {{available}} of {{wanted}} replicas available.' },
  targets: 'object',
  kinds: ['Deployment', 'StatefulSet', 'DaemonSet'],
  check(object, ctx) {
    const status = statusOf(object);
    if (Object.keys(status).length === 0) return;
    const gen = object.metadata['generation'];
    if (typeof gen === 'number' && typeof status['observedGeneration'] === 'number' && status['observedGeneration'] < gen) return;
    const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
    let wanted: number;
    let available: number;
    if (object.kind === 'DaemonSet') {
      wanted = num(status['desiredNumberScheduled']);
      available = num(status['numberAvailable']);
    } else {
      const r = specOf(object)['replicas'];
      wanted = typeof r === 'number' ? r : 1;
      available = object.kind === 'StatefulSet' ? num(status['readyReplicas']) : num(status['availableReplicas']);
    }
    if (wanted === 0 || available >= wanted) return;
    ctx.report('degraded', { kind: object.kind, name: object.metadata.name ?? '', available, wanted }, asRecord(object['status']) ? '/status' : '');
  },
});
