import { defineControl } from '../../engine/types.js';
import { SYSTEM_NAMESPACES } from '../support/namespaces.js';
import { celStrings } from '../support/cel.js';

const ENFORCE = 'pod-security.kubernetes.io/enforce';
const LEVELS = new Set(['privileged', 'baseline', 'restricted']);

export default defineControl({
  id: 'KOR-0140',
  name: 'namespace-pod-security-not-enforced',
  title: 'Namespace does not enforce a Pod Security Standard',
  description:
    'Pod Security Admission enforces the Pod Security Standards per namespace through the `pod-security.kubernetes.io/enforce` label. Without it (and without a cluster-wide default in the admission configuration), any user allowed to create pods there can run privileged pods, share host namespaces and mount the host. `enforce: privileged` switches the check off. Kubernetes\' own namespaces (kube-system, kube-public, kube-node-lease) run node and control-plane components that need privileges and are not reported, with or without the label. An unknown level is rejected by the API server on recent versions and means no enforcement on older ones. Only Namespace objects in the inputs are judged.',
  layer: 'cluster',
  dimensions: ['Security'],
  guard: 'admission',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'medium',
  fixable: true,
  frameworks: { nsa: ['pod-security-enforcement'], cis: ['5.2.1'], mitre: ['T1610', 'T1611'] },
  remediation: 'Label the namespace `pod-security.kubernetes.io/enforce: restricted` (or `baseline` where workloads need it), after checking with the `warn` and `audit` labels that its pods comply.',
  messages: {
    missing: 'Namespace "{{name}}" has no {{label}} label: pods are not checked against any Pod Security Standard.',
    privileged: 'Namespace "{{name}}" enforces the "privileged" level: Pod Security Admission allows everything there.',
    invalid: 'Namespace "{{name}}" sets {{label}} to the unknown level "{{level}}".',
  },
  targets: 'object',
  kinds: ['Namespace'],
  check(object, ctx) {
    const name = object.metadata.name ?? '';
    const labels = object.metadata.labels;
    const level = labels?.[ENFORCE];
    const pointer = '/metadata/labels/pod-security.kubernetes.io~1enforce';
    if (level === undefined) {
      // Kubernetes' own namespaces run node and control-plane components that need privileges (and are exempt by design)
      if (SYSTEM_NAMESPACES.has(name)) return;
      const fix = labels && typeof labels === 'object'
        ? [{ op: 'add' as const, path: pointer, value: 'baseline' }]
        : [{ op: 'add' as const, path: '/metadata/labels', value: { [ENFORCE]: 'baseline' } }];
      ctx.report('missing', { name, label: ENFORCE }, labels ? '/metadata/labels' : '/metadata', { fix });
    } else if (!LEVELS.has(String(level))) {
      ctx.report('invalid', { name, label: ENFORCE, level: String(level) }, pointer);
    } else if (level === 'privileged' && !SYSTEM_NAMESPACES.has(name)) {
      ctx.report('privileged', { name }, pointer);
    }
  },
  cel: {
    expression: `has(object.metadata.labels) && '${ENFORCE}' in object.metadata.labels ? (object.metadata.labels['${ENFORCE}'] in ['baseline', 'restricted'] || (object.metadata.labels['${ENFORCE}'] == 'privileged' && object.metadata.name in ${celStrings([...SYSTEM_NAMESPACES])})) : object.metadata.name in ${celStrings([...SYSTEM_NAMESPACES])}`,
    message: 'Namespaces must enforce the baseline or restricted Pod Security Standard.',
  },
});
