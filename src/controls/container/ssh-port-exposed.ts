import { defineControl } from '../../engine/types.js';
import { celAllContainers } from '../support/cel.js';
import { CONTAINER_KIND_LABEL, asArray } from '../support/pod.js';

export default defineControl({
  id: 'KOR-0146',
  name: 'ssh-port-exposed',
  title: 'Container exposes an SSH port',
  description:
    'A container port 22 (or named `ssh`) means an SSH server runs inside the container: a second, long-lived way in with its own credentials, outside Kubernetes authentication, RBAC and audit (`kubectl exec` covers the debugging need). SSH servers in containers are a common backdoor and brute-force target.',
  layer: 'container',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: { nsa: ['hardening-container-environments'], mitre: ['T1021.004', 'T1133'] },
  remediation: 'Remove the SSH server from the image and the port from the container; use `kubectl exec` or ephemeral debug containers instead.',
  messages: { ssh: '{{kind}} "{{name}}" declares SSH port {{port}}.' },
  targets: 'container',
  check({ container, containerKind }, ctx) {
    asArray<NonNullable<typeof container.ports>[number]>(container.ports).forEach((p, i) => {
      if (!p || typeof p !== 'object') return;
      if (p.containerPort === 22 || p.hostPort === 22 || p.name?.toLowerCase() === 'ssh') {
        ctx.report('ssh', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name, port: p.containerPort ?? '?' }, `/ports/${i}`);
      }
    });
  },
  cel: {
    expression: celAllContainers("!has(c.ports) || c.ports.all(p, !(has(p.containerPort) && p.containerPort == 22) && !(has(p.hostPort) && p.hostPort == 22) && !(has(p.name) && p.name.lowerAscii() == 'ssh'))"),
    message: 'Containers must not expose an SSH port (22 or a port named ssh).',
  },
});
