import { defineControl } from '../../engine/types.js';
import { compileSelector } from '../../network/selector.js';
import { asRecord, podLabelsOf, specOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0743',
  name: 'selector-does-not-match-template',
  title: 'Workload selector does not match its pod template',
  description:
    'A Deployment, StatefulSet, DaemonSet or ReplicaSet whose `spec.selector` does not select the labels of its own pod template is rejected by the API server ("selector does not match template labels"): the deploy fails, usually after a label was renamed in one place only. A Job with `manualSelector: true` is judged the same way. Judged on manifests before they reach the cluster.',
  layer: 'cluster',
  dimensions: ['CI/CD', 'Applications'],
  phases: ['develop', 'deploy'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Make `spec.selector` select the pod template\'s labels (`spec.template.metadata.labels`); note that the selector of an existing workload cannot be changed in place.',
  messages: { mismatch: '{{kind}} "{{name}}" selects {{selector}}, which its own pod template labels do not match: the API server rejects it.' },
  targets: 'object',
  kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'],
  check(object, ctx) {
    const spec = specOf(object);
    if (object.kind === 'Job' && spec['manualSelector'] !== true) return;
    const sel = asRecord(spec['selector']);
    if (!sel) return;
    if (compileSelector(sel)(podLabelsOf(object))) return;
    const ml = asRecord(sel['matchLabels']) ?? {};
    const text = [...Object.entries(ml).map(([k, v]) => `${k}=${String(v)}`), ...(Array.isArray(sel['matchExpressions']) ? ['(expressions)'] : [])].join(',') || '(empty)';
    ctx.report('mismatch', { kind: object.kind, name: object.metadata.name ?? '', selector: text }, '/spec/selector');
  },
});
