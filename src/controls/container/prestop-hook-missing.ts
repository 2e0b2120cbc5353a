import { defineControl } from '../../engine/types.js';
import { CONTAINER_KIND_LABEL, isLongRunning, runsToCompletion } from '../support/pod.js';
import { asRecord, servicesSelecting } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0714',
  name: 'prestop-hook-missing',
  title: 'Container behind a Service without a preStop hook',
  description:
    'When a pod is deleted, the kubelet signals its containers at the same time as the endpoint controllers remove it from Services; load balancers and kube-proxy learn about it a moment later and keep sending requests to a process that is already exiting. A short `preStop` hook (a sleep of a few seconds) keeps the container serving until traffic has moved away, so rollouts and drains drop no requests. Judged for long-running containers that declare a port, in workloads a Service of their namespace selects.',
  layer: 'container',
  dimensions: ['Applications'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: {},
  remediation: 'Add `lifecycle.preStop` (the `sleep` action, or `exec` of `sleep 5`) and keep terminationGracePeriodSeconds above its duration plus the application\'s shutdown time.',
  messages: { missing: '{{kind}} "{{name}}" serves traffic through Service {{services}} but has no preStop hook: requests in flight during rollouts fail.' },
  targets: 'container',
  check({ container, containerKind, object, podSpec }, ctx) {
    if (!isLongRunning(container, containerKind) || runsToCompletion(object, podSpec)) return;
    if (!Array.isArray(container.ports) || container.ports.length === 0) return;
    if (asRecord(container.lifecycle)?.['preStop'] !== undefined) return;
    const services = servicesSelecting(ctx.inventory, object);
    if (services.length === 0) return;
    ctx.report('missing', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name, services: services.map((s) => `"${s.object.metadata.name ?? ''}"`).sort().join(', ') }, '');
  },
});
