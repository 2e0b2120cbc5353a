import { defineControl } from '../../engine/types.js';
import { kindScope } from '../support/scope.js';

/** Objects Kubernetes itself keeps in the default namespace. */
function isBuiltIn(kind: string, name: string): boolean {
  if (kind === 'Event' || kind === 'Lease') return true;
  if ((kind === 'Service' || kind === 'Endpoints' || kind === 'EndpointSlice') && name === 'kubernetes') return true;
  if (kind === 'EndpointSlice' && name.startsWith('kubernetes')) return true;
  if (kind === 'ServiceAccount' && name === 'default') return true;
  if (kind === 'ConfigMap' && name === 'kube-root-ca.crt') return true;
  return false;
}

export default defineControl({
  id: 'KOR-0114',
  name: 'default-namespace-used',
  title: 'Object in the default namespace',
  description:
    'The `default` namespace is where everything lands that names no namespace. Objects there share one set of RBAC grants, quotas and network policies with whatever else ends up in it, which defeats the namespace as an isolation and administration boundary (CIS 5.7.4, 5.7.1). Manifests read from plain files without a namespace are reported too, since `kubectl apply` puts them in the current context\'s namespace, `default` unless configured; rendered Helm and Kustomize output without one is not reported, as the tool sets the namespace at install time, nor is Helm output in `default`, which is what `.Release.Namespace` renders to when no release namespace is given. Only kinds known to live in namespaces are judged: built-in namespaced kinds, custom resources whose CRD in the input says `scope: Namespaced`, and those of a few widely installed projects (Prometheus Operator, cert-manager, Gateway API, Argo, External Secrets, Kyverno); cluster-scoped kinds and custom resources of unknown scope are never said to be in the default namespace.',
  layer: 'cluster',
  dimensions: ['Security', 'Architecture'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'medium',
  frameworks: { nsa: ['namespaces'], cis: ['5.7.1', '5.7.4'] },
  remediation: 'Create a namespace per application or team and set `metadata.namespace` on its objects.',
  messages: {
    explicit: '{{kind}} "{{name}}" lives in the default namespace.',
    unset: '{{kind}} "{{name}}" names no namespace and is created in the current namespace (default unless configured).',
  },
  targets: 'object',
  kinds: ['*'],
  check(object, ctx) {
    if (ctx.inventory.namespaceOf(object) !== 'default') return;
    // a cluster-scoped kind has no namespace, and one of unknown scope may not have one
    if (kindScope(ctx.inventory, object) !== 'namespaced') return;
    const name = object.metadata.name ?? object.metadata.generateName ?? '';
    if (isBuiltIn(object.kind, name)) return;
    // helm renders `.Release.Namespace` as "default" unless told the release's namespace: the
    // object lives where the chart is installed, as rendered output without a namespace does
    const via = ctx.item?.origin.via;
    if (via === 'helm') return;
    if (object.metadata.namespace === 'default') {
      ctx.report('explicit', { kind: object.kind, name }, '/metadata/namespace');
      return;
    }
    if (via === 'kustomize') return;
    ctx.report('unset', { kind: object.kind, name }, '/metadata');
  },
  // at admission every namespaced object has its namespace (the request's); the built-in objects above are left alone
  cel: {
    expression:
      "!has(request.namespace) || request.namespace != 'default' || request.kind.kind in ['Event', 'Lease'] || (request.kind.kind in ['Service', 'Endpoints', 'EndpointSlice'] && object.metadata.name == 'kubernetes') || (request.kind.kind == 'EndpointSlice' && object.metadata.name.startsWith('kubernetes')) || (request.kind.kind == 'ServiceAccount' && object.metadata.name == 'default') || (request.kind.kind == 'ConfigMap' && object.metadata.name == 'kube-root-ca.crt')",
    message: 'Objects must not be created in the default namespace.',
  },
});
