import { defineControl } from '../../engine/types.js';
import { asRecord } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0790',
  name: 'probe-success-threshold-invalid',
  title: 'Liveness or startup probe with a successThreshold the API server rejects',
  description:
    'A liveness or startup probe is judged on one success: the API server refuses a pod (and so every workload template) whose liveness or startup probe sets `successThreshold` to anything but 1. Usually it was copied from a readiness probe, where higher values are allowed. The manifest fails to apply in the pipeline. Checked against a real kube-apiserver in the test suite.',
  layer: 'code',
  dimensions: ['CI/CD', 'Monitoring & Health Checks'],
  phases: ['develop', 'deploy'],
  severity: 'medium',
  effort: 'low',
  fixable: true,
  frameworks: {},
  remediation: 'Remove `successThreshold` from liveness and startup probes (it must be 1); tune `failureThreshold` and `periodSeconds` instead.',
  messages: { invalid: '{{probe}} of container "{{name}}" sets successThreshold {{value}}: the API server rejects it (must be 1).' },
  targets: 'container',
  check({ container }, ctx) {
    for (const probe of ['livenessProbe', 'startupProbe'] as const) {
      const v = asRecord(container[probe])?.['successThreshold'];
      if (v === undefined || v === 1) continue;
      ctx.report('invalid', { probe, name: container.name, value: String(v) }, `/${probe}/successThreshold`, { fix: [{ op: 'remove', path: `/${probe}/successThreshold` }] });
    }
  },
});
