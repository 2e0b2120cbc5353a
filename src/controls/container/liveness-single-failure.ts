import { defineControl } from '../../engine/types.js';
import { celAllContainers } from '../support/cel.js';
import { asRecord } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0791',
  name: 'liveness-single-failure',
  title: 'Liveness probe restarts the container on a single failure',
  description:
    'A liveness probe with `failureThreshold: 1` restarts the container the first time one check fails or times out (the timeout is 1 second unless set). Under load, during a long garbage-collection pause or when a dependency is slow, one late answer kills a healthy container, and as its load moves to the other replicas they fail their checks too: one slow second turns into restarts across the workload. The default tolerates three failures.',
  layer: 'container',
  dimensions: ['Applications', 'Monitoring & Health Checks'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  fixable: true,
  frameworks: {},
  remediation: 'Let the liveness probe fail several times before a restart (`failureThreshold: 3`, the default, or more), with a `timeoutSeconds` above the endpoint\'s worst normal latency.',
  messages: { single: 'Liveness probe of container "{{name}}" restarts it after one failed check (failureThreshold: 1).' },
  cel: { expression: celAllContainers('!has(c.livenessProbe) || !has(c.livenessProbe.failureThreshold) || c.livenessProbe.failureThreshold != 1', ['containers', 'initContainers']), message: 'Liveness probes must tolerate more than one failed check.' },
  targets: 'container',
  check({ container, containerKind }, ctx) {
    if (containerKind === 'ephemeralContainer') return;
    if (asRecord(container.livenessProbe)?.['failureThreshold'] !== 1) return;
    ctx.report('single', { name: container.name }, '/livenessProbe/failureThreshold', { fix: [{ op: 'replace', path: '/livenessProbe/failureThreshold', value: 3 }] });
  },
});
