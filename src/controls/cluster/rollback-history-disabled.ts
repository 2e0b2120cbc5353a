import { defineControl } from '../../engine/types.js';
import { hasController, specOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0761',
  name: 'rollback-history-disabled',
  title: 'Workload keeps no revision to roll back to',
  description:
    '`revisionHistoryLimit: 0` deletes every previous ReplicaSet (or ControllerRevision) as soon as a rollout completes: `kubectl rollout undo` has nothing to return to, so a bad release can only be fixed forward, under pressure. The default keeps ten revisions.',
  layer: 'cluster',
  dimensions: ['CI/CD', 'Disaster Recovery'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  fixable: true,
  frameworks: {},
  remediation: 'Remove `revisionHistoryLimit` (default 10) or set it to a few revisions.',
  messages: { disabled: '{{kind}} "{{name}}" keeps no previous revision (revisionHistoryLimit: 0): it cannot be rolled back.' },
  targets: 'object',
  kinds: ['Deployment', 'StatefulSet', 'DaemonSet'],
  check(object, ctx) {
    if (hasController(object) || specOf(object)['revisionHistoryLimit'] !== 0) return;
    ctx.report('disabled', { kind: object.kind, name: object.metadata.name ?? '' }, '/spec/revisionHistoryLimit', { fix: [{ op: 'replace', path: '/spec/revisionHistoryLimit', value: 3 }] });
  },
});
