import { defineControl } from '../../engine/types.js';
import { parseImageRef } from '../support/images.js';
import { CONTAINER_KIND_LABEL, asArray } from '../support/pod.js';

/** Interactive shells wired to a network socket. `echo > /dev/tcp/db/5432` (a port probe) is not one. */
const REVERSE_SHELLS: RegExp[] = [
  /\b(?:ba|z|k|da)?sh\s+-i\b[^;\n]*[<>]&?\s*\/dev\/(?:tcp|udp)\//,
  /\b(?:nc|ncat|netcat)\b[^;|\n]*\s-(?:e|c)\s+\S*\b(?:ba|z|k|da)?sh\b/,
  /\bsocat\b[^;\n]*\bexec:['"]?\S*\b(?:ba|z|k|da)?sh\b/i,
  /\bmkfifo\b[^\n]*\|\s*(?:\S*\/)?(?:ba|z|k|da)?sh\s+-i\b[^\n]*\|\s*(?:nc|ncat|netcat)\b/,
];
/** Mining pools and miners: the stratum protocol, well-known miner programs and their flags. */
const MINER_TEXT = /\bstratum\d?\+(?:tcp|ssl|tls):\/\/|\b(?:xmrig|xmr-stak|cpuminer|minerd|ethminer|nbminer|lolminer|t-rex|phoenixminer|nanominer)\b|--donate-level\b|--coin[= ]monero\b/i;
const MINER_IMAGES = /^(?:xmrig|xmr-stak|cpuminer(?:-multi|-opt)?|minerd|ethminer|nbminer|lolminer|phoenixminer|nanominer|monero-miner|xmrig-[a-z]+)$/;

export default defineControl({
  id: 'KOR-0311',
  name: 'reverse-shell-or-miner',
  title: 'Container runs a reverse shell or a cryptocurrency miner',
  description:
    'Cryptojacking is the most common outcome of a compromised cluster, and a reverse shell the most common foothold: a workload whose command connects an interactive shell to a remote socket (`bash -i >& /dev/tcp/...`, `nc -e /bin/sh`, `socat exec:sh`) or runs a miner (a `stratum+tcp://` pool, xmrig and the like, or a miner image) was almost never put there by its owner. On a live cluster this is an incident, not a misconfiguration; in a repository it is a backdoor waiting to be applied.',
  layer: 'code',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'critical',
  effort: 'low',
  frameworks: { mitre: ['T1059.004', 'T1496', 'T1071'] },
  remediation: 'Treat it as an incident: find who created or changed the workload (audit logs, `kordon audit`), remove it, rotate the credentials its service account and node could reach, and close the way in.',
  messages: {
    shell: '{{kind}} "{{name}}" connects an interactive shell to a remote socket in its {{field}}.',
    miner: '{{kind}} "{{name}}" runs a cryptocurrency miner ({{evidence}}).',
  },
  targets: 'container',
  check({ container, containerKind }, ctx) {
    const kind = CONTAINER_KIND_LABEL[containerKind];
    if (typeof container.image === 'string') {
      const repo = parseImageRef(container.image).repository.toLowerCase();
      if (MINER_IMAGES.test(repo.slice(repo.lastIndexOf('/') + 1))) {
        ctx.report('miner', { kind, name: container.name, evidence: `image ${container.image}` }, '/image');
        return;
      }
    }
    for (const field of ['command', 'args'] as const) {
      const list = asArray<unknown>(container[field]);
      const joined = list.filter((s): s is string => typeof s === 'string').join(' ');
      // (no text, no match: and the patterns are not compiled for the many containers without a command)
      if (joined.trim() === '') continue;
      const at = (re: RegExp | RegExp[]): number => Math.max(0, list.findIndex((s) => typeof s === 'string' && (Array.isArray(re) ? re.some((r) => r.test(s)) : re.test(s))));
      if (REVERSE_SHELLS.some((re) => re.test(joined))) {
        ctx.report('shell', { kind, name: container.name, field }, `/${field}/${at(REVERSE_SHELLS)}`);
        return;
      }
      if (MINER_TEXT.test(joined)) {
        ctx.report('miner', { kind, name: container.name, evidence: `mining program or pool in its ${field}` }, `/${field}/${at(MINER_TEXT)}`);
        return;
      }
    }
  },
});
