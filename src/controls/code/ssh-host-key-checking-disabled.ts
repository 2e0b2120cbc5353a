import { defineControl } from '../../engine/types.js';
import { CONTAINER_KIND_LABEL, asArray } from '../support/pod.js';

const NO_HOST_KEY = /StrictHostKeyChecking[= ]+(?:no|off|false|accept-new)\b|UserKnownHostsFile[= ]+\/dev\/null\b/i;

export default defineControl({
  id: 'KOR-0314',
  name: 'ssh-host-key-checking-disabled',
  title: 'Container connects over SSH without checking host keys',
  description:
    '`StrictHostKeyChecking=no` (or a known-hosts file of /dev/null) makes ssh, scp, rsync and git-over-SSH accept whatever server answers: anyone who can redirect the connection gets the private key\'s session (pushing to the Git repository, running commands on the target) and sees the data. In containers it is the usual shortcut instead of shipping a known_hosts file. `accept-new` trusts the first key it sees, which in a fresh container is every time.',
  layer: 'code',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: { nsa: ['encryption'], mitre: ['T1557'] },
  remediation: 'Mount a known_hosts file (from a ConfigMap) with the server\'s host keys and remove the option.',
  messages: {
    args: '{{kind}} "{{name}}" turns SSH host key checking off in its {{field}}.',
    env: '{{kind}} "{{name}}" turns SSH host key checking off through environment variable {{variable}}.',
  },
  targets: 'container',
  check({ container, containerKind }, ctx) {
    const kind = CONTAINER_KIND_LABEL[containerKind];
    for (const field of ['command', 'args'] as const) {
      const list = asArray<unknown>(container[field]);
      const i = list.findIndex((s) => typeof s === 'string' && NO_HOST_KEY.test(s));
      if (i !== -1) {
        ctx.report('args', { kind, name: container.name, field }, `/${field}/${i}`);
        return;
      }
    }
    asArray<{ name?: unknown; value?: unknown }>(container.env).forEach((e, i) => {
      if (e && typeof e.name === 'string' && typeof e.value === 'string' && NO_HOST_KEY.test(e.value)) ctx.report('env', { kind, name: container.name, variable: e.name }, `/env/${i}`);
    });
  },
});
