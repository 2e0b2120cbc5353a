import { riskyGrantControl } from '../../rbac/risk-control.js';
import type { Capability } from '../../rbac/risk.js';

const WRITE_RUNTIME_CLASSES: Capability = {
  label: 'write access to RuntimeClasses',
  probes: ['create', 'update', 'patch', 'delete'].map((verb) => ({ verb, apiGroup: 'node.k8s.io', resource: 'runtimeclasses' })),
};

export default riskyGrantControl({
  id: 'KOR-0240',
  name: 'rbac-runtime-class-write',
  title: 'RuntimeClasses can be created or changed',
  description:
    'A RuntimeClass names the container runtime handler pods run with: a sandbox such as gVisor or Kata for untrusted workloads, runc for the rest. Its handler cannot be changed in place, but a subject that can delete and recreate a RuntimeClass can point the sandbox class at runc, and every untrusted pod created afterwards runs on the host kernel without anyone changing a pod. RuntimeClasses are cluster-scoped: only ClusterRoleBindings give this.',
  severity: 'medium',
  effort: 'low',
  frameworks: { nsa: ['hardening-container-environments'], mitre: ['T1562.001', 'T1611'] },
  remediation: 'Keep RuntimeClass changes to cluster administrators and the installer of the runtime.',
  capability: WRITE_RUNTIME_CLASSES,
});
