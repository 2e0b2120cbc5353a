import { defineControl } from '../../engine/types.js';
import { hasController, hpasTargeting, isLive, REPLICATED_KINDS, specOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0707',
  name: 'hpa-with-fixed-replicas',
  title: 'Autoscaled workload also declares replicas',
  description:
    'When a HorizontalPodAutoscaler manages a Deployment or StatefulSet, a `spec.replicas` in the manifest fights it: every `kubectl apply`, Helm upgrade or GitOps sync resets the replica count to the manifest\'s value, scaling a busy workload down in the middle of a load peak until the autoscaler reacts again. Judged on manifests (a live object, or an export of one with its uid, always carries the replicas the autoscaler set).',
  layer: 'code',
  dimensions: ['Scalability', 'CI/CD'],
  phases: ['develop', 'deploy'],
  severity: 'low',
  effort: 'low',
  fixable: true,
  frameworks: {},
  remediation: 'Remove `spec.replicas` from the manifest of an autoscaled workload (and let the HorizontalPodAutoscaler\'s minReplicas set the floor).',
  messages: { fixed: '{{kind}} "{{name}}" sets replicas: {{replicas}} while HorizontalPodAutoscaler "{{hpa}}" scales it: each deploy resets the count.' },
  targets: 'object',
  kinds: REPLICATED_KINDS as string[],
  check(object, ctx) {
    if (isLive(ctx.item) || hasController(object)) return;
    const replicas = specOf(object)['replicas'];
    if (replicas === undefined) return;
    const hpas = hpasTargeting(ctx.inventory, object);
    if (hpas.length === 0) return;
    const hpa = hpas.map((h) => h.object.metadata.name ?? '').sort()[0]!;
    ctx.report('fixed', { kind: object.kind, name: object.metadata.name ?? '', replicas: String(replicas), hpa }, '/spec/replicas', { fix: [{ op: 'remove', path: '/spec/replicas' }] });
  },
});
