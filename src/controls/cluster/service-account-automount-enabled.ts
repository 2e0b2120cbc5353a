import { defineControl } from '../../engine/types.js';

export default defineControl({
  id: 'KOR-0109',
  name: 'service-account-automount-enabled',
  title: 'ServiceAccount lets pods mount its token by default',
  description:
    'A ServiceAccount without `automountServiceAccountToken: false` has its API token mounted into every pod that uses it and does not opt out itself. Turning it off on the account makes token access a deliberate choice of the pods that need it. The `default` ServiceAccount of each namespace is used by every pod that names no account, so it matters most there (CIS 5.1.5).',
  layer: 'cluster',
  dimensions: ['Security'],
  guard: 'authentication',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  fixable: true,
  frameworks: { nsa: ['service-account-tokens'], cis: ['5.1.5', '5.1.6'], mitre: ['T1528', 'T1552.007'] },
  remediation: 'Set `automountServiceAccountToken: false` on the ServiceAccount; pods that need the API opt in with `automountServiceAccountToken: true` or a projected token volume.',
  messages: {
    defaultAccount: 'The default ServiceAccount of namespace "{{namespace}}" lets every pod without an explicit account mount its token.',
    account: 'ServiceAccount "{{name}}" does not set automountServiceAccountToken: false.',
  },
  targets: 'object',
  kinds: ['ServiceAccount'],
  check(object, ctx) {
    const value = object['automountServiceAccountToken'];
    if (value === false) return;
    const pointer = value === undefined ? '' : '/automountServiceAccountToken';
    const fix = [{ op: 'add' as const, path: '/automountServiceAccountToken', value: false }];
    const name = object.metadata.name ?? '';
    if (name === 'default') ctx.report('defaultAccount', { namespace: ctx.inventory.namespaceOf(object) ?? 'default' }, pointer, { fix });
    else ctx.report('account', { name }, pointer, { fix });
  },
  cel: {
    expression: 'has(object.automountServiceAccountToken) && object.automountServiceAccountToken == false',
    message: 'ServiceAccounts must set automountServiceAccountToken: false.',
  },
});
