import { defineControl } from '../../engine/types.js';
import type { EnvVar } from '../../inventory/podspec.js';
import { celAllContainers } from '../support/cel.js';
import { CONTAINER_KIND_LABEL, asArray } from '../support/pod.js';

export default defineControl({
  id: 'KOR-0127',
  name: 'secret-in-env-var',
  title: 'Secret exposed through environment variables',
  description:
    'Secret values passed as environment variables (`env[].valueFrom.secretKeyRef`, `envFrom[].secretRef`) are inherited by every child process, end up in crash dumps, debug endpoints and logs that print the environment, and are readable from /proc by anything sharing the process namespace. They also never change while the container runs. Mounted secret files can be permission-restricted and are updated when the Secret rotates.',
  layer: 'container',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'medium',
  frameworks: { nsa: ['secrets'], cis: ['5.4.1'], mitre: ['T1552.007'] },
  remediation: 'Mount the Secret as a volume (or projected volume) and have the application read the file; keep environment variables for non-secret configuration.',
  messages: {
    envKey: '{{kind}} "{{name}}" reads key "{{key}}" of Secret "{{secret}}" into environment variable {{variable}}.',
    envFrom: '{{kind}} "{{name}}" imports every key of Secret "{{secret}}" as environment variables.',
  },
  targets: 'container',
  check({ container, containerKind }, ctx) {
    const kind = CONTAINER_KIND_LABEL[containerKind];
    asArray<EnvVar>(container.env).forEach((e, i) => {
      const ref = e?.valueFrom?.secretKeyRef;
      if (ref) ctx.report('envKey', { kind, name: container.name, key: ref.key ?? '', secret: ref.name ?? '', variable: e.name }, `/env/${i}/valueFrom/secretKeyRef`);
    });
    asArray<NonNullable<typeof container.envFrom>[number]>(container.envFrom).forEach((e, i) => {
      if (e?.secretRef) ctx.report('envFrom', { kind, name: container.name, secret: e.secretRef.name ?? '' }, `/envFrom/${i}/secretRef`);
    });
  },
  cel: {
    expression: celAllContainers('(!has(c.env) || c.env.all(e, !has(e.valueFrom) || !has(e.valueFrom.secretKeyRef))) && (!has(c.envFrom) || c.envFrom.all(e, !has(e.secretRef)))'),
    message: 'Containers must read Secrets from mounted files, not environment variables.',
  },
});
