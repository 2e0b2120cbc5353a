import { defineControl } from '../../engine/types.js';
import { CONTAINER_KIND_LABEL } from '../support/pod.js';

/** The probe's action (what it checks), without its timing fields. */
function action(probe: unknown): string | undefined {
  if (!probe || typeof probe !== 'object') return undefined;
  const p = probe as Record<string, unknown>;
  for (const k of ['httpGet', 'tcpSocket', 'exec', 'grpc']) if (p[k] !== undefined) return JSON.stringify([k, sorted(p[k])]);
  return undefined;
}

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]));
  return v;
}

export default defineControl({
  id: 'KOR-0711',
  name: 'liveness-equals-readiness',
  title: 'Liveness probe identical to the readiness probe',
  description:
    'Readiness and liveness answer different questions: "send me traffic?" and "restart me?". When both run the same check, a container that is only overloaded or waiting for a dependency fails readiness and is then restarted by liveness as well, which turns a slow-down into a restart loop across every replica at once. Judged when both probes run the same action (same HTTP path and port, TCP port, command or gRPC service), whatever their timings.',
  layer: 'container',
  dimensions: ['Monitoring & Health Checks', 'Applications'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'medium',
  frameworks: {},
  remediation: 'Make the liveness probe check only that the process is alive (a cheap endpoint that does not depend on downstream services), and keep dependency checks in the readiness probe.',
  messages: { same: '{{kind}} "{{name}}" uses the same check for liveness and readiness: a slow dependency makes it restart, not just leave the load balancer.' },
  targets: 'container',
  check({ container, containerKind }, ctx) {
    const live = action(container.livenessProbe);
    if (live === undefined || live !== action(container.readinessProbe)) return;
    ctx.report('same', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name }, '/livenessProbe');
  },
});
