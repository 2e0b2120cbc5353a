import { defineControl } from '../../engine/types.js';

export default defineControl({
  id: 'KOR-0752',
  name: 'service-account-field-conflict',
  title: 'Deprecated serviceAccount field disagrees with serviceAccountName',
  description:
    '`serviceAccount` is the deprecated alias of `serviceAccountName`. When a pod spec sets both to different accounts, `serviceAccountName` wins: whoever reads the other field (a reviewer, a policy, a tool) believes the pod runs with another identity and other permissions than it does. Setting only the deprecated field works but is read by fewer tools.',
  layer: 'container',
  dimensions: ['Security', 'Applications'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  fixable: true,
  frameworks: {},
  remediation: 'Remove `serviceAccount` and set only `serviceAccountName`.',
  messages: {
    conflict: 'Pod spec sets serviceAccount "{{old}}" but serviceAccountName "{{name}}": the pod runs as "{{name}}".',
    deprecated: 'Pod spec sets only the deprecated serviceAccount field ("{{old}}").',
  },
  targets: 'podSpec',
  check({ podSpec }, ctx) {
    const old = podSpec.serviceAccount;
    if (typeof old !== 'string' || old === '') return;
    const name = podSpec.serviceAccountName;
    if (typeof name === 'string' && name !== '') {
      if (name !== old) ctx.report('conflict', { old, name }, '/serviceAccount', { fix: [{ op: 'remove', path: '/serviceAccount' }] });
      return;
    }
    ctx.report('deprecated', { old }, '/serviceAccount', { fix: [{ op: 'remove', path: '/serviceAccount' }, { op: 'add', path: '/serviceAccountName', value: old }] });
  },
});
