import { defineControl } from '../../engine/types.js';
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
  guard: 'admission',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'high',
  effort: 'medium',
  frameworks: { nsa: ['rbac'], mitre: ['T1552.007', 'T1190'] },
  remediation: 'Replace the snippet with the dedicated ingress-nginx annotations or controller ConfigMap settings, and keep `allow-snippet-annotations` disabled in the controller.',
  messages: { snippet: 'Ingress "{{name}}" uses the snippet annotation {{annotation}}.' },
  targets: 'object',
  kinds: ['Ingress'],
  check(object, ctx) {
    const ann = object.metadata.annotations;
    if (!ann || typeof ann !== 'object') return;
    for (const key of SNIPPETS) {
      if (typeof ann[key] === 'string' && ann[key].trim() !== '') ctx.report('snippet', { name: object.metadata.name ?? '', annotation: key }, joinPointer('/metadata/annotations', key));
    }
  },
});
