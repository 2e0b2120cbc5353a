import { defineControl } from '../../engine/types.js';
import { asRecord, hasController, specOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0774',
  name: 'deployment-rollout-settings-invalid',
  title: 'Deployment rollout settings the API server rejects',
  description:
    'The API server refuses a Deployment whose rolling update allows neither a surge nor an unavailable pod (`maxSurge` and `maxUnavailable` both 0: no rollout could ever progress), or whose `progressDeadlineSeconds` is not greater than `minReadySeconds` (the rollout would be declared failed before any pod could count as available). The apply fails in the pipeline, or a chart renders a manifest no cluster accepts. Checked against a real kube-apiserver in the test suite.',
  layer: 'code',
  dimensions: ['CI/CD', 'Applications'],
  phases: ['develop', 'deploy'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Give the rolling update room to progress (`maxSurge: 1` or `maxUnavailable: 1` or more), and make `progressDeadlineSeconds` (default 600) larger than `minReadySeconds`.',
  messages: {
    noProgress: 'Deployment "{{name}}" sets maxSurge and maxUnavailable both to 0: the API server rejects it (no rollout could progress).',
    deadline: 'Deployment "{{name}}" sets progressDeadlineSeconds {{deadline}}, not greater than minReadySeconds {{minReady}}: the API server rejects it.',
  },
  targets: 'object',
  kinds: ['Deployment'],
  check(object, ctx) {
    if (hasController(object)) return;
    const spec = specOf(object);
    const strategy = asRecord(spec['strategy']);
    const ru = asRecord(strategy?.['rollingUpdate']);
    const zero = (v: unknown): boolean => v === 0 || (typeof v === 'string' && /^\s*0+%?\s*$/.test(v));
    if (strategy?.['type'] !== 'Recreate' && ru && zero(ru['maxSurge']) && zero(ru['maxUnavailable'])) {
      ctx.report('noProgress', { name: object.metadata.name ?? '' }, '/spec/strategy/rollingUpdate/maxUnavailable');
    }
    const deadline = spec['progressDeadlineSeconds'];
    const minReady = typeof spec['minReadySeconds'] === 'number' ? spec['minReadySeconds'] : 0;
    if (typeof deadline === 'number' && deadline <= minReady) {
      ctx.report('deadline', { name: object.metadata.name ?? '', deadline, minReady }, '/spec/progressDeadlineSeconds');
    }
  },
});
