import { defineControl } from '../../engine/types.js';
import { celAllContainers } from '../support/cel.js';
import { isMirrorPod } from '../support/pod.js';

export default defineControl({
  id: 'KOR-0800',
  name: 'image-pull-policy-never',
  title: 'Image is never pulled',
  description:
    '`imagePullPolicy: Never` starts the container only on nodes that already hold the image: on a new node (autoscaling, an upgrade replacing the node pool, a replacement after a failure) the pod fails with ErrImageNeverPull and stays down until someone loads the image by hand. It fits images baked into node images or loaded by a tool in development clusters, not workloads that must move between nodes. Static pods are not judged.',
  layer: 'container',
  dimensions: ['Scalability', 'CI/CD'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  fixable: true,
  frameworks: {},
  remediation: 'Use `imagePullPolicy: IfNotPresent` with an image pinned by digest or an immutable tag (or remove the field), and let nodes pull from a registry they can reach.',
  messages: { never: 'Container "{{name}}" never pulls its image: on a node without it the pod cannot start.' },
  cel: { expression: celAllContainers("!has(c.imagePullPolicy) || c.imagePullPolicy != 'Never'"), message: 'Containers must be able to pull their image (imagePullPolicy other than Never).' },
  targets: 'container',
  check({ container, object }, ctx) {
    if (container.imagePullPolicy !== 'Never' || isMirrorPod(object)) return;
    ctx.report('never', { name: container.name }, '/imagePullPolicy', { fix: [{ op: 'replace', path: '/imagePullPolicy', value: 'IfNotPresent' }] });
  },
});
