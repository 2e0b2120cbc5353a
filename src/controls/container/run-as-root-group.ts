import { defineControl } from '../../engine/types.js';
import { celAllContainers } from '../support/cel.js';
import { effectiveIdSettings, isWindowsPod } from '../support/pod.js';

export default defineControl({
  id: 'KOR-0117',
  name: 'run-as-root-group',
  title: 'Container explicitly runs with the root group (GID 0)',
  description:
    'A container set to `runAsGroup: 0` runs its processes with the root group as primary group: every file and device readable or writable by group root (many image files, and host files under any hostPath mount) becomes accessible even when the user is not root.',
  layer: 'container',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: { nsa: ['non-root-containers'], mitre: ['T1611'] },
  remediation: 'Set `runAsGroup` to a non-zero GID in the pod or container securityContext.',
  messages: {
    pod: 'The pod sets runAsGroup: 0, so containers {{containers}} run with group ID 0 (root).',
    container: 'Container "{{containers}}" sets runAsGroup: 0 and runs with group ID 0 (root).',
  },
  targets: 'podSpec',
  check({ podSpec }, ctx) {
    if (isWindowsPod(podSpec)) return;
    for (const s of effectiveIdSettings(podSpec, 'runAsGroup', 0)) {
      ctx.report(s.level, { containers: s.level === 'pod' ? s.containers.map((n) => `"${n}"`).join(', ') : s.containers[0]! }, s.pointer);
    }
  },
  cel: {
    expression: "(!has(variables.podSpec.securityContext) || !has(variables.podSpec.securityContext.runAsGroup) || variables.podSpec.securityContext.runAsGroup != 0) && " + celAllContainers('!has(c.securityContext) || !has(c.securityContext.runAsGroup) || c.securityContext.runAsGroup != 0'),
    message: 'Pods and containers must not set runAsGroup to 0.',
  },
});
