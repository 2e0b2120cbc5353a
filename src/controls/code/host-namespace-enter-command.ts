import { defineControl } from '../../engine/types.js';
import { CONTAINER_KIND_LABEL, asArray } from '../support/pod.js';

/** `nsenter` aimed at PID 1 (the node's init once hostPID is on): `-t 1`, `-t1`, `--target 1`, `--target=1`. */
const NSENTER_HOST = /\bnsenter\b[^;&|\n]*(?:\s-t\s*1|\s--target[= ]1)(?=\s|$)/;

export default defineControl({
  id: 'KOR-0312',
  name: 'host-namespace-enter-command',
  title: 'Container command enters the node\'s namespaces',
  description:
    '`nsenter --target 1 --mount --uts --ipc --net --pid` from a container that shares the host PID namespace and is privileged runs its command in the node\'s own namespaces: a root shell on the node, outside every container boundary. Some node agents do this on purpose; it is also the standard container-escape one-liner. Either way the pod is the node\'s root, and whoever can change or exec into it owns the node.',
  layer: 'code',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'high',
  effort: 'medium',
  frameworks: { nsa: ['pod-security-enforcement'], mitre: ['T1611'] },
  remediation: 'Replace the host command with a purpose-built, least-privilege mechanism (a DaemonSet with only the host path and capability it needs, a node configuration tool), and keep such pods out of namespaces application teams can write to.',
  messages: { nsenter: '{{kind}} "{{name}}" runs nsenter into the namespaces of the node\'s PID 1 in its {{field}}{{note}}.' },
  severityTable: [
    { case: 'pod with hostPID', severity: 'high', reason: 'PID 1 is the node\'s init: the command runs on the node.' },
    { case: 'pod without hostPID', severity: 'medium', reason: 'PID 1 is the pod\'s own first process, so the command stays in the pod; it still shows escape tooling in the workload.' },
  ],
  targets: 'container',
  check({ container, containerKind, podSpec }, ctx) {
    for (const field of ['command', 'args'] as const) {
      const list = asArray<unknown>(container[field]);
      const joined = list.filter((s): s is string => typeof s === 'string').join(' ');
      if (!NSENTER_HOST.test(joined)) continue;
      const i = Math.max(0, list.findIndex((s) => typeof s === 'string' && /\bnsenter\b/.test(s)));
      const hostPid = podSpec.hostPID === true;
      ctx.report('nsenter', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name, field, note: hostPid ? '' : ' (without hostPID it only reaches the pod\'s own first process)' }, `/${field}/${i}`, { severity: hostPid ? 'high' : 'medium' });
      return;
    }
  },
});
