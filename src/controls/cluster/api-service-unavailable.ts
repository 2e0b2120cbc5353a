import { defineControl } from '../../engine/types.js';
import { asRecord, specOf, statusOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0821',
  name: 'api-service-unavailable',
  title: 'Aggregated API is unavailable',
  description:
    'An APIService backed by a Service (metrics-server\'s metrics.k8s.io, custom and external metrics adapters, other extension API servers) whose Available condition is False answers nothing: autoscalers that read its metrics stop scaling, `kubectl top` fails, API discovery reports errors to every client, and namespace deletion hangs on the group it cannot list. Judged on APIServices read with their status from a cluster or a snapshot.',
  layer: 'cluster',
  dimensions: ['Monitoring & Health Checks', 'Scalability'],
  phases: ['runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: {},
  remediation: 'Read the condition\'s message (`kubectl get apiservice NAME -o yaml`): bring the backing Service\'s pods back (or fix its network path from the API server), or delete the APIService if the extension was removed.',
  messages: { down: 'APIService "{{name}}" is unavailable ({{reason}}): clients of {{group}} get errors.' },
  targets: 'object',
  kinds: ['APIService'],
  check(object, ctx) {
    if (!asRecord(specOf(object)['service'])) return;
    const conditions = statusOf(object)['conditions'];
    if (!Array.isArray(conditions)) return;
    conditions.forEach((c, i) => {
      const r = asRecord(c);
      if (r?.['type'] !== 'Available' || r['status'] !== 'False') return;
      const group = specOf(object)['group'];
      ctx.report('down', { name: object.metadata.name ?? '', reason: typeof r['reason'] === 'string' ? r['reason'] : 'no reason given', group: typeof group === 'string' && group !== '' ? group : 'the group' }, `/status/conditions/${i}`);
    });
  },
});
