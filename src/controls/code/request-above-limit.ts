import { defineControl } from '../../engine/types.js';
import { asRecord, parseQuantity } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0799',
  name: 'request-above-limit',
  title: 'Container requests more than its limit',
  description:
    'A container whose request for a resource is above its limit for the same resource is refused by the API server ("must be less than or equal to the limit"): the pod, and every pod of a workload template, is never created. It typically follows from raising a request in one values file while the limit comes from another. Checked against a real kube-apiserver in the test suite.',
  layer: 'code',
  dimensions: ['CI/CD', 'Scalability'],
  phases: ['develop', 'deploy'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Make each request at most its limit: raise the limit or lower the request.',
  messages: { above: 'Container "{{name}}" requests {{request}} of {{resource}} but is limited to {{limit}}: the API server rejects it.' },
  targets: 'container',
  check({ container }, ctx) {
    const requests = asRecord(asRecord(container.resources)?.['requests']);
    const limits = asRecord(asRecord(container.resources)?.['limits']);
    if (!requests || !limits) return;
    for (const [resource, raw] of Object.entries(requests).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const request = parseQuantity(raw);
      const limit = parseQuantity(limits[resource]);
      if (request === undefined || limit === undefined || request <= limit * (1 + 1e-12)) continue;
      ctx.report('above', { name: container.name, resource, request: String(raw), limit: String(limits[resource]) }, `/resources/requests/${resource.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    }
  },
});
