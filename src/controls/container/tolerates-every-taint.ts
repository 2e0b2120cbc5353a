import { defineControl } from '../../engine/types.js';
import { isMirrorPod } from '../support/pod.js';
import { asRecord } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0781',
  name: 'tolerates-every-taint',
  title: 'Workload tolerates every taint',
  description:
    'A toleration with `operator: Exists` and no key tolerates every taint: the pods are scheduled onto control-plane and cordoned-for-maintenance nodes and nodes reserved for other teams, and, tolerating the `not-ready` and `unreachable` NoExecute taints forever, they are never evicted from a node that died, so the replicas count as running while serving nothing. It belongs on node agents (DaemonSets), not on applications. Judged on pod templates other than DaemonSets (and their pods) and static pods.',
  layer: 'container',
  dimensions: ['Architecture', 'Disaster Recovery'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: {},
  remediation: 'Tolerate only the taints the workload needs, by key (and effect), and keep the default `tolerationSeconds` for `node.kubernetes.io/not-ready` and `unreachable`.',
  messages: { all: '{{kind}} "{{name}}" tolerates every taint (operator Exists without a key): its pods land on any node and stay on dead ones.' },
  targets: 'podSpec',
  check({ podSpec, object }, ctx) {
    if (object.kind === 'DaemonSet' || isMirrorPod(object)) return;
    const owners = object.metadata.ownerReferences;
    if (Array.isArray(owners) && owners.some((o) => asRecord(o)?.['kind'] === 'DaemonSet')) return;
    const tolerations = podSpec['tolerations'];
    if (!Array.isArray(tolerations)) return;
    const index = tolerations.findIndex((t) => {
      const r = asRecord(t);
      return r !== undefined && r['operator'] === 'Exists' && (r['key'] === undefined || r['key'] === '') && (r['effect'] === undefined || r['effect'] === '' || r['effect'] === 'NoExecute') && r['tolerationSeconds'] === undefined;
    });
    if (index < 0) return;
    ctx.report('all', { kind: object.kind, name: object.metadata.name ?? '' }, `/tolerations/${index}`);
  },
});
