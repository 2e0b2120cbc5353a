import { defineControl } from '../../engine/types.js';
import { apiGroupOf } from '../../inventory/inventory.js';
import { specOf } from '../support/workloads.js';

const FLUX_GROUPS = new Set(['kustomize.toolkit.fluxcd.io', 'helm.toolkit.fluxcd.io', 'source.toolkit.fluxcd.io', 'image.toolkit.fluxcd.io']);
const ARGO_SKIP = 'argocd.argoproj.io/skip-reconcile';

export default defineControl({
  id: 'KOR-0816',
  name: 'gitops-reconciliation-suspended',
  title: 'GitOps reconciliation is suspended',
  description:
    'A Flux object with `spec.suspend: true`, or an Argo CD Application annotated `argocd.argoproj.io/skip-reconcile: "true"`, is no longer reconciled: merged changes, security fixes included, are not applied, and manual changes in the cluster are not reverted. Suspending is the right move during an incident; left in place afterwards, the cluster quietly stops following the repository.',
  layer: 'cluster',
  dimensions: ['CI/CD', 'Disaster Recovery'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: {},
  remediation: 'Resume reconciliation (`flux resume ...`, remove the Argo CD annotation) once the reason for suspending is gone, and record who suspended it and why (an annotation with an owner and a date).',
  messages: {
    flux: 'Flux {{kind}} "{{name}}" is suspended: changes in its source are not applied.',
    argo: 'Argo CD Application "{{name}}" skips reconciliation: the repository\'s changes are not applied.',
  },
  targets: 'object',
  kinds: ['Application', 'Kustomization', 'HelmRelease', 'GitRepository', 'OCIRepository', 'HelmRepository', 'HelmChart', 'Bucket', 'ImageUpdateAutomation', 'ImageRepository'],
  check(object, ctx) {
    const group = typeof object.apiVersion === 'string' ? apiGroupOf(object.apiVersion) : '';
    if (group === 'argoproj.io' && object.kind === 'Application') {
      if (object.metadata.annotations?.[ARGO_SKIP] === 'true') ctx.report('argo', { name: object.metadata.name ?? '' }, `/metadata/annotations/${ARGO_SKIP.replace('/', '~1')}`);
      return;
    }
    if (FLUX_GROUPS.has(group) && specOf(object)['suspend'] === true) ctx.report('flux', { kind: object.kind, name: object.metadata.name ?? '' }, '/spec/suspend');
  },
});
