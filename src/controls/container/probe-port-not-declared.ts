import { defineControl } from '../../engine/types.js';
import { asArray, CONTAINER_KIND_LABEL } from '../support/pod.js';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

export default defineControl({
  id: 'KOR-0712',
  name: 'probe-port-not-declared',
  title: 'Probe targets a port the container does not declare',
  description:
    'An HTTP, TCP or gRPC probe that names a port (`port: http`) resolves the name among the container\'s own declared ports; a name that is not declared makes the probe fail on every run, so the container never becomes ready or is restarted forever. A numeric port that is missing from a container which declares its ports usually means the probe checks the wrong port (a stale number after the application moved). Judged for liveness, readiness and startup probes.',
  layer: 'container',
  dimensions: ['Monitoring & Health Checks', 'Applications'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Point the probe at a port the container declares (by its name or number), or declare the port in `ports`.',
  severityTable: [
    { case: 'named port not declared', severity: 'medium', reason: 'The kubelet cannot resolve the name: the probe always fails.' },
    { case: 'numeric port not among the declared ports', severity: 'low', reason: 'The process may listen on undeclared ports; it usually is a stale number.' },
  ],
  messages: {
    named: '{{kind}} "{{name}}" {{probe}} uses port "{{port}}", which the container does not declare: the probe always fails.',
    numeric: '{{kind}} "{{name}}" {{probe}} checks port {{port}}, which is not among the container\'s declared ports ({{ports}}).',
  },
  targets: 'container',
  check({ container, containerKind }, ctx) {
    const ports = asArray<{ name?: unknown; containerPort?: unknown }>(container.ports).filter((p) => p && typeof p === 'object');
    const names = new Set(ports.map((p) => p.name).filter((n): n is string => typeof n === 'string'));
    const numbers = new Set(ports.map((p) => p.containerPort).filter((n): n is number => typeof n === 'number'));
    for (const probe of PROBES) {
      const p = container[probe];
      if (!p || typeof p !== 'object') continue;
      for (const action of ['httpGet', 'tcpSocket', 'grpc']) {
        const a = (p as Record<string, unknown>)[action];
        if (!a || typeof a !== 'object') continue;
        const port = (a as { port?: unknown }).port;
        const data = { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name, probe, port: String(port) };
        if (typeof port === 'string' && !/^\d+$/.test(port) && !names.has(port)) ctx.report('named', data, `/${probe}/${action}/port`);
        else if (typeof port === 'number' && numbers.size > 0 && !numbers.has(port)) ctx.report('numeric', { ...data, ports: [...numbers].sort((x, y) => x - y).join(', ') }, `/${probe}/${action}/port`, { severity: 'low' });
      }
    }
  },
});
