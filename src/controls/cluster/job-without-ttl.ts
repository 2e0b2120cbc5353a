import { defineControl } from '../../engine/types.js';
import { hasController, specOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0728',
  name: 'job-without-ttl',
  title: 'Finished Jobs are never cleaned up',
  description:
    'A Job without `ttlSecondsAfterFinished` stays in the cluster with its pods after it finishes, forever: finished pods accumulate, keep their logs and volumes, clutter every `kubectl get`, and add load to the API server and etcd. Jobs made by a CronJob are not judged (its history limits clean them up), nor Helm or Argo CD hook Jobs whose delete policy removes them once they succeed.',
  layer: 'cluster',
  dimensions: ['Applications', 'Architecture'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  fixable: true,
  frameworks: {},
  remediation: 'Set `spec.ttlSecondsAfterFinished` (for example 86400 to keep a finished Job for a day).',
  messages: { missing: 'Job "{{name}}" has no ttlSecondsAfterFinished: it and its pods stay after it finishes.' },
  targets: 'object',
  kinds: ['Job'],
  check(object, ctx) {
    if (hasController(object)) return;
    const policy = ['helm.sh/hook-delete-policy', 'argocd.argoproj.io/hook-delete-policy'].map((k) => object.metadata.annotations?.[k]).find((v) => typeof v === 'string');
    if (policy !== undefined && /hook-succeeded|HookSucceeded/.test(policy)) return;
    if (specOf(object)['ttlSecondsAfterFinished'] !== undefined) return;
    ctx.report('missing', { name: object.metadata.name ?? '' }, '/spec', { fix: [{ op: 'add', path: '/spec/ttlSecondsAfterFinished', value: 86400 }] });
  },
});
