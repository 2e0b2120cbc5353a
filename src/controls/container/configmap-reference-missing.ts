import { defineControl } from '../../engine/types.js';
import { referencesOf } from '../support/references.js';
import { namesIn } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0762',
  name: 'configmap-reference-missing',
  title: 'Pod refers to a ConfigMap that does not exist',
  description:
    'A pod whose volume, `env` or `envFrom` refers to a ConfigMap absent from its namespace (and not marked `optional: true`) does not start: its containers stay in CreateContainerConfigError, or the volume never mounts. Usually the ConfigMap was renamed, or is generated with a hash suffix the reference does not carry. Judged where the inputs hold ConfigMaps of the pod\'s namespace.',
  layer: 'container',
  dimensions: ['Applications', 'CI/CD'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Create the ConfigMap in the workload\'s namespace, fix the name in the reference, or mark the reference `optional: true` if the pod can run without it.',
  messages: { missing: '{{kind}} "{{name}}" {{where}} refers to ConfigMap "{{ref}}", which is not in namespace "{{namespace}}": the pod does not start.' },
  targets: 'podSpec',
  check({ podSpec, object }, ctx) {
    const ns = ctx.inventory.namespaceOf(object) ?? 'default';
    const names = namesIn(ctx.inventory, 'ConfigMap', ns);
    if (!names) return;
    for (const r of referencesOf(podSpec, 'ConfigMap')) {
      if (!names.has(r.name)) ctx.report('missing', { kind: object.kind, name: object.metadata.name ?? '', where: r.where, ref: r.name, namespace: ns }, r.pointer);
    }
  },
});
