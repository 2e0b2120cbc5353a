import { defineControl } from '../../engine/types.js';
import { statusOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0803',
  name: 'pod-evicted',
  title: 'Pod was evicted by its node',
  description:
    'A pod in phase Failed with reason Evicted was removed by the kubelet because its node ran short of memory, disk or process ids (or it exceeded its own ephemeral-storage limit). The workload\'s controller replaces it, so the failure is easy to miss, but evictions mean the node\'s capacity or the pod\'s requests are wrong and they interrupt whatever the pod was doing. Judged on pods read with their status from a cluster or a snapshot.',
  layer: 'cluster',
  dimensions: ['Scalability', 'Monitoring & Health Checks'],
  phases: ['runtime'],
  severity: 'low',
  effort: 'medium',
  frameworks: {},
  remediation: 'Read the eviction message (`kubectl describe pod`) for the resource that ran short, then set requests that match real use (memory, ephemeral-storage), size the nodes accordingly, and delete the evicted pod objects.',
  messages: { evicted: 'Pod "{{name}}" was evicted: {{reason}}.' },
  targets: 'object',
  kinds: ['Pod'],
  check(object, ctx) {
    const status = statusOf(object);
    if (status['phase'] !== 'Failed' || status['reason'] !== 'Evicted') return;
    const message = typeof status['message'] === 'string' ? status['message'] : '';
    // the kubelet's message names the resource ("The node was low on resource: memory. ..."); only that part is repeated
    const m = /low on resource: ([a-z-]+)/.exec(message) ?? /(ephemeral local storage|ephemeral-storage)/.exec(message);
    ctx.report('evicted', { name: object.metadata.name ?? '', reason: m ? `the node was low on ${m[1]}` : 'the node was under resource pressure' }, '/status/reason');
  },
});
