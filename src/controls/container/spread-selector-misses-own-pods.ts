import { defineControl } from '../../engine/types.js';
import { compileSelector } from '../../network/selector.js';
import { asRecord } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0778',
  name: 'spread-selector-misses-own-pods',
  title: 'Topology spread constraint does not count the workload\'s own pods',
  description:
    'The scheduler spreads pods by counting, per node or zone, the pods that a topology spread constraint\'s `labelSelector` matches. A constraint whose selector does not match the pod\'s own labels (a renamed label, a selector copied from another chart) or that has no selector at all counts other pods or none, so the replicas it was written to spread can all land on one node or in one zone while the manifest looks protected. Judged on pod templates with `topologySpreadConstraints`.',
  layer: 'container',
  dimensions: ['Disaster Recovery', 'Architecture'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Make each constraint\'s `labelSelector` match the pod template\'s labels (for example the workload\'s `app.kubernetes.io/name`), and use `matchLabelKeys: [pod-template-hash]` to count only the current revision.',
  messages: {
    misses: 'Topology spread constraint on {{key}} selects pods by labels the pods of {{kind}} "{{name}}" do not carry: it does not spread them.',
    noSelector: 'Topology spread constraint on {{key}} has no labelSelector: it counts no pods and spreads nothing.',
  },
  targets: 'podSpec',
  check({ podSpec, podMetadata, object }, ctx) {
    const constraints = podSpec['topologySpreadConstraints'];
    if (!Array.isArray(constraints)) return;
    const labels = podMetadata.labels && typeof podMetadata.labels === 'object' ? podMetadata.labels : {};
    constraints.forEach((c, i) => {
      const r = asRecord(c);
      if (!r) return;
      const key = typeof r['topologyKey'] === 'string' ? r['topologyKey'] : '?';
      if (r['labelSelector'] === undefined || r['labelSelector'] === null) {
        ctx.report('noSelector', { key }, `/topologySpreadConstraints/${i}`);
        return;
      }
      if (!compileSelector(r['labelSelector'])(labels)) ctx.report('misses', { key, kind: object.kind, name: object.metadata.name ?? '' }, `/topologySpreadConstraints/${i}/labelSelector`);
    });
  },
});
