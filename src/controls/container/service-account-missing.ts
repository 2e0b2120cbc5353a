import { defineControl } from '../../engine/types.js';
import { namesIn } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0751',
  name: 'service-account-missing',
  title: 'Pod uses a ServiceAccount that does not exist',
  description:
    'The ServiceAccount admission plugin rejects pods whose `serviceAccountName` names no ServiceAccount of their namespace: the workload creates no pod, and only its events say why. Judged where the inputs hold ServiceAccounts of the pod\'s namespace (a live cluster always has `default`; a chart usually ships the accounts it uses); the `default` account itself is never reported.',
  layer: 'container',
  dimensions: ['Applications', 'CI/CD'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Create the ServiceAccount in the workload\'s namespace, or name an existing one in `serviceAccountName`.',
  messages: { missing: '{{kind}} "{{name}}" uses ServiceAccount "{{account}}", which is not in namespace "{{namespace}}": its pods are rejected.' },
  targets: 'podSpec',
  check({ podSpec, object }, ctx) {
    const account = typeof podSpec.serviceAccountName === 'string' && podSpec.serviceAccountName !== '' ? podSpec.serviceAccountName : undefined;
    if (!account || account === 'default') return;
    const ns = ctx.inventory.namespaceOf(object) ?? 'default';
    const accounts = namesIn(ctx.inventory, 'ServiceAccount', ns);
    if (!accounts || accounts.has(account)) return;
    ctx.report('missing', { kind: object.kind, name: object.metadata.name ?? '', account, namespace: ns }, '/serviceAccountName');
  },
});
