import { defineControl } from '../../engine/types.js';
import { asRecord, statusOf } from '../support/workloads.js';

const STUCK = ['NamespaceDeletionDiscoveryFailure', 'NamespaceDeletionGroupVersionParsingFailure', 'NamespaceDeletionContentFailure', 'NamespaceContentRemaining', 'NamespaceFinalizersRemaining'];

export default defineControl({
  id: 'KOR-0820',
  name: 'namespace-stuck-terminating',
  title: 'Namespace deletion is stuck',
  description:
    'A namespace in phase Terminating whose status reports a deletion failure or content and finalizers remaining cannot finish deleting: usually a custom resource whose controller was removed before its finalizer ran, or an aggregated API that cannot be listed. Nothing new can be created in it, a re-deploy to the same name fails, and whatever remains keeps running or holding storage. Judged on namespaces read with their status from a cluster or a snapshot.',
  layer: 'cluster',
  dimensions: ['Architecture', 'Monitoring & Health Checks'],
  phases: ['runtime'],
  severity: 'low',
  effort: 'medium',
  frameworks: {},
  remediation: 'Read the conditions\' messages: restore the unavailable API or the controller that owns the finalizer so it can clean up, and only as a last resort remove the finalizers of the remaining objects by hand.',
  messages: { stuck: 'Namespace "{{name}}" is Terminating and cannot finish: {{type}}.' },
  targets: 'object',
  kinds: ['Namespace'],
  check(object, ctx) {
    const status = statusOf(object);
    if (status['phase'] !== 'Terminating' || !Array.isArray(status['conditions'])) return;
    const index = status['conditions'].findIndex((c) => asRecord(c)?.['status'] === 'True' && STUCK.includes(String(asRecord(c)?.['type'])));
    if (index < 0) return;
    ctx.report('stuck', { name: object.metadata.name ?? '', type: String(asRecord(status['conditions'][index])!['type']) }, `/status/conditions/${index}`);
  },
});
