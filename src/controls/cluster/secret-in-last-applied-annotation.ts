import { defineControl } from '../../engine/types.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Findings name the Secret keys, never the values. */
export default defineControl({
  id: 'KOR-0131',
  name: 'secret-in-last-applied-annotation',
  title: 'Secret values copied into the last-applied annotation',
  description:
    '`kubectl apply` (client-side) stores the whole applied manifest in the `kubectl.kubernetes.io/last-applied-configuration` annotation. For a Secret that is a second, plain-text copy of every value in the object\'s metadata: metadata is shown by `kubectl describe`, copied by backup and GitOps tools, logged by admission webhooks and audit policies that redact `data` but not annotations, and kept after the Secret\'s data is rotated with a different tool.',
  layer: 'cluster',
  dimensions: ['Security'],
  phases: ['deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  fixable: true,
  frameworks: { nsa: ['secrets'], mitre: ['T1552.007'] },
  remediation: 'Remove the annotation (`kubectl annotate secret NAME kubectl.kubernetes.io/last-applied-configuration-`) and apply Secrets with server-side apply (`kubectl apply --server-side`) or an external secret manager; rotate the values.',
  messages: { copied: 'Secret "{{name}}" carries {{count}} value(s) ({{keys}}) in plain text in its last-applied-configuration annotation.' },
  targets: 'object',
  kinds: ['Secret'],
  check(object, ctx) {
    const text = object.metadata.annotations?.[LAST_APPLIED];
    if (typeof text !== 'string') return;
    let applied: unknown;
    try {
      applied = JSON.parse(text);
    } catch {
      return;
    }
    if (!applied || typeof applied !== 'object') return;
    const keys = new Set<string>();
    for (const field of ['data', 'stringData']) {
      const d = (applied as Record<string, unknown>)[field];
      if (d && typeof d === 'object') for (const [k, v] of Object.entries(d)) if (typeof v === 'string' && v !== '') keys.add(k);
    }
    if (keys.size === 0) return;
    const sorted = [...keys].sort();
    ctx.report('copied', { name: object.metadata.name ?? '', count: sorted.length, keys: sorted.join(', ') }, '/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration', {
      fix: [{ op: 'remove', path: '/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration' }],
    });
  },
});
