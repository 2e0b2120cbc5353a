import { defineControl } from '../../engine/types.js';
import { podContainers } from '../support/pod.js';

/** IANA_SVC_NAME (RFC 6335 5.1): 1-15 characters, lowercase letters, digits and `-`, a letter in it, no `--`, no `-` at either end. */
export function portNameProblem(name: string): string | undefined {
  if (name.length > 15) return 'longer than 15 characters';
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) return 'not made of lowercase letters, digits and inner dashes';
  if (name.includes('--')) return 'has two dashes in a row';
  if (!/[a-z]/.test(name)) return 'has no letter';
  return undefined;
}

export default defineControl({
  id: 'KOR-0749',
  name: 'container-port-invalid',
  title: 'Container port name the API server rejects',
  description:
    'Container port names must be IANA service names (at most 15 characters of lowercase letters, digits and single inner dashes, with at least one letter), and unique within the pod, since Services and probes refer to ports by name. A manifest breaking either rule is rejected when applied. Judged over every container of the pod spec.',
  layer: 'container',
  dimensions: ['CI/CD', 'Applications'],
  phases: ['develop', 'deploy'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Rename the port to a short lowercase name (for example `http`, `metrics`, `grpc-admin`) unique within the pod, and update the Services and probes that use it.',
  messages: {
    invalid: 'Container "{{container}}" port name "{{port}}" is {{problem}}: the API server rejects it.',
    duplicate: 'Container "{{container}}" port name "{{port}}" is used twice in the pod: the API server rejects it.',
  },
  targets: 'podSpec',
  check({ podSpec }, ctx) {
    const seen = new Set<string>();
    for (const c of podContainers(podSpec)) {
      const ports = c.container.ports;
      if (!Array.isArray(ports)) continue;
      ports.forEach((p, i) => {
        const name = p && typeof p === 'object' ? (p as { name?: unknown }).name : undefined;
        if (typeof name !== 'string' || name === '') return;
        const problem = portNameProblem(name);
        const data = { container: c.container.name, port: name.length > 40 ? `${name.slice(0, 37)}...` : name };
        if (problem) ctx.report('invalid', { ...data, problem }, `${c.pointer}/ports/${i}/name`);
        else if (seen.has(name)) ctx.report('duplicate', data, `${c.pointer}/ports/${i}/name`);
        seen.add(name);
      });
    }
  },
});
