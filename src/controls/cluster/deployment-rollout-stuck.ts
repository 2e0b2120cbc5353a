import { defineControl } from '../../engine/types.js';
import { asRecord, statusOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0806',
  name: 'deployment-rollout-stuck',
  title: 'Deployment rollout exceeded its progress deadline',
  description:
    'A Deployment whose Progressing condition is False with reason ProgressDeadlineExceeded started a rollout that made no progress within `progressDeadlineSeconds`: the new pods do not become ready (a crash, a failing readiness probe, an image that cannot be pulled, no capacity). The controller does not roll back by itself: old and new ReplicaSets keep running side by side until someone acts, and a deployment pipeline that does not wait for the rollout reports success. Judged on Deployments read with their status from a cluster or a snapshot.',
  layer: 'cluster',
  dimensions: ['CI/CD', 'Monitoring & Health Checks'],
  phases: ['runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: {},
  remediation: 'Find why the new pods are not ready (`kubectl rollout status`, the new ReplicaSet\'s pods and events), then fix forward or `kubectl rollout undo`; make the pipeline wait for the rollout (`kubectl rollout status`, `helm --wait`, Argo CD health checks).',
  messages: { stuck: 'Deployment "{{name}}" exceeded its progress deadline: the rollout is stuck and the controller does not roll it back.' },
  targets: 'object',
  kinds: ['Deployment'],
  check(object, ctx) {
    const conditions = statusOf(object)['conditions'];
    if (!Array.isArray(conditions)) return;
    conditions.forEach((c, i) => {
      const r = asRecord(c);
      if (r?.['type'] === 'Progressing' && r['status'] === 'False' && r['reason'] === 'ProgressDeadlineExceeded') ctx.report('stuck', { name: object.metadata.name ?? '' }, `/status/conditions/${i}`);
    });
  },
});
