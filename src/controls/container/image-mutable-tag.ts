import { defineControl } from '../../engine/types.js';
import { CEL_TAG_ABSENT_OR_LATEST, celAllContainers } from '../support/cel.js';

/** Image references a registry can change under you: no tag (= latest), `:latest`, and no digest. */
export default defineControl({
  id: 'KOR-0100',
  supersedes: { field: ['KOR-0111', 'KOR-0113'] },
  name: 'image-mutable-tag',
  title: 'Image not pinned to a version or digest',
  description:
    'An image without a tag, or tagged `latest`, can change between pulls: what runs is not what was reviewed or scanned, and rollbacks are unreliable. Pinning a digest (`@sha256:...`) makes the image immutable.',
  layer: 'container',
  dimensions: ['Security', 'CI/CD'],
  phases: ['develop', 'distribute', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: { nsa: ['image-tag'], cis: ['5.5.1'], mitre: ['T1525'] },
  remediation: 'Reference images by an explicit version tag, preferably pinned by digest (`image: repo/name:1.2.3@sha256:...`).',
  messages: {
    latest: 'Container "{{name}}" uses the mutable tag "latest" ({{image}}).',
    untagged: 'Container "{{name}}" image "{{image}}" has no tag or digest (pulls "latest").',
  },
  targets: 'container',
  check({ container }, ctx) {
    const image = container.image;
    if (typeof image !== 'string' || image === '') return;
    if (image.includes('@')) return; // digest-pinned
    const lastSlash = image.lastIndexOf('/');
    const colon = image.indexOf(':', lastSlash + 1);
    if (colon === -1) ctx.report('untagged', { name: container.name, image }, '/image');
    else if (image.slice(colon + 1) === 'latest') ctx.report('latest', { name: container.name, image }, '/image');
  },
  cel: {
    expression: celAllContainers(`!has(c.image) || c.image == '' || c.image.contains('@') || !${CEL_TAG_ABSENT_OR_LATEST}`),
    message: 'Container images must name a tag other than latest, or a digest.',
  },
});
