import { defineControl } from '../../engine/types.js';
import { specOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0768',
  name: 'deployment-paused',
  title: 'Deployment rollouts are paused',
  description:
    'A Deployment with `spec.paused: true` does not roll out changes to its pod template: new images, configuration and fixes are accepted by the API server and reported as applied by deployment tools, but the running pods keep the old version. It is meant for batching a few edits, not as a resting state.',
  layer: 'cluster',
  dimensions: ['CI/CD', 'Applications'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  fixable: true,
  frameworks: {},
  remediation: 'Resume the rollout (`kubectl rollout resume`, or remove `spec.paused`).',
  messages: { paused: 'Deployment "{{name}}" is paused: changes to its pod template are not rolled out.' },
  targets: 'object',
  kinds: ['Deployment'],
  check(object, ctx) {
    if (specOf(object)['paused'] !== true) return;
    ctx.report('paused', { name: object.metadata.name ?? '' }, '/spec/paused', { fix: [{ op: 'remove', path: '/spec/paused' }] });
  },
});
