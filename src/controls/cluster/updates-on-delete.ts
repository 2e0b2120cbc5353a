import { defineControl } from '../../engine/types.js';
import { asRecord, hasController, specOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0796',
  name: 'updates-on-delete',
  title: 'Template changes roll out only when pods are deleted by hand',
  description:
    'With `updateStrategy.type: OnDelete` a StatefulSet or DaemonSet replaces a pod only when someone deletes it: a new image or configuration applied by the pipeline reaches no running pod, so the cluster keeps running the old release (security fixes included) while the manifests say otherwise, and the pods drift apart as they are recreated one by one. Some operators choose it on purpose for hand-run upgrades; then it needs an owner and a procedure.',
  layer: 'cluster',
  dimensions: ['CI/CD', 'Applications'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  fixable: true,
  frameworks: {},
  remediation: 'Use `updateStrategy.type: RollingUpdate` (the default), with a `partition` or `maxUnavailable` for a controlled pace, unless an upgrade procedure deletes the pods on purpose.',
  messages: { onDelete: '{{kind}} "{{name}}" updates its pods only when they are deleted (OnDelete): applied changes do not reach the running pods.' },
  cel: { expression: "!has(object.spec.updateStrategy) || !has(object.spec.updateStrategy.type) || object.spec.updateStrategy.type != 'OnDelete'", message: 'StatefulSets and DaemonSets must roll out template changes (updateStrategy RollingUpdate).' },
  targets: 'object',
  kinds: ['StatefulSet', 'DaemonSet'],
  check(object, ctx) {
    if (hasController(object) || asRecord(specOf(object)['updateStrategy'])?.['type'] !== 'OnDelete') return;
    ctx.report('onDelete', { kind: object.kind, name: object.metadata.name ?? '' }, '/spec/updateStrategy/type', { fix: [{ op: 'replace', path: '/spec/updateStrategy/type', value: 'RollingUpdate' }] });
  },
});
