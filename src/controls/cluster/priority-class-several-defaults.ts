import { defineControl } from '../../engine/types.js';

export default defineControl({
  id: 'KOR-0795',
  name: 'priority-class-several-defaults',
  title: 'More than one PriorityClass is the global default',
  description:
    'Only one PriorityClass may set `globalDefault: true`: the API server\'s Priority admission refuses to create a second one, so the apply of whichever manifest comes second fails (and in a GitOps tool keeps failing). The inputs hold several, usually one from the platform and one from a chart. Pods without a priority class get the default\'s value, so which one wins also decides what gets preempted first.',
  layer: 'cluster',
  dimensions: ['Applications', 'CI/CD'],
  phases: ['develop', 'deploy'],
  severity: 'low',
  effort: 'low',
  frameworks: {},
  remediation: 'Keep `globalDefault: true` on one PriorityClass only (usually a low, non-preempting value) and set it to false on the others.',
  messages: { several: '{{count}} PriorityClasses are the global default ({{names}}): the API server refuses all but the first created.' },
  targets: 'inventory',
  kinds: ['PriorityClass'],
  check(inv, ctx) {
    const defaults = inv.byKind('PriorityClass').filter((p) => p.object['globalDefault'] === true).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (defaults.length < 2) return;
    ctx.report('several', { count: defaults.length, names: defaults.map((p) => `"${p.object.metadata.name ?? ''}"`).join(', ') }, '/globalDefault', { object: defaults[1]! });
  },
});
