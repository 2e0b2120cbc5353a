import { defineControl } from '../../engine/types.js';
import { asRecord, hasController, objectsIn, specOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0744',
  name: 'statefulset-service-missing',
  title: 'StatefulSet governing Service missing or not headless',
  description:
    'A StatefulSet\'s pods get their stable DNS names (`pod-0.service.namespace`) from the headless Service its `serviceName` names. When that Service is absent, or has a cluster IP, the names do not resolve, and clustered software (databases, brokers) that finds its peers by those names cannot form a cluster. Judged where the inputs hold at least one Service of the StatefulSet\'s namespace.',
  layer: 'cluster',
  dimensions: ['Architecture', 'Applications'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Create a Service with `clusterIP: None` named as the StatefulSet\'s `spec.serviceName`, selecting its pods.',
  messages: {
    missing: 'StatefulSet "{{name}}" names Service "{{service}}", which is not in namespace "{{namespace}}": its pods get no stable DNS names.',
    notHeadless: 'StatefulSet "{{name}}" names Service "{{service}}", which is not headless (clusterIP is not None): its pods get no stable DNS names.',
  },
  targets: 'object',
  kinds: ['StatefulSet'],
  check(object, ctx) {
    if (hasController(object)) return;
    const service = specOf(object)['serviceName'];
    if (typeof service !== 'string' || service === '') return;
    const ns = ctx.inventory.namespaceOf(object) ?? 'default';
    if (objectsIn(ctx.inventory, 'Service', ns).length === 0) return;
    const svc = ctx.inventory.get('Service', ns, service);
    const name = object.metadata.name ?? '';
    if (!svc) ctx.report('missing', { name, service, namespace: ns }, '/spec/serviceName');
    else if (asRecord(svc.object['spec'])?.['clusterIP'] !== 'None') ctx.report('notHeadless', { name, service }, '/spec/serviceName');
  },
});
