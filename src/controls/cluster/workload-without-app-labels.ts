import { defineControl } from '../../engine/types.js';
import { hasController } from '../support/workloads.js';

const KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job'];

export default defineControl({
  id: 'KOR-0734',
  name: 'workload-without-app-labels',
  title: 'Workload without application labels',
  description:
    'The recommended labels `app.kubernetes.io/name` (or the older `app`) and `app.kubernetes.io/part-of` or `app.kubernetes.io/instance` let people and tools group objects by application: dashboards, cost reports, `kubectl get -l`, network policies and GitOps diffs rely on them. A workload without a name label cannot be traced back to its application. Workloads made by another object (a Job of a CronJob, a ReplicaSet of a Deployment) are judged through their owner.',
  layer: 'cluster',
  dimensions: ['Architecture', 'CI/CD'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'info',
  effort: 'low',
  frameworks: {},
  remediation: 'Label the workload (and its pod template) with `app.kubernetes.io/name` and `app.kubernetes.io/instance` (and `app.kubernetes.io/part-of` for multi-component applications).',
  messages: { missing: '{{kind}} "{{name}}" has no app.kubernetes.io/name (or app) label on its own metadata.' },
  targets: 'object',
  kinds: KINDS,
  check(object, ctx) {
    if (hasController(object)) return;
    const l = object.metadata.labels;
    if (l && typeof l === 'object' && (l['app.kubernetes.io/name'] || l['app'] || l['k8s-app'])) return;
    ctx.report('missing', { kind: object.kind, name: object.metadata.name ?? '' }, l ? '/metadata/labels' : '/metadata');
  },
});
