import { defineControl } from '../../engine/types.js';

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  nonResourceURLs?: string[];
}

const BOOTSTRAP_LABEL = 'kubernetes.io/bootstrapping';

export default defineControl({
  id: 'KOR-0142',
  name: 'rbac-wildcard-rule',
  title: 'Role rule uses a wildcard',
  description:
    'A `*` in the verbs, resources or apiGroups of a Role or ClusterRole rule grants everything of that dimension, including verbs and resources added later by new API versions and CRDs (for example `escalate`, `impersonate`, or a CRD that stores credentials). CIS 5.1.3 asks to replace wildcards with explicit lists. Built-in roles (labelled kubernetes.io/bootstrapping: rbac-defaults) are not reported.',
  layer: 'cluster',
  dimensions: ['Security'],
  guard: 'authorization',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: { nsa: ['rbac'], cis: ['5.1.3'], mitre: ['T1078', 'T1098'] },
  remediation: 'Replace `*` with the explicit verbs, resources and apiGroups the role needs.',
  messages: { wildcard: '{{kind}} "{{name}}" rule {{index}} grants "*" in {{fields}}.' },
  targets: 'object',
  kinds: ['Role', 'ClusterRole'],
  check(object, ctx) {
    if (object.metadata.labels?.[BOOTSTRAP_LABEL] === 'rbac-defaults') return;
    const rules = object['rules'];
    if (!Array.isArray(rules)) return;
    (rules as PolicyRule[]).forEach((r, i) => {
      if (!r || typeof r !== 'object') return;
      const fields = (['verbs', 'resources', 'apiGroups'] as const).filter((f) => Array.isArray(r[f]) && r[f]!.includes('*'));
      if (fields.length === 0) return;
      ctx.report('wildcard', { kind: object.kind, name: object.metadata.name ?? '', index: i, fields: fields.join(', ') }, `/rules/${i}`);
    });
  },
  cel: {
    expression: "(has(object.metadata.labels) && 'kubernetes.io/bootstrapping' in object.metadata.labels && object.metadata.labels['kubernetes.io/bootstrapping'] == 'rbac-defaults') || !has(object.rules) || object.rules.all(r, (!has(r.verbs) || !('*' in r.verbs)) && (!has(r.resources) || !('*' in r.resources)) && (!has(r.apiGroups) || !('*' in r.apiGroups)))",
    message: 'Role rules must not use "*" in verbs, resources or apiGroups.',
  },
});
