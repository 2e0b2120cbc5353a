/**
 * Generated ValidatingAdmissionPolicies: one policy + binding per control that has a `cel` rule
 * (the control's own rule: one source for the scan, the webhook and the API server), and the
 * list of controls that cannot be expressed, each with the reason. docs/admission-policies.md.
 */
import type { Control } from '../engine/types.js';
import { IGNORE_ANNOTATION } from '../engine/exceptions.js';
import { POD_META, POD_SPEC, celStrings } from '../controls/support/cel.js';
import { resourceRules, WORKLOAD_KINDS, type ResourceRule } from './resources.js';
import { notExpressibleReason } from './expressibility.js';

export type PolicyAction = 'Deny' | 'Warn' | 'Audit';
export const POLICY_ACTIONS: readonly PolicyAction[] = ['Deny', 'Warn', 'Audit'];

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }>;
}

export interface PolicyOptions {
  action?: PolicyAction;
  /** Namespaces the bindings leave alone (e.g. the one kordon's webhook runs in). */
  excludeNamespaces?: readonly string[];
  /** Only objects with these labels are judged (the bindings' objectSelector). */
  objectSelector?: LabelSelector;
  /** Prefix of the policy and binding names (default `kordon-`). */
  namePrefix?: string;
}

export interface GeneratedPolicy {
  controlId: string;
  control: string;
  policy: Record<string, unknown>;
  binding: Record<string, unknown>;
}

export interface NotExpressed {
  controlId: string;
  control: string;
  reason: string;
}

export interface GeneratedPolicies {
  policies: GeneratedPolicy[];
  notExpressed: NotExpressed[];
}

/** The variables a pod-spec or container rule reads (src/controls/support/cel.ts). */
export const POD_VARIABLES: ReadonlyArray<{ name: string; expression: string }> = [
  {
    name: POD_SPEC.slice('variables.'.length),
    expression:
      "object.kind == 'Pod' ? object.spec : object.kind == 'PodTemplate' ? object.template.spec : object.kind == 'CronJob' ? object.spec.jobTemplate.spec.template.spec : object.spec.template.spec",
  },
  {
    name: POD_META.slice('variables.'.length),
    expression:
      "object.kind == 'Pod' ? object.metadata : object.kind == 'PodTemplate' ? (has(object.template.metadata) ? object.template.metadata : {}) : object.kind == 'CronJob' ? (has(object.spec.jobTemplate.spec.template.metadata) ? object.spec.jobTemplate.spec.template.metadata : {}) : (has(object.spec.template.metadata) ? object.spec.template.metadata : {})",
  },
];

/** The kinds a control's rule is written for. */
export function celKinds(control: Control): string[] {
  return control.targets === 'container' || control.targets === 'podSpec' ? [...WORKLOAD_KINDS] : [...control.kinds];
}

/** A matchCondition that leaves out objects whose `kordon.dev/ignore` annotation names the control (as scan does). */
export function ignoreCondition(control: Control): { name: string; expression: string } {
  const names = [control.id, control.name, ...(control.aliases ?? [])];
  const ann = `object.metadata.annotations['${IGNORE_ANNOTATION}']`;
  return {
    name: 'not-excepted-by-annotation',
    expression: `!has(object.metadata.annotations) || !('${IGNORE_ANNOTATION}' in object.metadata.annotations) || !(${ann}.split(',').exists(s, s.trim() in ${celStrings(names)}) || ${ann}.split(',').exists(s, s.trim() == '*'))`,
  };
}

export function policyName(control: Control, prefix = 'kordon-'): string {
  return `${prefix}${control.name}`;
}

/** The policy + binding for one control with a `cel` rule, or the reason it has none. */
export function policyFor(control: Control, opts: PolicyOptions = {}): GeneratedPolicy | NotExpressed {
  if (!control.cel) return { controlId: control.id, control: control.name, reason: notExpressibleReason(control) };
  const kinds = celKinds(control);
  const { rules, unknown } = resourceRules(kinds);
  // ephemeral containers arrive through the pods/ephemeralcontainers subresource (an UPDATE of the pod)
  const core = rules.find((r) => r.apiGroups[0] === '' && r.resources.includes('pods'));
  if (core && (control.targets === 'container' || control.targets === 'podSpec')) core.resources = [...core.resources, 'pods/ephemeralcontainers'].sort();
  if (unknown.length > 0 || rules.length === 0) {
    return { controlId: control.id, control: control.name, reason: `judges kinds kordon knows no API resource for (${unknown.join(', ')})` };
  }
  const name = policyName(control, opts.namePrefix);
  const podRule = control.targets === 'container' || control.targets === 'podSpec';
  const matchConstraints: { resourceRules: ResourceRule[] } = { resourceRules: rules };
  const labels = { 'app.kubernetes.io/managed-by': 'kordon' };
  const annotations = { 'kordon.dev/control': control.id, 'kordon.dev/severity': control.severity };
  const policy = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name, labels, annotations },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints,
      matchConditions: [ignoreCondition(control)],
      ...(podRule ? { variables: POD_VARIABLES.filter((v) => control.cel!.expression.includes(`variables.${v.name}`)).map((v) => ({ ...v })) } : {}),
      validations: [{ expression: control.cel.expression, message: `${control.id} ${control.name}: ${control.cel.message}`, reason: 'Invalid' }],
    },
  };
  const matchResources: Record<string, unknown> = {};
  if (opts.excludeNamespaces?.length) {
    matchResources['namespaceSelector'] = { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [...opts.excludeNamespaces].sort() }] };
  }
  if (opts.objectSelector) matchResources['objectSelector'] = opts.objectSelector;
  const binding = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name, labels, annotations },
    spec: {
      policyName: name,
      validationActions: [opts.action ?? 'Deny'],
      ...(Object.keys(matchResources).length ? { matchResources } : {}),
    },
  };
  return { controlId: control.id, control: control.name, policy, binding };
}

/** Policies for every control that can be expressed; the others with their reason. In catalogue order. */
export function generatePolicies(controls: readonly Control[], opts: PolicyOptions = {}): GeneratedPolicies {
  const out: GeneratedPolicies = { policies: [], notExpressed: [] };
  for (const c of controls) {
    const r = policyFor(c, opts);
    if ('policy' in r) out.policies.push(r);
    else out.notExpressed.push(r);
  }
  return out;
}
