import { defineControl } from '../../engine/types.js';
import { apiGroupOf } from '../../inventory/inventory.js';
import { asRecord, statusOf } from '../support/workloads.js';

const FLUX_GROUPS = new Set(['kustomize.toolkit.fluxcd.io', 'helm.toolkit.fluxcd.io', 'source.toolkit.fluxcd.io']);

export default defineControl({
  id: 'KOR-0815',
  name: 'gitops-sync-failing',
  title: 'GitOps application or reconciliation is failing',
  description:
    'An Argo CD Application whose health is Degraded or Missing, or whose last sync operation Failed or errored, and a Flux Kustomization, HelmRelease or source whose Ready condition is False, mean the cluster no longer follows the repository: new commits are not applied (or only half), and the live state drifts from what reviews approved. Judged on argoproj.io and Flux objects read with their status from a cluster or a snapshot.',
  layer: 'cluster',
  dimensions: ['CI/CD', 'Monitoring & Health Checks'],
  phases: ['runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: {},
  remediation: 'Read the object\'s status message (`argocd app get`, `flux get all -A`): fix the manifest or chart that fails to apply, the source that cannot be fetched, or the resource that stays unhealthy, and alert on these conditions.',
  messages: {
    argoHealth: 'Argo CD Application "{{name}}" is {{status}}: the cluster does not run what the repository describes.',
    argoSync: 'Argo CD Application "{{name}}": the last sync {{status}}.',
    flux: 'Flux {{kind}} "{{name}}" is not ready ({{reason}}): the repository\'s changes are not being applied.',
  },
  targets: 'object',
  kinds: ['Application', 'Kustomization', 'HelmRelease', 'GitRepository', 'OCIRepository', 'HelmRepository', 'HelmChart', 'Bucket'],
  check(object, ctx) {
    const group = typeof object.apiVersion === 'string' ? apiGroupOf(object.apiVersion) : '';
    const status = statusOf(object);
    const name = object.metadata.name ?? '';
    if (group === 'argoproj.io' && object.kind === 'Application') {
      const health = asRecord(status['health'])?.['status'];
      if (health === 'Degraded' || health === 'Missing') ctx.report('argoHealth', { name, status: health }, '/status/health/status');
      const phase = asRecord(status['operationState'])?.['phase'];
      if (phase === 'Failed' || phase === 'Error') ctx.report('argoSync', { name, status: phase === 'Failed' ? 'failed' : 'ended in an error' }, '/status/operationState/phase');
      return;
    }
    if (!FLUX_GROUPS.has(group) || !Array.isArray(status['conditions'])) return;
    status['conditions'].forEach((c, i) => {
      const r = asRecord(c);
      if (r?.['type'] !== 'Ready' || r['status'] !== 'False') return;
      ctx.report('flux', { kind: object.kind, name, reason: typeof r['reason'] === 'string' ? r['reason'] : 'no reason given' }, `/status/conditions/${i}`);
    });
  },
});
