import { defineControl, type Severity } from '../../engine/types.js';
import { asArray } from '../support/pod.js';

/** Paths of well-known debug and admin endpoints, and what they give. */
const PATHS: Array<{ re: RegExp; what: string; severity: Severity }> = [
  { re: /^\/(?:[^/]+\/)*jolokia(?:\/|$)/i, what: 'Jolokia (JMX over HTTP: reconfigure or run code in the JVM)', severity: 'high' },
  { re: /^\/(?:[^/]+\/)*actuator\/(?:env|heapdump|threaddump|configprops|jolokia|gateway)(?:\/|$)/i, what: 'Spring Boot actuator endpoints that dump the environment, the heap or routes', severity: 'high' },
  { re: /^\/(?:[^/]+\/)*\.(?:git|env|svn|aws|kube)(?:\/|$)/i, what: 'a source-control or credentials directory', severity: 'high' },
  { re: /^\/(?:[^/]+\/)*actuator\/?$/i, what: 'the Spring Boot actuator index (and every endpoint exposed under it)', severity: 'medium' },
  { re: /^\/(?:[^/]+\/)*debug\/pprof(?:\/|$)/i, what: 'Go\'s pprof profiler (memory contents, CPU-heavy profiles on demand)', severity: 'medium' },
  { re: /^\/(?:[^/]+\/)*(?:server-status|nginx_status|status\/format\/json)(?:\/|$)/i, what: 'a web server status page (client addresses and URLs being served)', severity: 'low' },
];

function grade(path: string): (typeof PATHS)[number] | undefined {
  return PATHS.find((p) => p.re.test(path.trim()));
}

export default defineControl({
  id: 'KOR-0246',
  name: 'sensitive-path-routed',
  title: 'Ingress or route publishes a debug or admin endpoint',
  description:
    'An Ingress or Gateway API route that names a path such as `/actuator/env`, `/jolokia`, `/debug/pprof` or `/.git` publishes an endpoint meant for operators: environment variables and heap dumps full of credentials, remote JMX, profiles of process memory, the application\'s source history. Scanners on the internet ask for these paths on every host they find. A route that only names `/` is not reported: whether the application serves such paths behind it is not visible in the manifests.',
  layer: 'cluster',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'high',
  effort: 'low',
  frameworks: { nsa: ['network-separation'], mitre: ['T1190', 'T1552'] },
  remediation: 'Remove the path from the public route; serve management endpoints on a separate port that only a cluster-internal Service reaches, and turn off the ones nobody uses.',
  messages: { path: '{{kind}} "{{name}}" routes {{path}} to {{backend}}: {{what}}.' },
  severityTable: PATHS.map((p) => ({ case: p.what, severity: p.severity, reason: p.severity === 'high' ? 'Credentials or code execution for whoever requests it.' : p.severity === 'medium' ? 'Internals and a denial of service for whoever requests it.' : 'Traffic details for whoever requests it.' })).filter((r, i, all) => all.findIndex((x) => x.case === r.case) === i),
  targets: 'object',
  kinds: ['Ingress', 'HTTPRoute'],
  check(object, ctx) {
    const spec = object['spec'] as Record<string, unknown> | undefined;
    if (!spec || typeof spec !== 'object') return;
    const name = object.metadata.name ?? '';
    if (object.kind === 'Ingress') {
      asArray<{ http?: { paths?: unknown } }>(spec['rules']).forEach((rule, r) => {
        asArray<{ path?: unknown; backend?: { service?: { name?: unknown } } }>(rule?.http?.paths).forEach((p, i) => {
          if (!p || typeof p.path !== 'string') return;
          const g = grade(p.path);
          const backend = typeof p.backend?.service?.name === 'string' ? `Service "${p.backend.service.name}"` : 'its backend';
          if (g) ctx.report('path', { kind: 'Ingress', name, path: p.path, backend, what: g.what }, `/spec/rules/${r}/http/paths/${i}/path`, { severity: g.severity });
        });
      });
    } else {
      asArray<{ matches?: unknown; backendRefs?: unknown }>(spec['rules']).forEach((rule, r) => {
        const refs = asArray<{ name?: unknown }>(rule?.backendRefs).map((b) => (b && typeof b.name === 'string' ? b.name : '')).filter(Boolean);
        asArray<{ path?: { value?: unknown } }>(rule?.matches).forEach((m, i) => {
          if (!m || typeof m.path?.value !== 'string') return;
          const g = grade(m.path.value);
          if (g) ctx.report('path', { kind: 'HTTPRoute', name, path: m.path.value, backend: refs.length ? refs.map((x) => `"${x}"`).join(', ') : 'its backends', what: g.what }, `/spec/rules/${r}/matches/${i}/path/value`, { severity: g.severity });
        });
      });
    }
  },
});
