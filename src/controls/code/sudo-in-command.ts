import { defineControl } from '../../engine/types.js';
import { CONTAINER_KIND_LABEL, asArray } from '../support/pod.js';

/** `sudo` as a command: the first word, or after a shell separator, `exec`, `&&`, `|`. */
const SUDO_IN_SHELL = /(?:^|[;&|(`]|\$\(|\bexec\s)\s*sudo(?:\s|$)/;

export default defineControl({
  id: 'KOR-0309',
  name: 'sudo-in-command',
  title: 'Container command runs sudo',
  description:
    'A container whose command or arguments call `sudo` carries a setuid-root binary and a sudoers policy in its image, and relies on gaining root at run time. Anyone with code execution in the container can use the same path (sudo misconfigurations and vulnerabilities such as CVE-2021-3156 give root without a password); the container then runs as root after all. With `allowPrivilegeEscalation: false` the kernel refuses the setuid gain and the command fails, so it shows a design to fix either way.',
  layer: 'code',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: { nsa: ['non-root-containers'], mitre: ['T1548.003'] },
  remediation: 'Remove sudo from the image and the command; do the privileged step at build time, in an init container with only the capability it needs, or give the file the permissions the user needs.',
  messages: { sudo: '{{kind}} "{{name}}" runs sudo in its {{field}}{{note}}.' },
  severityTable: [
    { case: 'privilege escalation allowed (allowPrivilegeEscalation not false)', severity: 'medium', reason: 'sudo can make the process root, and so can an attacker in the container.' },
    { case: 'allowPrivilegeEscalation: false', severity: 'low', reason: 'no_new_privs stops the setuid gain; the image still ships sudo.' },
  ],
  targets: 'container',
  check({ container, containerKind }, ctx) {
    const escalationBlocked = container.securityContext?.allowPrivilegeEscalation === false;
    for (const field of ['command', 'args'] as const) {
      const list = asArray<unknown>(container[field]);
      const i = list.findIndex((raw, j) => {
        if (typeof raw !== 'string') return false;
        const word = raw.trim();
        // its own argument: the program (first of command, or first of args without a command) or a shell string
        if (/^(?:\/usr\/bin\/|\/bin\/)?sudo$/.test(word)) return j === 0 && (field === 'command' || asArray<unknown>(container.command).length === 0);
        return SUDO_IN_SHELL.test(word);
      });
      if (i === -1) continue;
      ctx.report('sudo', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name, field, note: escalationBlocked ? ' (privilege escalation is off, so it cannot gain root)' : '' }, `/${field}/${i}`, { severity: escalationBlocked ? 'low' : 'medium' });
      return;
    }
  },
});
