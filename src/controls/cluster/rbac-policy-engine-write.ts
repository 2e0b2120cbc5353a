import { riskyGrantControl } from '../../rbac/risk-control.js';
import type { Capability, Probe } from '../../rbac/risk.js';

/** Policies, constraint templates and exceptions of the common policy engines. */
const RESOURCES: Array<[string, string]> = [
  ['kyverno.io', 'clusterpolicies'],
  ['kyverno.io', 'policies'],
  ['kyverno.io', 'policyexceptions'],
  ['templates.gatekeeper.sh', 'constrainttemplates'],
  ['config.gatekeeper.sh', 'configs'],
  ['mutations.gatekeeper.sh', 'assign'],
  ['policies.kubewarden.io', 'clusteradmissionpolicies'],
  ['policies.kubewarden.io', 'admissionpolicies'],
];

const WRITE_POLICIES: Capability = {
  label: 'write access to policy-engine policies or exceptions (Kyverno, Gatekeeper, Kubewarden)',
  labelOf: (granted) => `write access to ${[...new Set(granted.map((p) => `${p.resource}.${p.apiGroup}`))].join(', ')}`,
  probes: ['create', 'update', 'patch', 'delete'].flatMap((verb) => RESOURCES.map(([apiGroup, resource]): Probe => ({ verb, apiGroup, resource }))),
};

export default riskyGrantControl({
  id: 'KOR-0243',
  name: 'rbac-policy-engine-write',
  title: 'Admission policies of a policy engine can be changed',
  description:
    'Kyverno, Gatekeeper and Kubewarden enforce their rules from custom resources. A subject that can write them can delete the policy that blocks privileged pods, switch it to audit, or (more quietly) create a Kyverno PolicyException or change Gatekeeper\'s excluded namespaces for its own workloads; the webhook keeps running and looks healthy. Changing the webhook configurations themselves is KOR-0215.',
  severity: 'high',
  effort: 'medium',
  frameworks: { cis: ['5.2.1'], nsa: ['pod-security-enforcement'], mitre: ['T1562.001'] },
  remediation: 'Let only the GitOps pipeline that owns the policies write them; grant read access to everyone else, and review PolicyExceptions like code.',
  capability: WRITE_POLICIES,
});
