import { defineControl } from '../../engine/types.js';
import { asArray, CONTAINER_KIND_LABEL } from '../support/pod.js';

export default defineControl({
  id: 'KOR-0742',
  name: 'env-var-duplicated',
  title: 'Environment variable defined twice',
  description:
    'When a container\'s `env` list names the same variable twice, the last entry silently wins: the value someone reads in the manifest (often the first one, or one added by a Helm values override) is not the one the application gets. The API server accepts it, so the mistake survives review and deploys. Only the names are reported, never the values.',
  layer: 'container',
  dimensions: ['Applications', 'CI/CD'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: {},
  remediation: 'Keep one entry per variable name in `env` (remove the one that should not apply).',
  messages: { duplicated: '{{kind}} "{{name}}" defines environment variable {{variable}} more than once: only the last value applies.' },
  targets: 'container',
  check({ container, containerKind }, ctx) {
    const seen = new Set<string>();
    asArray<{ name?: unknown }>(container.env).forEach((e, i) => {
      if (!e || typeof e.name !== 'string') return;
      if (seen.has(e.name)) ctx.report('duplicated', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name, variable: e.name }, `/env/${i}/name`);
      seen.add(e.name);
    });
  },
});
