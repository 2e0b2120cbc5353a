import { defineControl } from '../../engine/types.js';
import { limitItems } from '../support/limit-ranges.js';
import { objectsIn, resourceOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0794',
  name: 'limit-range-rejects-pods',
  title: 'Namespace LimitRange refuses the workload\'s pods',
  description:
    'The LimitRanger admission plugin refuses any pod with a container whose limit is above the namespace LimitRange\'s `max`, whose request is below its `min`, or whose limit-to-request ratio exceeds `maxLimitRequestRatio`. For a workload the controller creates the pods, so the Deployment or StatefulSet applies fine and then runs no pod at all: the failure shows only in the ReplicaSet\'s events. Judged where the inputs hold the namespace\'s LimitRanges (type Container).',
  layer: 'container',
  dimensions: ['Scalability', 'Applications'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Bring the container\'s requests and limits within the namespace\'s LimitRange, or change the LimitRange if its bounds are wrong for this workload.',
  messages: {
    max: 'Container "{{name}}" has a {{resource}} limit of {{value}}, above the maximum {{bound}} of LimitRange "{{range}}": its pods are refused.',
    min: 'Container "{{name}}" requests {{value}} of {{resource}}, below the minimum {{bound}} of LimitRange "{{range}}": its pods are refused.',
    ratio: 'Container "{{name}}" has a {{resource}} limit {{value}} times its request, above the maxLimitRequestRatio {{bound}} of LimitRange "{{range}}": its pods are refused.',
  },
  targets: 'container',
  check({ container, containerKind, object }, ctx) {
    if (containerKind === 'ephemeralContainer') return;
    const ns = ctx.inventory.namespaceOf(object) ?? 'default';
    for (const lr of objectsIn(ctx.inventory, 'LimitRange', ns)) {
      for (const item of limitItems(lr.object)) {
        if (item.type !== 'Container') continue;
        for (const resource of item.resources) {
          const limit = resourceOf(container.resources, 'limits', resource);
          const request = resourceOf(container.resources, 'requests', resource) ?? limit;
          const base = { name: container.name, resource, range: lr.object.metadata.name ?? '' };
          const max = item.bound('max', resource);
          const min = item.bound('min', resource);
          const ratio = item.bound('maxLimitRequestRatio', resource);
          const esc = resource.replace(/~/g, '~0').replace(/\//g, '~1');
          if (max && limit !== undefined && limit > max.value * (1 + 1e-12)) ctx.report('max', { ...base, value: String(container.resources?.limits?.[resource]), bound: max.raw }, `/resources/limits/${esc}`);
          else if (min && request !== undefined && request < min.value * (1 - 1e-12)) ctx.report('min', { ...base, value: String(container.resources?.requests?.[resource] ?? container.resources?.limits?.[resource]), bound: min.raw }, `/resources/requests/${esc}`);
          else if (ratio && limit !== undefined && request !== undefined && request > 0 && limit / request > ratio.value * (1 + 1e-12)) ctx.report('ratio', { ...base, value: String(Math.round((limit / request) * 100) / 100), bound: ratio.raw }, `/resources/limits/${esc}`);
        }
      }
    }
  },
});
