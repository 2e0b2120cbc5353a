import { defineControl } from '../../engine/types.js';

export default defineControl({
  id: 'KOR-0147',
  name: 'process-namespace-shared',
  title: 'Containers of the pod share one process namespace',
  description:
    'With `shareProcessNamespace: true` every container of the pod sees the processes of the others, can signal them and, as the same user or with CAP_SYS_PTRACE, read their memory and environment and reach their filesystems through /proc/<pid>/root. A compromised sidecar then holds the secrets of the main container, and vice versa.',
  layer: 'container',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  fixable: true,
  frameworks: { nsa: ['pod-security-enforcement'], mitre: ['T1552', 'T1055'] },
  remediation: 'Remove `shareProcessNamespace: true`; debug with ephemeral containers targeting one container (`kubectl debug --target`).',
  messages: { shared: 'The pod shares one process namespace between its containers.' },
  targets: 'podSpec',
  check({ podSpec }, ctx) {
    if (podSpec['shareProcessNamespace'] === true) ctx.report('shared', {}, '/shareProcessNamespace', { fix: [{ op: 'remove', path: '/shareProcessNamespace' }] });
  },
  cel: { expression: '!has(variables.podSpec.shareProcessNamespace) || variables.podSpec.shareProcessNamespace == false', message: 'Pods must not share the process namespace.' },
});
