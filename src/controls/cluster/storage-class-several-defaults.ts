import { defineControl } from '../../engine/types.js';

const DEFAULT_KEYS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

export default defineControl({
  id: 'KOR-0812',
  name: 'storage-class-several-defaults',
  title: 'More than one StorageClass is marked default',
  description:
    'Claims that name no StorageClass get the default one. With several classes annotated `storageclass.kubernetes.io/is-default-class: "true"`, Kubernetes since 1.26 picks the most recently created, earlier versions reject such claims: either way which storage (performance, reclaim policy, zone binding, backup coverage) a new claim gets depends on object creation order, usually after a cloud add-on or a chart installed its own default.',
  layer: 'cluster',
  dimensions: ['Storage & Backup'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: {},
  remediation: 'Keep the default annotation on one StorageClass and set it to "false" (or remove it) on the others.',
  messages: { several: '{{count}} StorageClasses are marked default ({{names}}): which one a claim without a class gets depends on creation order.' },
  targets: 'inventory',
  kinds: ['StorageClass'],
  check(inv, ctx) {
    const defaults = inv
      .byKind('StorageClass')
      .filter((c) => DEFAULT_KEYS.some((k) => c.object.metadata.annotations?.[k] === 'true'))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (defaults.length < 2) return;
    const second = defaults[1]!;
    const key = DEFAULT_KEYS.find((k) => second.object.metadata.annotations?.[k] === 'true')!;
    ctx.report('several', { count: defaults.length, names: defaults.map((c) => `"${c.object.metadata.name ?? ''}"`).join(', ') }, `/metadata/annotations/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, { object: second });
  },
});
