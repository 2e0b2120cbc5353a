import { defineControl } from '../../engine/types.js';

export default defineControl({
  id: 'KOR-0162',
  name: 'ephemeral-debug-container',
  title: 'Running pod carries an ephemeral debug container',
  description:
    'Ephemeral containers are added to a running pod with `kubectl debug` (the `pods/ephemeralcontainers` subresource) and can never be removed: the pod keeps them until it is deleted. One in a live pod means someone opened an interactive session inside a workload, with whatever image and security context they chose (often a shell with tools, sometimes the `sysadmin` profile), outside the deployment pipeline. It is worth knowing who and why, and the pod is worth replacing.',
  layer: 'container',
  dimensions: ['Security'],
  guard: 'auditing',
  phases: ['runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: { nsa: ['threat-detection-alerting'], mitre: ['T1609'] },
  remediation: 'Find who added it (`kordon audit` on the API server\'s audit log: pods/ephemeralcontainers), then roll the workload so the pod is replaced; restrict pods/ephemeralcontainers to break-glass roles (KOR-0211).',
  messages: { debug: 'Ephemeral container "{{name}}" (image {{image}}) was added to the running pod.' },
  targets: 'container',
  check({ container, containerKind, object }, ctx) {
    if (containerKind !== 'ephemeralContainer' || object.kind !== 'Pod') return;
    ctx.report('debug', { name: container.name, image: typeof container.image === 'string' ? container.image : '?' }, '');
  },
});
