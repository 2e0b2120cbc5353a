import { defineControl } from '../../engine/types.js';
import { asArray, CONTAINER_KIND_LABEL } from '../support/pod.js';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

export default defineControl({
  id: 'KOR-0712',
  name: 'probe-port-not-declared',
  title: 'Probe targets a port name the container does not declare',
  description:
    'An HTTP, TCP or gRPC probe that names a port (`port: http`) resolves the name among the container\'s own declared ports; a name that is not declared makes the probe fail on every run, so the container never becomes ready or is restarted forever. Judged for liveness, readiness and startup probes; numeric ports are not judged (a process may listen on ports it does not declare, such as a metrics port).',
  layer: 'container',
  dimensions: ['Monitoring & Health Checks', 'Applications'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Point the probe at a port the container declares (by its name or number), or declare the port in `ports`.',
  messages: {
    named: '{{kind}} "{{name}}" {{probe}} uses port "{{port}}", which the container does not declare: the probe always fails.',
  },
  targets: 'container',
  check({ container, containerKind }, ctx) {
    const ports = asArray<{ name?: unknown; containerPort?: unknown }>(container.ports).filter((p) => p && typeof p === 'object');
    const names = new Set(ports.map((p) => p.name).filter((n): n is string => typeof n === 'string'));
    for (const probe of PROBES) {
      const p = container[probe];
      if (!p || typeof p !== 'object') continue;
      for (const action of ['httpGet', 'tcpSocket', 'grpc']) {
        const a = (p as Record<string, unknown>)[action];
        if (!a || typeof a !== 'object') continue;
        const port = (a as { port?: unknown }).port;
        if (typeof port === 'string' && !/^\d+$/.test(port) && !names.has(port)) ctx.report('named', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name, probe, port }, `/${probe}/${action}/port`);
      }
    }
  },
});
