import { defineControl } from '../../engine/types.js';
import { asRecord } from '../support/workloads.js';

const DEFAULT = 'ingressclass.kubernetes.io/is-default-class';

export default defineControl({
  id: 'KOR-0771',
  name: 'ingress-class-unknown',
  title: 'Ingress that no controller serves',
  description:
    'An Ingress is served by the controller of its IngressClass. One naming a class that does not exist, or naming none where no class is marked default, is accepted by the API server and ignored by every controller: its hosts answer nothing. Judged where the inputs hold the cluster\'s IngressClasses (a live cluster, a snapshot, or manifests defining at least one); Ingresses using the legacy `kubernetes.io/ingress.class` annotation are not judged.',
  layer: 'cluster',
  dimensions: ['Applications', 'Architecture'],
  phases: ['deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Set `spec.ingressClassName` to an installed IngressClass, or mark one class as the default.',
  messages: {
    unknown: 'Ingress "{{name}}" asks for IngressClass "{{class}}", which is not in the cluster: no controller serves it.',
    none: 'Ingress "{{name}}" names no IngressClass and none is the default: no controller serves it.',
  },
  targets: 'object',
  kinds: ['Ingress'],
  check(object, ctx) {
    const classes = ctx.inventory.byKind('IngressClass');
    if (classes.length === 0) return;
    if (object.metadata.annotations?.['kubernetes.io/ingress.class'] !== undefined) return;
    const cls = asRecord(object['spec'])?.['ingressClassName'];
    const name = object.metadata.name ?? '';
    if (typeof cls === 'string') {
      if (!classes.some((c) => c.object.metadata.name === cls)) ctx.report('unknown', { name, class: cls }, '/spec/ingressClassName');
    } else if (!classes.some((c) => c.object.metadata.annotations?.[DEFAULT] === 'true')) ctx.report('none', { name }, '/spec');
  },
});
