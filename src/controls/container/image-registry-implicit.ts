import { defineControl } from '../../engine/types.js';
import { celAllContainers } from '../support/cel.js';

const IMAGE_NAME = "c.image.trim().split('@')[0]";
import { parseImageRef } from '../support/images.js';
import { CONTAINER_KIND_LABEL } from '../support/pod.js';

export default defineControl({
  id: 'KOR-0112',
  name: 'image-registry-implicit',
  title: 'Image reference names no registry',
  description:
    'An image reference without a registry host (`nginx:1.27`, `team/app:2`) is resolved by the container runtime, normally to Docker Hub, or to whatever mirror or search registry the node is configured with. The origin of the image is then implicit and differs between nodes and runtimes; it also escapes allow-lists of trusted registries that match on the host. Naming an organisation registry makes provenance explicit and lets admission policies enforce it.',
  layer: 'container',
  dimensions: ['Security', 'CI/CD'],
  phases: ['develop', 'distribute', 'deploy'],
  severity: 'low',
  effort: 'low',
  frameworks: { nsa: ['secure-container-images'], cis: ['5.5.1'], mitre: ['T1204.003'] },
  remediation: 'Reference images with an explicit registry host, preferably a trusted internal registry or mirror (`registry.example.com/team/app:1.2.3`).',
  messages: { implicit: '{{kind}} "{{name}}" image "{{image}}" names no registry (resolved by the runtime, usually to Docker Hub).' },
  targets: 'container',
  check({ container, containerKind }, ctx) {
    const image = container.image;
    if (typeof image !== 'string' || image === '') return;
    if (parseImageRef(image).registry !== undefined) return;
    ctx.report('implicit', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name, image }, '/image');
  },
  cel: {
    expression: celAllContainers(`!has(c.image) || c.image.trim() == '' || (${IMAGE_NAME}.contains('/') && (${IMAGE_NAME}.split('/')[0].contains('.') || ${IMAGE_NAME}.split('/')[0].contains(':') || ${IMAGE_NAME}.split('/')[0] == 'localhost'))`),
    message: 'Container images must name their registry.',
  },
});
