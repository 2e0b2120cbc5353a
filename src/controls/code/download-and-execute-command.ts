import { defineControl } from '../../engine/types.js';
import { CONTAINER_KIND_LABEL, asArray } from '../support/pod.js';

/** `curl ... | sh`, `wget -O- ... | bash`, and the same through `sh -c "$(curl ...)"`. */
const PIPE_TO_SHELL = /\b(?:curl|wget)\b[^|;&\n]*\|\s*(?:sudo\s+)?(?:\/\w+\/)*(?:ba|z|da|k)?sh\b/;
const SUBST_TO_SHELL = /\b(?:ba|z|da|k)?sh\s+-c\s+["']?\$\(\s*(?:curl|wget)\b/;

export default defineControl({
  id: 'KOR-0148',
  name: 'download-and-execute-command',
  title: 'Container command downloads and runs a script',
  description:
    'A `command` or `args` that pipes `curl` or `wget` output into a shell runs whatever the remote server returns at that moment, at every container start: the code is not in the reviewed and scanned image, it changes without a rollout, and anyone controlling the URL, its DNS or an unencrypted path controls the container.',
  layer: 'code',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: { nsa: ['secure-container-images'], mitre: ['T1105', 'T1059.004'] },
  remediation: 'Build the script and its dependencies into the image (or an init container image) at a pinned version, and run it from there.',
  messages: { pipe: '{{kind}} "{{name}}" downloads a script and pipes it into a shell in its {{field}}.' },
  targets: 'container',
  check({ container, containerKind }, ctx) {
    const joined = [...asArray<unknown>(container.command), ...asArray<unknown>(container.args)].filter((s): s is string => typeof s === 'string').join(' ');
    if (joined.trim() === '' || (!PIPE_TO_SHELL.test(joined) && !SUBST_TO_SHELL.test(joined))) return;
    const field = asArray<unknown>(container.args).some((a) => typeof a === 'string' && (PIPE_TO_SHELL.test(a) || SUBST_TO_SHELL.test(a))) ? 'args' : 'command';
    ctx.report('pipe', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name, field }, `/${field}`);
  },
});
