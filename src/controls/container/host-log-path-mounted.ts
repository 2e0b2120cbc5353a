import { defineControl } from '../../engine/types.js';
import { exposedSensitivePath } from '../support/host-paths.js';
import { hostPathVolumes } from '../support/host-path-volumes.js';

export default defineControl({
  id: 'KOR-0124',
  supersedes: { field: ['KOR-0005', 'KOR-0013', 'KOR-0121'] },
  name: 'host-log-path-mounted',
  title: 'Host log directory mounted',
  description:
    'Mounting /var/log (or a directory inside it) exposes the logs of every pod on the node, which often carry tokens and personal data. Writable, it allows a known escape: a symlink planted in a pod log directory makes the kubelet serve arbitrary host files (for example /etc/shadow) through `kubectl logs`. Log collectors need it read-only, in a dedicated namespace.',
  layer: 'container',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'high',
  effort: 'medium',
  frameworks: { nsa: ['pod-security-enforcement'], cis: ['5.2.12'], mitre: ['T1611', 'T1552.001'] },
  remediation: 'Remove the /var/log hostPath volume; for log collectors, mount only /var/log/pods or /var/log/containers read-only and isolate the collector in its own namespace.',
  messages: { log: 'Volume "{{volume}}" mounts host log path "{{path}}"{{access}}.' },
  targets: 'podSpec',
  check({ podSpec }, ctx) {
    for (const v of hostPathVolumes(podSpec)) {
      if (!exposedSensitivePath(v.path, ['/var/log'], { ancestors: false })) continue;
      const writable = v.mounts.some((m) => !m.readOnly);
      ctx.report('log', { volume: v.name, path: v.path, access: writable ? ' writable' : ' read-only' }, v.pointer);
    }
  },
});
