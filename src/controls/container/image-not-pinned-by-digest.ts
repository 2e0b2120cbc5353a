import { defineControl } from '../../engine/types.js';
import { CEL_TAG_ABSENT_OR_LATEST, celAllContainers } from '../support/cel.js';
import { parseImageRef } from '../support/images.js';
import { CONTAINER_KIND_LABEL } from '../support/pod.js';

/** Versioned tags that are still mutable. `latest` and untagged images are KOR-0100's. */
export default defineControl({
  id: 'KOR-0111',
  supersedes: { field: ['KOR-0113'] },
  name: 'image-not-pinned-by-digest',
  title: 'Image tag not pinned by digest',
  description:
    'A tag such as `1.2.3` is a pointer the registry owner (or anyone who compromises the registry or the pushing credentials) can move to other content. Only a digest (`@sha256:...`) names exactly the image that was reviewed, scanned and signed. Images tagged `latest` or untagged are reported by KOR-0100 instead.',
  layer: 'container',
  dimensions: ['Security', 'CI/CD'],
  phases: ['develop', 'distribute', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: { nsa: ['secure-container-images'], cis: ['5.5.1'], mitre: ['T1525', 'T1195.002'] },
  remediation: 'Append the digest of the reviewed image to the reference (`repo/name:1.2.3@sha256:...`), and let a bot such as Renovate keep it current.',
  messages: { noDigest: '{{kind}} "{{name}}" image "{{image}}" is pinned by tag only, not by digest.' },
  targets: 'container',
  check({ container, containerKind }, ctx) {
    const image = container.image;
    if (typeof image !== 'string' || image === '') return;
    const ref = parseImageRef(image);
    if (ref.digest !== undefined) return;
    if (ref.tag === undefined || ref.tag === 'latest') return; // KOR-0100
    ctx.report('noDigest', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name, image }, '/image');
  },
  cel: {
    expression: celAllContainers(`!has(c.image) || c.image == '' || c.image.contains('@') || ${CEL_TAG_ABSENT_OR_LATEST}`),
    message: 'Every container image must be pinned by digest.',
  },
});
