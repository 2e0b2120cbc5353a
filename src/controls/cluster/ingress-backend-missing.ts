import { defineControl } from '../../engine/types.js';
import { asRecord, objectsIn } from '../support/workloads.js';

interface Backend {
  pointer: string;
  service: string;
  port: { number?: number; name?: string };
}

function backendOf(v: unknown, pointer: string): Backend | undefined {
  const svc = asRecord(asRecord(v)?.['service']);
  if (!svc || typeof svc['name'] !== 'string') return undefined;
  const port = asRecord(svc['port']) ?? {};
  return { pointer: `${pointer}/service`, service: svc['name'], port: { ...(typeof port['number'] === 'number' ? { number: port['number'] } : {}), ...(typeof port['name'] === 'string' ? { name: port['name'] } : {}) } };
}

export default defineControl({
  id: 'KOR-0732',
  name: 'ingress-backend-missing',
  title: 'Ingress routes to a Service or port that does not exist',
  description:
    'An Ingress backend naming a Service that is not in the Ingress\'s namespace, or a port that Service does not expose, answers 503 (or the controller\'s default backend) for every request on that path. Judged for networking.k8s.io/v1 backends (default backend and every rule path) where the inputs hold at least one Service of the Ingress\'s namespace; resource backends are not judged.',
  layer: 'cluster',
  dimensions: ['Applications'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Point the backend at an existing Service of the Ingress\'s namespace and one of its ports (by number or name), or remove the rule.',
  messages: {
    service: 'Ingress "{{name}}" routes to Service "{{service}}", which is not in namespace "{{namespace}}": requests get 503.',
    port: 'Ingress "{{name}}" routes to port {{port}} of Service "{{service}}", which does not expose it: requests get 503.',
  },
  targets: 'object',
  kinds: ['Ingress'],
  check(object, ctx) {
    const spec = asRecord(object['spec']);
    if (!spec) return;
    const ns = ctx.inventory.namespaceOf(object) ?? 'default';
    if (objectsIn(ctx.inventory, 'Service', ns).length === 0) return;
    const backends: Backend[] = [];
    const d = backendOf(spec['defaultBackend'], '/spec/defaultBackend');
    if (d) backends.push(d);
    (Array.isArray(spec['rules']) ? spec['rules'] : []).forEach((rule, i) => {
      const paths = asRecord(asRecord(rule)?.['http'])?.['paths'];
      (Array.isArray(paths) ? paths : []).forEach((p, j) => {
        const b = backendOf(asRecord(p)?.['backend'], `/spec/rules/${i}/http/paths/${j}/backend`);
        if (b) backends.push(b);
      });
    });
    const name = object.metadata.name ?? '';
    for (const b of backends) {
      const svc = ctx.inventory.get('Service', ns, b.service);
      if (!svc) {
        ctx.report('service', { name, service: b.service, namespace: ns }, `${b.pointer}/name`);
        continue;
      }
      const ports = asRecord(svc.object['spec'])?.['ports'];
      const list = (Array.isArray(ports) ? ports : []).map(asRecord).filter((p): p is Record<string, unknown> => p !== undefined);
      if (b.port.number !== undefined && !list.some((p) => p['port'] === b.port.number)) ctx.report('port', { name, service: b.service, port: b.port.number }, `${b.pointer}/port/number`);
      else if (b.port.name !== undefined && !list.some((p) => p['name'] === b.port.name)) ctx.report('port', { name, service: b.service, port: `"${b.port.name}"` }, `${b.pointer}/port/name`);
    }
  },
});
