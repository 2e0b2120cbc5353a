import { defineControl } from '../../engine/types.js';
import { producedSecrets, referencesOf } from '../support/references.js';
import { namesIn } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0763',
  name: 'secret-reference-missing',
  title: 'Pod refers to a Secret that does not exist',
  description:
    'A pod whose volume, `env` or `envFrom` refers to a Secret absent from its namespace (and not marked `optional: true`) does not start (CreateContainerConfigError, or a volume that never mounts). Secrets that other objects of the namespace produce (cert-manager Certificates, ExternalSecrets, SealedSecrets, secrets-store SecretProviderClasses) count as present. Judged where the inputs hold Secrets of the pod\'s namespace; only names are reported.',
  layer: 'container',
  dimensions: ['Applications', 'CI/CD'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Create the Secret (or the object that produces it) in the workload\'s namespace, fix the name in the reference, or mark it `optional: true`.',
  messages: { missing: '{{kind}} "{{name}}" {{where}} refers to Secret "{{ref}}", which is not in namespace "{{namespace}}": the pod does not start.' },
  targets: 'podSpec',
  check({ podSpec, object }, ctx) {
    const ns = ctx.inventory.namespaceOf(object) ?? 'default';
    const names = namesIn(ctx.inventory, 'Secret', ns);
    if (!names) return;
    const produced = producedSecrets(ctx.inventory, ns);
    for (const r of referencesOf(podSpec, 'Secret')) {
      if (!names.has(r.name) && !produced.has(r.name)) ctx.report('missing', { kind: object.kind, name: object.metadata.name ?? '', where: r.where, ref: r.name, namespace: ns }, r.pointer);
    }
  },
});
