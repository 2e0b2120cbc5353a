import { defineControl } from '../../engine/types.js';
import { CONTAINER_KIND_LABEL, isLongRunning } from '../support/pod.js';
import { resourceOf } from '../support/workloads.js';

/** A CPU limit more than this many times the request is reported. */
const RATIO = 4;

export default defineControl({
  id: 'KOR-0710',
  name: 'cpu-limit-far-above-request',
  title: 'CPU limit far above the CPU request',
  description:
    'A CPU limit more than four times the request means the container is sized by what it may burst to, not by what it was scheduled for: on a busy node it gets only its request, so latency depends on its neighbours, and the autoscaler (which scales on utilisation of the request) sees utilisation far above 100% and scales erratically. Judged for long-running containers that set both values.',
  layer: 'container',
  dimensions: ['Scalability'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: {},
  remediation: 'Raise the CPU request towards the container\'s usual consumption, or lower the limit, so that the limit is at most four times the request.',
  messages: { ratio: '{{kind}} "{{name}}" requests {{request}} CPU but may burst to {{limit}} ({{ratio}}x).' },
  targets: 'container',
  check({ container, containerKind }, ctx) {
    if (!isLongRunning(container, containerKind)) return;
    const req = resourceOf(container.resources, 'requests', 'cpu');
    const lim = resourceOf(container.resources, 'limits', 'cpu');
    if (req === undefined || lim === undefined || req <= 0 || lim <= req * RATIO) return;
    const r = container.resources as { requests: Record<string, unknown>; limits: Record<string, unknown> };
    ctx.report('ratio', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name, request: String(r.requests['cpu']), limit: String(r.limits['cpu']), ratio: Math.round((lim / req) * 10) / 10 }, '/resources/limits/cpu');
  },
});
