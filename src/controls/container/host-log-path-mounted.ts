import { defineControl } from '../../engine/types.js';
import { exposedSensitivePath } from '../support/host-paths.js';
import { hostPathVolumes, mountedReadOnly } from '../support/host-path-volumes.js';

export default defineControl({
  id: 'KOR-0124',
  supersedes: { field: ['KOR-0005', 'KOR-0013', 'KOR-0121'] },
  name: 'host-log-path-mounted',
  title: 'Host log directory mounted',
  description:
    'Mounting /var/log (or a directory inside it) exposes the logs of every pod on the node, which often carry tokens and personal data. Writable, it allows a known escape: a symlink planted in a pod log directory makes the kubelet serve arbitrary host files (for example /etc/shadow) through `kubectl logs`. Log collectors need it read-only, in a dedicated namespace: a read-only mount is medium (the logs are read), a writable one high (the escape).',
  layer: 'container',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'high',
  effort: 'medium',
  frameworks: { nsa: ['pod-security-enforcement'], cis: ['5.2.12'], mitre: ['T1611', 'T1552.001'] },
  remediation: 'Remove the /var/log hostPath volume; for log collectors, mount only /var/log/pods or /var/log/containers read-only and isolate the collector in its own namespace.',
  messages: { log: 'Volume "{{volume}}" mounts host log path "{{path}}"{{access}}.' },
  severityTable: [
    { case: '/var/log (or below) read-only', severity: 'medium', reason: 'Reads the logs of every pod on the node and of the node itself, which often carry tokens and personal data.' },
    { case: '/var/log (or below) writable', severity: 'high', reason: 'A symlink planted in a pod log directory makes the kubelet serve any host file (such as /etc/shadow) through `kubectl logs`.' },
  ],
  targets: 'podSpec',
  check({ podSpec }, ctx) {
    for (const v of hostPathVolumes(podSpec)) {
      if (!exposedSensitivePath(v.path, ['/var/log'], { ancestors: false })) continue;
      const readOnly = mountedReadOnly(v);
      ctx.report('log', { volume: v.name, path: v.path, access: readOnly ? ' read-only' : ' writable' }, v.pointer, { severity: readOnly ? 'medium' : 'high' });
    }
  },
});
