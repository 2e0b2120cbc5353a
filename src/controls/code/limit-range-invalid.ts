import { defineControl } from '../../engine/types.js';
import { limitItems } from '../support/limit-ranges.js';

export default defineControl({
  id: 'KOR-0827',
  name: 'limit-range-invalid',
  title: 'LimitRange the API server rejects',
  description:
    'The API server refuses a LimitRange whose bounds contradict each other: a `min` above the `max`, a `default` (limit) above the `max` or below the `min`, a `defaultRequest` above the `max`, the `default` or below the `min`, or a `maxLimitRequestRatio` below 1. The namespace then runs without the intended defaults and bounds while the manifest suggests it has them. Checked against a real kube-apiserver in the test suite.',
  layer: 'code',
  dimensions: ['CI/CD', 'Scalability'],
  phases: ['develop', 'deploy'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Order the bounds of each resource: min ≤ defaultRequest ≤ default ≤ max, and a maxLimitRequestRatio of at least 1.',
  messages: { invalid: 'LimitRange "{{name}}" sets {{what}} for {{resource}}: the API server rejects it.' },
  targets: 'object',
  kinds: ['LimitRange'],
  check(object, ctx) {
    for (const item of limitItems(object)) {
      for (const resource of item.resources) {
        const [max, min, def, req, ratio] = (['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const).map((f) => item.bound(f, resource));
        const esc = resource.replace(/~/g, '~0').replace(/\//g, '~1');
        const at = (f: string): string => `/spec/limits/${item.index}/${f}/${esc}`;
        const report = (what: string, field: string): void => ctx.report('invalid', { name: object.metadata.name ?? '', what, resource }, at(field));
        if (min && max && min.value > max.value) report(`min ${min.raw} above max ${max.raw}`, 'min');
        if (req && min && min.value > req.value) report(`defaultRequest ${req.raw} below min ${min.raw}`, 'defaultRequest');
        if (req && max && req.value > max.value) report(`defaultRequest ${req.raw} above max ${max.raw}`, 'defaultRequest');
        if (req && def && req.value > def.value) report(`defaultRequest ${req.raw} above default ${def.raw}`, 'defaultRequest');
        if (def && min && min.value > def.value) report(`default ${def.raw} below min ${min.raw}`, 'default');
        if (def && max && def.value > max.value) report(`default ${def.raw} above max ${max.raw}`, 'default');
        if (ratio && ratio.value < 1) report(`maxLimitRequestRatio ${ratio.raw} below 1`, 'maxLimitRequestRatio');
      }
    }
  },
});
