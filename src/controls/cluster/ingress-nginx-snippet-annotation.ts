import { defineControl } from '../../engine/types.js';
import type { Inventory } from '../../inventory/inventory.js';
import { joinPointer } from '../../inventory/pointer.js';

/** ingress-nginx annotations that inject raw NGINX configuration. */
const SNIPPETS = [
  'nginx.ingress.kubernetes.io/configuration-snippet',
  'nginx.ingress.kubernetes.io/server-snippet',
  'nginx.ingress.kubernetes.io/auth-snippet',
  'nginx.ingress.kubernetes.io/stream-snippet',
  'nginx.ingress.kubernetes.io/modsecurity-snippet',
];

export default defineControl({
  id: 'KOR-0149',
  name: 'ingress-nginx-snippet-annotation',
  title: 'Ingress injects raw NGINX configuration',
  description:
    'ingress-nginx snippet annotations copy arbitrary text into the controller\'s nginx.conf. Whoever can create or edit an Ingress can then read files of the controller pod, including its service account token, which can read every Secret in the cluster (CVE-2021-25742), or route traffic anywhere. Controllers since 1.9 disable snippets by default (`allow-snippet-annotations: false`); manifests that rely on them keep clusters on the risky setting.',
  layer: 'cluster',
  dimensions: ['Security'],
  guard: 'admission',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'high',
  effort: 'medium',
  frameworks: { nsa: ['rbac'], mitre: ['T1552.007', 'T1190'] },
  remediation: 'Replace the snippet with the dedicated ingress-nginx annotations or controller ConfigMap settings, and keep `allow-snippet-annotations` disabled in the controller.',
  messages: {
    snippet: 'Ingress "{{name}}" uses the snippet annotation {{annotation}}.',
    disabled: 'Ingress "{{name}}" uses the snippet annotation {{annotation}}, which the controller rejects: ConfigMap {{configMap}} sets allow-snippet-annotations to "false".',
  },
  severityTable: [
    { case: 'snippet annotation, snippets allowed or the controller\'s ConfigMap not in the input', severity: 'high', reason: 'Whoever edits an Ingress writes nginx.conf of a controller that can read every Secret.' },
    { case: 'snippet annotation, the controller\'s ConfigMap in the input sets allow-snippet-annotations: "false"', severity: 'low', reason: 'The controller rejects the annotation: the Ingress is broken, and the manifest invites turning snippets back on.' },
  ],
  targets: 'object',
  kinds: ['Ingress'],
  check(object, ctx) {
    const ann = object.metadata.annotations;
    if (!ann || typeof ann !== 'object') return;
    const disabledBy = snippetsDisabledBy(ctx.inventory);
    for (const key of SNIPPETS) {
      if (typeof ann[key] !== 'string' || ann[key].trim() === '') continue;
      const pointer = joinPointer('/metadata/annotations', key);
      if (disabledBy) ctx.report('disabled', { name: object.metadata.name ?? '', annotation: key, configMap: disabledBy }, pointer, { severity: 'low' });
      else ctx.report('snippet', { name: object.metadata.name ?? '', annotation: key }, pointer);
    }
  },
});

const disabledCache = new WeakMap<Inventory, string | null>();

/**
 * The controller ConfigMap (`namespace/name`) that turns snippets off, when the input holds
 * ingress-nginx controller settings and every one of them sets allow-snippet-annotations to "false".
 */
function snippetsDisabledBy(inv: Inventory): string | undefined {
  let hit = disabledCache.get(inv);
  if (hit === undefined) {
    hit = null;
    const settings = inv.byKind('ConfigMap').filter((cm) => {
      const data = cm.object['data'];
      return data && typeof data === 'object' && typeof (data as Record<string, unknown>)['allow-snippet-annotations'] === 'string';
    });
    if (settings.length > 0 && settings.every((cm) => String((cm.object['data'] as Record<string, unknown>)['allow-snippet-annotations']).trim().toLowerCase() === 'false')) {
      const first = settings[0]!;
      hit = `${inv.namespaceOf(first.object) ?? 'default'}/${first.object.metadata.name ?? ''}`;
    }
    disabledCache.set(inv, hit);
  }
  return hit ?? undefined;
}
