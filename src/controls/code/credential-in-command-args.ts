import { defineControl } from '../../engine/types.js';
import { credentialFlagsIn, credentialKindsOfValue } from '../support/credentials.js';
import { CONTAINER_KIND_LABEL } from '../support/pod.js';

/** Findings name the field, the flag and the kind of credential, never the value. */
export default defineControl({
  id: 'KOR-0130',
  name: 'credential-in-command-args',
  title: 'Hard-coded credential on a container command line',
  description:
    'A credential written into `command` or `args` (a `--password=...` or `--token ...` flag with a literal value, or a string with the format of a private key, cloud key, token or URL with an embedded password) is stored in the manifest and visible to anyone who can read the workload, and in the node\'s process list (`ps`) to every process that shares the PID namespace. Flags whose value references a variable (`$(DB_PASSWORD)`) or is a documentation placeholder (`<token>`, `changeme`, `INSERT_API_TOKEN_HERE`) are ignored, and so is a path such as `--kubeconfig=/var/lib/kubelet/kubeconfig`.',
  layer: 'code',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'high',
  effort: 'medium',
  frameworks: { nsa: ['secrets'], mitre: ['T1552.001'] },
  remediation: 'Pass the credential in a mounted Secret file (or a flag pointing at that file); rotate the exposed credential.',
  messages: {
    flag: '{{kind}} "{{name}}" passes a literal credential in flag {{flag}} of its {{field}}.',
    format: '{{kind}} "{{name}}" has a literal {{credential}} in its {{field}}.',
  },
  targets: 'container',
  check({ container, containerKind }, ctx) {
    const kind = CONTAINER_KIND_LABEL[containerKind];
    for (const field of ['command', 'args'] as const) {
      const argv = container[field];
      if (!Array.isArray(argv)) continue;
      const strings = argv.filter((a): a is string => typeof a === 'string');
      for (const flag of credentialFlagsIn(strings)) ctx.report('flag', { kind, name: container.name, flag, field }, `/${field}`);
      const formats = new Set<string>();
      for (const a of strings) for (const k of credentialKindsOfValue(a)) formats.add(k);
      if (formats.size > 0) ctx.report('format', { kind, name: container.name, credential: [...formats].sort().join(', '), field }, `/${field}`);
    }
  },
});
