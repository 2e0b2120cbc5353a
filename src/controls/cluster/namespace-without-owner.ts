import { defineControl } from '../../engine/types.js';
import { SYSTEM_NAMESPACES } from '../support/namespaces.js';

/** Label or annotation keys (or key suffixes after a `/` prefix) that name who owns a namespace. */
const OWNER_KEYS = ['owner', 'team', 'contact', 'owned-by', 'maintainer', 'cost-center', 'costcenter'];

export function ownerKey(meta: { labels?: unknown; annotations?: unknown }): string | undefined {
  for (const m of [meta.labels, meta.annotations]) {
    if (!m || typeof m !== 'object') continue;
    for (const k of Object.keys(m).sort()) {
      const base = k.slice(k.lastIndexOf('/') + 1).toLowerCase();
      if (OWNER_KEYS.includes(base) && String((m as Record<string, unknown>)[k] ?? '') !== '') return k;
    }
  }
  return undefined;
}

export default defineControl({
  id: 'KOR-0733',
  name: 'namespace-without-owner',
  title: 'Namespace without an owner',
  description:
    'Namespaces are the unit teams own in a shared cluster: quotas, network policies, alerts and costs are per namespace. A namespace that says nowhere who owns it (an `owner`, `team`, `contact`, `maintainer` or cost-center label or annotation, with or without a domain prefix such as `example.com/team`) leaves incidents, findings and bills without an addressee. Kubernetes\' own namespaces (default, kube-system, kube-public, kube-node-lease) are not judged.',
  layer: 'cluster',
  dimensions: ['Architecture'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: { nsa: ['namespaces'] },
  remediation: 'Label every namespace with its owning team (for example `team: payments`) and a contact, and enforce it with an admission policy.',
  messages: { missing: 'Namespace "{{name}}" names no owner or team (label or annotation).' },
  targets: 'object',
  kinds: ['Namespace'],
  check(object, ctx) {
    const name = object.metadata.name ?? '';
    if (name === 'default' || SYSTEM_NAMESPACES.has(name)) return;
    if (ownerKey(object.metadata)) return;
    ctx.report('missing', { name }, '/metadata');
  },
});
