import { defineControl } from '../../engine/types.js';
import { CEL_TAG_ABSENT_OR_LATEST, celAllContainers } from '../support/cel.js';
import { effectivePullPolicy, parseImageRef } from '../support/images.js';
import { CONTAINER_KIND_LABEL } from '../support/pod.js';

export default defineControl({
  id: 'KOR-0113',
  name: 'image-pull-policy-not-always',
  title: 'Mutable image tag not pulled on every start',
  description:
    'With `imagePullPolicy: IfNotPresent` (the default for any tag other than `latest`) or `Never`, a node runs whatever image it already has under that tag: a tag moved in the registry is not picked up consistently, and a pod can start from an image cached by another tenant without the registry checking its pull credentials. Digest-pinned images are immutable and are not judged.',
  layer: 'container',
  dimensions: ['Security', 'CI/CD'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  fixable: true,
  frameworks: { nsa: ['secure-container-images'], mitre: ['T1525'] },
  remediation: 'Pin the image by digest, or set `imagePullPolicy: Always` so that every start resolves the tag against the registry.',
  messages: { notAlways: '{{kind}} "{{name}}" pulls the mutable image "{{image}}" with policy {{policy}}.' },
  targets: 'container',
  check({ container, containerKind }, ctx) {
    const image = container.image;
    if (typeof image !== 'string' || image === '') return;
    if (parseImageRef(image).digest !== undefined) return;
    const policy = effectivePullPolicy(image, container.imagePullPolicy);
    if (policy === 'Always') return;
    const explicit = container.imagePullPolicy !== undefined;
    ctx.report('notAlways', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name, image, policy: explicit ? policy : `${policy} (default)` }, explicit ? '/imagePullPolicy' : '/image', {
      fix: [{ op: 'add', path: '/imagePullPolicy', value: 'Always' }],
    });
  },
  cel: {
    expression: celAllContainers(`!has(c.image) || c.image == '' || c.image.contains('@') || (has(c.imagePullPolicy) ? c.imagePullPolicy == 'Always' : ${CEL_TAG_ABSENT_OR_LATEST})`),
    message: 'Containers must pull their image Always unless it is pinned by digest.',
  },
});
