import { defineControl } from '../../engine/types.js';
import { asRecord } from '../support/workloads.js';

const HOSTNAME = 'kubernetes.io/hostname';

export default defineControl({
  id: 'KOR-0780',
  name: 'pinned-to-one-node',
  title: 'Workload pinned to a single node',
  description:
    'A pod template that names one node (`nodeName`, a `nodeSelector` on `kubernetes.io/hostname`, or a required node affinity allowing a single host name) can run nowhere else: when that node is drained, upgraded or lost, every replica goes with it and nothing reschedules, and `nodeName` even bypasses the scheduler\'s resource checks. Judged on controller templates (Deployments, StatefulSets, ReplicaSets, Jobs, CronJobs); DaemonSets and pods are placed per node by design.',
  layer: 'container',
  dimensions: ['Disaster Recovery', 'Architecture'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: {},
  remediation: 'Select nodes by a label a group of nodes shares (a node pool, an instance type, a zone) instead of one host name; for node-local storage use local PersistentVolumes, whose node affinity the scheduler follows.',
  messages: {
    nodeName: '{{kind}} "{{name}}" sets nodeName "{{node}}": its pods can only run on that node.',
    selector: '{{kind}} "{{name}}" selects the single node "{{node}}" by host name: its pods cannot move elsewhere.',
  },
  targets: 'podSpec',
  check({ podSpec, object }, ctx) {
    if (object.kind === 'Pod' || object.kind === 'DaemonSet') return;
    const name = object.metadata.name ?? '';
    if (typeof podSpec.nodeName === 'string' && podSpec.nodeName !== '') {
      ctx.report('nodeName', { kind: object.kind, name, node: podSpec.nodeName }, '/nodeName');
      return;
    }
    const sel = asRecord(podSpec['nodeSelector']);
    if (sel && typeof sel[HOSTNAME] === 'string') {
      ctx.report('selector', { kind: object.kind, name, node: sel[HOSTNAME] }, `/nodeSelector/${HOSTNAME.replace('/', '~1')}`);
      return;
    }
    const terms = asRecord(asRecord(asRecord(podSpec['affinity'])?.['nodeAffinity'])?.['requiredDuringSchedulingIgnoredDuringExecution'])?.['nodeSelectorTerms'];
    if (!Array.isArray(terms) || terms.length === 0) return;
    // the terms are ORed: pinned when every term allows only one and the same host name
    const hosts = new Set<string>();
    for (const t of terms) {
      const exprs = asRecord(t)?.['matchExpressions'];
      const host = Array.isArray(exprs) ? exprs.map((e) => asRecord(e)).find((e) => e?.['key'] === HOSTNAME && e['operator'] === 'In' && Array.isArray(e['values']) && e['values'].length === 1) : undefined;
      if (!host) return;
      hosts.add(String((host['values'] as unknown[])[0]));
    }
    if (hosts.size !== 1) return;
    ctx.report('selector', { kind: object.kind, name, node: [...hosts][0]! }, '/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution');
  },
});
