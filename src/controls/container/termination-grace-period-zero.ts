import { defineControl } from '../../engine/types.js';
import { runsToCompletion } from '../support/pod.js';

export default defineControl({
  id: 'KOR-0713',
  name: 'termination-grace-period-zero',
  title: 'Pods are killed without a grace period',
  description:
    '`terminationGracePeriodSeconds: 0` (or 1) makes every stop a SIGKILL: on each rollout, drain and scale-down the containers get no time to finish in-flight requests, flush buffers or release leases, so clients see errors and data in memory is lost. Judged for long-running workloads (not Jobs, CronJobs or pods that run to completion).',
  layer: 'container',
  dimensions: ['Applications', 'Disaster Recovery'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  fixable: true,
  frameworks: {},
  remediation: 'Remove `terminationGracePeriodSeconds` (default 30 s) or set it to the time the application needs to shut down cleanly.',
  messages: { zero: 'Pod spec sets terminationGracePeriodSeconds: {{seconds}}: containers are killed without a chance to shut down.' },
  targets: 'podSpec',
  check({ podSpec, object }, ctx) {
    const g = podSpec['terminationGracePeriodSeconds'];
    if (typeof g !== 'number' || g > 1 || runsToCompletion(object, podSpec)) return;
    ctx.report('zero', { seconds: g }, '/terminationGracePeriodSeconds', { fix: [{ op: 'remove', path: '/terminationGracePeriodSeconds' }] });
  },
});
