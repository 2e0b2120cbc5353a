import { defineControl } from '../../engine/types.js';
import { parseImageRef } from '../support/images.js';
import { CONTAINER_KIND_LABEL } from '../support/pod.js';

/** Registries the Kubernetes project froze: no new images, no patched ones. */
const FROZEN: Array<{ test: (registry: string, repository: string) => boolean; label: string }> = [
  { test: (r) => r === 'k8s.gcr.io', label: 'k8s.gcr.io' },
  { test: (r, repo) => r === 'gcr.io' && /^google[_-]containers\//.test(repo), label: 'gcr.io/google_containers' },
];

export default defineControl({
  id: 'KOR-0156',
  name: 'deprecated-image-registry',
  title: 'Image from the frozen k8s.gcr.io registry',
  description:
    'The Kubernetes project moved its images to registry.k8s.io and froze k8s.gcr.io on 3 April 2023 (gcr.io/google_containers long before): no new versions or security fixes are published there, and the old domain is not guaranteed to keep serving. A workload pulling from it runs an image that can never be patched in place, and fails to start when the old registry stops answering.',
  layer: 'container',
  dimensions: ['Security', 'CI/CD'],
  phases: ['develop', 'distribute', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  fixable: true,
  frameworks: { nsa: ['secure-container-images'], mitre: ['T1195.002'] },
  remediation: 'Pull the image from registry.k8s.io (same path and tag for k8s.gcr.io images) and move to a maintained version.',
  messages: { frozen: '{{kind}} "{{name}}" pulls {{image}} from the frozen registry {{registry}}.' },
  targets: 'container',
  check({ container, containerKind }, ctx) {
    if (typeof container.image !== 'string') return;
    const ref = parseImageRef(container.image);
    if (!ref.registry) return;
    const hit = FROZEN.find((f) => f.test(ref.registry!.toLowerCase(), ref.repository.toLowerCase()));
    if (!hit) return;
    const trimmed = container.image.trim();
    const fix = hit.label === 'k8s.gcr.io' ? [{ op: 'replace' as const, path: '/image', value: `registry.k8s.io${trimmed.slice(trimmed.indexOf('/'))}` }] : undefined;
    ctx.report('frozen', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name, image: container.image, registry: hit.label }, '/image', fix ? { fix } : {});
  },
});
