import { defineControl } from '../../engine/types.js';
import { hostPathVolumes } from '../support/host-path-volumes.js';
import { normalizeHostPath, RUNTIME_SOCKETS } from '../support/host-paths.js';

export default defineControl({
  id: 'KOR-0121',
  name: 'host-path-writable',
  title: 'hostPath volume mounted writable',
  description:
    'A hostPath volume mounted without `readOnly: true` lets the container write to the node\'s filesystem: plant files other pods or the node will read or execute, fill the node\'s disk, or, through symlinks created in the directory, reach files outside it. Read-only mounts remove the write half of the risk; the sensitivity of the path itself is judged by KOR-0122, KOR-0123 and KOR-0124. Sockets and devices (`type: Socket`, `CharDevice`, `BlockDevice`, or a container runtime socket path) are not files to write: KOR-0122 judges runtime sockets.',
  layer: 'container',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  fixable: true,
  frameworks: { nsa: ['pod-security-enforcement'], cis: ['5.2.12'], mitre: ['T1611'] },
  remediation: 'Mount hostPath volumes with `readOnly: true`, or replace them with emptyDir, ConfigMap or persistent volumes.',
  messages: { writable: 'Container "{{container}}" mounts host path "{{path}}" (volume "{{volume}}") writable.' },
  targets: 'podSpec',
  check({ podSpec }, ctx) {
    for (const v of hostPathVolumes(podSpec)) {
      if (v.type === 'Socket' || v.type === 'CharDevice' || v.type === 'BlockDevice') continue;
      if (RUNTIME_SOCKETS.includes(normalizeHostPath(v.path))) continue;
      for (const m of v.mounts) {
        if (m.readOnly) continue;
        ctx.report('writable', { container: m.container, path: v.path, volume: v.name }, m.pointer, { fix: [{ op: 'add', path: `${m.pointer}/readOnly`, value: true }] });
      }
    }
  },
});
