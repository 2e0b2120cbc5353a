import { defineControl } from '../../engine/types.js';
import { SYSTEM_NAMESPACES } from '../support/namespaces.js';
import { hasController, isLive } from '../support/workloads.js';

/** Labels and annotations deploy tools put on what they apply. */
const MARKERS = [
  'app.kubernetes.io/managed-by',
  'argocd.argoproj.io/instance',
  'argocd.argoproj.io/tracking-id',
  'kustomize.toolkit.fluxcd.io/name',
  'helm.toolkit.fluxcd.io/name',
  'meta.helm.sh/release-name',
  'app.kubernetes.io/instance',
  'kapp.k14s.io/app',
  'config.kubernetes.io/origin',
];

export default defineControl({
  id: 'KOR-0735',
  name: 'workload-not-managed-by-gitops',
  title: 'Live workload applied by no deployment tool',
  description:
    'On a live cluster, a Deployment, StatefulSet or DaemonSet carrying no mark of a deployment tool (Helm, Argo CD, Flux, kapp, Kustomize, or the `app.kubernetes.io/managed-by` label) was most likely applied by hand: it is not in version control, is lost when the cluster is rebuilt from its repositories, and drifts unseen. Judged on objects read from a cluster, a snapshot or an export of one (`kubectl get -o yaml`: objects with the uid and resourceVersion the API server set), outside Kubernetes\' own namespaces.',
  layer: 'cluster',
  dimensions: ['CI/CD', 'Disaster Recovery'],
  phases: ['runtime'],
  severity: 'low',
  effort: 'medium',
  frameworks: {},
  remediation: 'Put the workload\'s manifests in a repository and deploy them with a GitOps tool or Helm (which label what they apply), then delete the hand-made copy.',
  messages: { unmanaged: '{{kind}} "{{name}}" carries no label or annotation of a deployment tool: probably applied by hand, outside version control.' },
  targets: 'object',
  kinds: ['Deployment', 'StatefulSet', 'DaemonSet'],
  check(object, ctx) {
    if (!isLive(ctx.item) || hasController(object)) return;
    if (SYSTEM_NAMESPACES.has(ctx.inventory.namespaceOf(object) ?? 'default')) return;
    const meta = object.metadata;
    if (MARKERS.some((k) => (meta.labels && typeof meta.labels === 'object' && meta.labels[k] !== undefined) || (meta.annotations && typeof meta.annotations === 'object' && meta.annotations[k] !== undefined))) return;
    ctx.report('unmanaged', { kind: object.kind, name: meta.name ?? '' }, '/metadata');
  },
});
