import { defineControl } from '../../engine/types.js';
import { podContainers } from '../support/pod.js';
import { asRecord } from '../support/workloads.js';

function keysOf(kind: 'ConfigMap' | 'Secret', obj: Record<string, unknown>): Set<string> {
  const fields = kind === 'ConfigMap' ? ['data', 'binaryData'] : ['data', 'stringData'];
  return new Set(fields.flatMap((f) => Object.keys(asRecord(obj[f]) ?? {})));
}

export default defineControl({
  id: 'KOR-0793',
  name: 'config-key-missing',
  title: 'Pod refers to a ConfigMap or Secret key that does not exist',
  description:
    'An environment variable (`configMapKeyRef`, `secretKeyRef`) or a volume `items` entry that names a key absent from an existing ConfigMap or Secret, and is not marked `optional: true`, stops the pod: its container stays in CreateContainerConfigError, or the volume never mounts. Usually a key was renamed in the ConfigMap while the workload still uses the old name. Judged where the ConfigMap or Secret is in the inputs (a missing object altogether is KOR-0762/KOR-0763); Secret keys are read from the names only, never the values.',
  layer: 'container',
  dimensions: ['Applications', 'CI/CD'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Use a key that the ConfigMap or Secret holds, add the key, or mark the reference `optional: true` if the container can start without it.',
  messages: { missing: '{{where}} refers to key "{{key}}" of {{kind}} "{{ref}}", which has no such key: the pod does not start.' },
  targets: 'podSpec',
  check({ podSpec, object }, ctx) {
    const ns = ctx.inventory.namespaceOf(object) ?? 'default';
    const lookup = (kind: 'ConfigMap' | 'Secret', name: unknown): Set<string> | undefined => {
      if (typeof name !== 'string') return undefined;
      const found = ctx.inventory.get(kind, ns, name);
      return found ? keysOf(kind, found.object as unknown as Record<string, unknown>) : undefined;
    };
    for (const c of podContainers(podSpec)) {
      const env = Array.isArray(c.container.env) ? c.container.env : [];
      env.forEach((e, i) => {
        const from = asRecord(asRecord(e)?.['valueFrom']);
        for (const [field, kind] of [['configMapKeyRef', 'ConfigMap'], ['secretKeyRef', 'Secret']] as const) {
          const ref = asRecord(from?.[field]);
          if (!ref || ref['optional'] === true || typeof ref['key'] !== 'string') continue;
          const keys = lookup(kind, ref['name']);
          if (keys && !keys.has(ref['key'])) ctx.report('missing', { where: `Container "${c.container.name}" (env ${String(asRecord(e)?.['name'] ?? i)})`, key: ref['key'], kind, ref: String(ref['name']) }, `${c.pointer}/env/${i}/valueFrom/${field}/key`);
        }
      });
    }
    const volumes = Array.isArray(podSpec.volumes) ? podSpec.volumes : [];
    volumes.forEach((v, i) => {
      for (const [field, kind, nameField] of [['configMap', 'ConfigMap', 'name'], ['secret', 'Secret', 'secretName']] as const) {
        const src = asRecord(asRecord(v)?.[field]);
        if (!src || src['optional'] === true || !Array.isArray(src['items'])) continue;
        const keys = lookup(kind, src[nameField]);
        if (!keys) continue;
        src['items'].forEach((item, j) => {
          const key = asRecord(item)?.['key'];
          if (typeof key === 'string' && !keys.has(key)) ctx.report('missing', { where: `Volume "${String(asRecord(v)?.['name'] ?? i)}"`, key, kind, ref: String(src[nameField]) }, `/volumes/${i}/${field}/items/${j}/key`);
        });
      }
    });
  },
});
