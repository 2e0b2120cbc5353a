import { defineControl } from '../../engine/types.js';
import { celAllContainers } from '../support/cel.js';
import { asRecord } from '../support/workloads.js';

/** Above this initial delay a startup probe serves better (the Kubernetes documentation's advice for slow starters). */
const LONG = 60;

export default defineControl({
  id: 'KOR-0824',
  name: 'liveness-long-initial-delay',
  title: 'Slow start covered by a long liveness delay instead of a startup probe',
  description:
    'A liveness probe with a long `initialDelaySeconds` (over 60 s) and no startup probe guesses the start-up time: when the application starts faster the pod still waits before it is checked, when it starts slower (a cold cache, a slow dependency, a larger data set) it is killed in a restart loop, and a container that hangs right after start goes unnoticed for the whole delay after every restart. A startup probe holds the liveness probe back exactly until the application has started.',
  layer: 'container',
  dimensions: ['Applications', 'Monitoring & Health Checks'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: {},
  remediation: 'Add a `startupProbe` on the same endpoint with `failureThreshold × periodSeconds` covering the slowest start, and drop the liveness probe\'s `initialDelaySeconds`.',
  messages: { delay: 'Liveness probe of container "{{name}}" waits {{delay}} s before its first check and no startup probe guards the start.' },
  cel: { expression: celAllContainers('!has(c.livenessProbe) || has(c.startupProbe) || !has(c.livenessProbe.initialDelaySeconds) || c.livenessProbe.initialDelaySeconds <= 60', ['containers', 'initContainers']), message: 'Slow-starting containers must use a startup probe instead of a liveness delay over 60 s.' },
  targets: 'container',
  check({ container, containerKind }, ctx) {
    if (containerKind === 'ephemeralContainer' || container.startupProbe !== undefined) return;
    const delay = asRecord(container.livenessProbe)?.['initialDelaySeconds'];
    if (typeof delay !== 'number' || delay <= LONG) return;
    ctx.report('delay', { name: container.name, delay }, '/livenessProbe/initialDelaySeconds');
  },
});
