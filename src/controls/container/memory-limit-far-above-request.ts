import { defineControl } from '../../engine/types.js';
import { CONTAINER_KIND_LABEL, isLongRunning } from '../support/pod.js';
import { resourceOf } from '../support/workloads.js';

/** A memory limit more than this many times the request is reported. */
const RATIO = 2;

export default defineControl({
  id: 'KOR-0709',
  name: 'memory-limit-far-above-request',
  title: 'Memory limit far above the memory request',
  description:
    'The scheduler places pods by their requests; the limit is what a container may really use. A memory limit more than twice the request lets the node be overcommitted: when several containers grow towards their limits together, the kernel OOM-kills processes or the kubelet evicts pods (those using more than they requested go first), long before any container reaches its own limit. Memory cannot be throttled, unlike CPU. Judged for long-running containers that set both values.',
  layer: 'container',
  dimensions: ['Scalability', 'Applications'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: {},
  remediation: 'Set the memory request to the container\'s real working set and keep the limit at most twice that (equal request and limit give the pod predictable memory).',
  messages: { ratio: '{{kind}} "{{name}}" requests {{request}} of memory but may use {{limit}} ({{ratio}}x): the node can be overcommitted into OOM kills and evictions.' },
  targets: 'container',
  check({ container, containerKind }, ctx) {
    if (!isLongRunning(container, containerKind)) return;
    const req = resourceOf(container.resources, 'requests', 'memory');
    const lim = resourceOf(container.resources, 'limits', 'memory');
    if (req === undefined || lim === undefined || req <= 0 || lim <= req * RATIO) return;
    const r = container.resources as { requests: Record<string, unknown>; limits: Record<string, unknown> };
    ctx.report('ratio', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name, request: String(r.requests['memory']), limit: String(r.limits['memory']), ratio: Math.round((lim / req) * 10) / 10 }, '/resources/limits/memory');
  },
});
