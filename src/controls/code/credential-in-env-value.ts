import { defineControl } from '../../engine/types.js';
import type { EnvVar } from '../../inventory/podspec.js';
import { credentialKindOfName, credentialKindsOfValue, isPlaceholderValue } from '../support/credentials.js';
import { CONTAINER_KIND_LABEL, asArray } from '../support/pod.js';

/** Findings name the variable and the kind of credential, never the value. */
export default defineControl({
  id: 'KOR-0128',
  name: 'credential-in-env-value',
  title: 'Hard-coded credential in a container environment variable',
  description:
    'A literal `env[].value` whose variable name announces a credential (PASSWORD, TOKEN, API_KEY, SECRET, PRIVATE_KEY, ...) or whose value has the format of one (AWS access key id, PEM private key, GitHub, GitLab, Slack or Stripe token, JSON Web Token, URL with an embedded password) puts the secret in the manifest: in the repository, in every rendered chart, in the workload object readable by anyone who can read Deployments, and in the last-applied annotation. Values that only reference other variables (`$(VAR)`, `${VAR}`, `{{ .Values.x }}`) and documentation placeholders (`INSERT_SLACK_TOKEN`, `<password>`, `changeme`, `REPLACE_ME`, `your-api-key-here`, `xxxx`, `AKIAXXXXXXXXXXXXXXXX`) are not credentials; a weak literal such as `password` is.',
  layer: 'code',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'high',
  effort: 'medium',
  frameworks: { nsa: ['secrets'], cis: ['5.4.1'], mitre: ['T1552.001', 'T1552.007'] },
  remediation: 'Move the value into a Secret (managed by an external secret store) and mount it as a file; rotate the exposed credential.',
  messages: { credential: '{{kind}} "{{name}}" sets environment variable {{variable}} to a literal {{credential}}.' },
  targets: 'container',
  check({ container, containerKind }, ctx) {
    asArray<EnvVar>(container.env).forEach((e, i) => {
      if (!e || typeof e.value !== 'string' || isPlaceholderValue(e.value)) return;
      const kinds = new Set(credentialKindsOfValue(e.value));
      const byName = typeof e.name === 'string' ? credentialKindOfName(e.name) : undefined;
      if (byName && kinds.size === 0) kinds.add(byName);
      if (kinds.size === 0) return;
      ctx.report('credential', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name, variable: e.name, credential: [...kinds].sort().join(', ') }, `/env/${i}/value`);
    });
  },
});
