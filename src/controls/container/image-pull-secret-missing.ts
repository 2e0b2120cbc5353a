import { defineControl } from '../../engine/types.js';
import { producedSecrets } from '../support/references.js';
import { asRecord, namesIn } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0764',
  name: 'image-pull-secret-missing',
  title: 'Image pull secret does not exist',
  description:
    'An `imagePullSecrets` entry naming a Secret absent from the pod\'s namespace is skipped by the kubelet: pulls from the private registry fail with ImagePullBackOff on every node that does not have the image cached yet, typically at the next scale-out or node replacement, not at deploy time. Judged where the inputs hold Secrets of the pod\'s namespace.',
  layer: 'container',
  dimensions: ['CI/CD', 'Applications'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Create the registry Secret (type kubernetes.io/dockerconfigjson) in the namespace, or name the existing one in `imagePullSecrets`.',
  messages: { missing: '{{kind}} "{{name}}" pulls with Secret "{{ref}}", which is not in namespace "{{namespace}}": private images fail to pull on new nodes.' },
  targets: 'podSpec',
  check({ podSpec, object }, ctx) {
    const list = podSpec['imagePullSecrets'];
    if (!Array.isArray(list) || list.length === 0) return;
    const ns = ctx.inventory.namespaceOf(object) ?? 'default';
    const names = namesIn(ctx.inventory, 'Secret', ns);
    if (!names) return;
    const produced = producedSecrets(ctx.inventory, ns);
    list.forEach((e, i) => {
      const ref = asRecord(e)?.['name'];
      if (typeof ref !== 'string' || ref === '' || names.has(ref) || produced.has(ref)) return;
      ctx.report('missing', { kind: object.kind, name: object.metadata.name ?? '', ref, namespace: ns }, `/imagePullSecrets/${i}/name`);
    });
  },
});
