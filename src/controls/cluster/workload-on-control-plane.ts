import { defineControl } from '../../engine/types.js';
import { asArray } from '../support/pod.js';
import { SYSTEM_NAMESPACES } from '../support/namespaces.js';

const CONTROL_PLANE_KEYS = ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'];

function toleratesControlPlane(tolerations: unknown): boolean {
  return asArray<{ key?: unknown; operator?: unknown; effect?: unknown }>(tolerations).some((t) => {
    if (!t || typeof t !== 'object') return false;
    if (t.effect !== undefined && t.effect !== '' && t.effect !== 'NoSchedule') return false;
    if ((t.key === undefined || t.key === '') && t.operator === 'Exists') return true;
    return typeof t.key === 'string' && CONTROL_PLANE_KEYS.includes(t.key);
  });
}

/** nodeSelector or required node affinity asking for control-plane nodes. */
function selectsControlPlane(spec: Record<string, unknown>): boolean {
  const sel = spec['nodeSelector'];
  if (sel && typeof sel === 'object' && CONTROL_PLANE_KEYS.some((k) => k in (sel as object))) return true;
  const terms = (spec['affinity'] as { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: unknown } } } | undefined)?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  return asArray<{ matchExpressions?: unknown }>(terms).some((t) => asArray<{ key?: unknown; operator?: unknown }>(t?.matchExpressions).some((e) => e && typeof e.key === 'string' && CONTROL_PLANE_KEYS.includes(e.key) && e.operator !== 'DoesNotExist' && e.operator !== 'NotIn'));
}

export default defineControl({
  id: 'KOR-0248',
  name: 'workload-on-control-plane',
  title: 'Application workload may run on control-plane nodes',
  description:
    'Control-plane nodes carry the cluster\'s keys: etcd\'s data, the CA and service-account signing keys, admin kubeconfigs. They are tainted `node-role.kubernetes.io/control-plane:NoSchedule` so that applications stay off them. An application pod that tolerates that taint (or every taint) can be scheduled there, and any escape from it, any hostPath, any node-level exploit then reaches those keys instead of an ordinary worker\'s. Node agents (DaemonSets) and the system namespaces are not judged.',
  layer: 'cluster',
  dimensions: ['Security', 'Architecture'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: { nsa: ['worker-node-segmentation'], mitre: ['T1611'] },
  remediation: 'Remove the control-plane toleration (and any `operator: Exists` toleration without a key) from the workload; run what must run on every node as a DaemonSet in a system namespace.',
  messages: {
    selects: '{{kind}} "{{name}}" tolerates the control-plane taint and asks for control-plane nodes.',
    tolerates: '{{kind}} "{{name}}" tolerates the control-plane taint: the scheduler may place it on a control-plane node.',
  },
  severityTable: [
    { case: 'tolerates the taint and selects control-plane nodes', severity: 'medium', reason: 'It runs beside etcd and the cluster\'s keys.' },
    { case: 'tolerates the taint only', severity: 'low', reason: 'It lands there when the scheduler picks a control-plane node.' },
  ],
  targets: 'podSpec',
  check({ podSpec, object }, ctx) {
    if (object.kind === 'DaemonSet') return;
    const ns = ctx.inventory.namespaceOf(object);
    if (ns && SYSTEM_NAMESPACES.has(ns)) return;
    const spec = podSpec as unknown as Record<string, unknown>;
    if (!toleratesControlPlane(spec['tolerations'])) return;
    const select = selectsControlPlane(spec);
    ctx.report(select ? 'selects' : 'tolerates', { kind: object.kind, name: object.metadata.name ?? '' }, '/tolerations', { severity: select ? 'medium' : 'low' });
  },
});
