import { defineControl } from '../../engine/types.js';
import { declaredReplicas, hasController, hpasTargeting, REPLICATED_KINDS, servicesSelecting, specOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0700',
  name: 'single-replica-behind-service',
  title: 'Service backed by a single replica',
  description:
    'A Deployment or StatefulSet that a Service sends traffic to, running one replica (declared or defaulted), is a single point of failure: a node drain, an eviction, a rollout or one crash takes the service down until a new pod is ready. Workloads scaled to zero on purpose are not reported, nor those an autoscaler targets (KOR-0705 judges its minReplicas); workloads made by another object (read from a cluster) are judged through their owner.',
  layer: 'cluster',
  dimensions: ['Architecture', 'Disaster Recovery'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  fixable: true,
  frameworks: {},
  remediation: 'Run at least two replicas (`spec.replicas: 2`, or `minReplicas: 2` on its HorizontalPodAutoscaler), spread them over nodes, and protect them with a PodDisruptionBudget.',
  messages: {
    single: '{{kind}} "{{name}}" runs {{replicas}} replica behind Service {{services}}: one pod failure or drain interrupts the service.',
  },
  targets: 'object',
  kinds: REPLICATED_KINDS as string[],
  check(object, ctx) {
    if (hasController(object)) return;
        // an autoscaler's minReplicas is judged on the autoscaler (hpa-min-replicas-below-two)
    if (hpasTargeting(ctx.inventory, object).length > 0) return;
    const least = declaredReplicas(object);
    if (least !== 1) return;
    const services = servicesSelecting(ctx.inventory, object);
    if (services.length === 0) return;
    const names = services.map((s) => `"${s.object.metadata.name ?? ''}"`).sort().join(', ');
    const has = specOf(object)['replicas'] !== undefined;
    ctx.report('single', { kind: object.kind, name: object.metadata.name ?? '', replicas: least, services: names }, has ? '/spec/replicas' : '/spec', {
      fix: [{ op: has ? 'replace' : 'add', path: '/spec/replicas', value: 2 }],
    });
  },
});
