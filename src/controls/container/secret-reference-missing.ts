import { defineControl } from '../../engine/types.js';
import { producedSecrets, referencesOf, secretWriterIn } from '../support/references.js';
import { namesIn } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0763',
  name: 'secret-reference-missing',
  title: 'Pod refers to a Secret that does not exist',
  description:
    'A pod whose volume, `env` or `envFrom` refers to a Secret absent from its namespace (and not marked `optional: true`) does not start (CreateContainerConfigError, or a volume that never mounts). Secrets that other objects of the namespace produce (cert-manager Certificates, ExternalSecrets, SealedSecrets, secrets-store SecretProviderClasses) count as present, and nothing is reported in a namespace where a workload\'s service account may create Secrets (an init container that generates a password, a Job that writes a webhook certificate: the Secret is made at run time). Judged where the inputs hold Secrets of the pod\'s namespace; only names are reported.',
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
    const missing = referencesOf(podSpec, 'Secret').filter((r) => !names.has(r.name) && !produced.has(r.name));
    // a workload of the namespace may create it at run time (asked only when something is missing)
    if (missing.length === 0 || secretWriterIn(ctx.inventory, ns) !== null) return;
    for (const r of missing) {
      ctx.report('missing', { kind: object.kind, name: object.metadata.name ?? '', where: r.where, ref: r.name, namespace: ns }, r.pointer);
    }
  },
});
