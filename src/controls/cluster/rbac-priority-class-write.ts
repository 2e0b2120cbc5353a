import { riskyGrantControl } from '../../rbac/risk-control.js';
import type { Capability } from '../../rbac/risk.js';

const WRITE_PRIORITY_CLASSES: Capability = {
  label: 'write access to PriorityClasses',
  probes: ['create', 'update', 'patch', 'delete'].map((verb) => ({ verb, apiGroup: 'scheduling.k8s.io', resource: 'priorityclasses' })),
};

export default riskyGrantControl({
  id: 'KOR-0239',
  name: 'rbac-priority-class-write',
  title: 'PriorityClasses can be created or changed',
  description:
    'Pod priority decides who is evicted when a node is full: the scheduler preempts lower-priority pods to place a higher one. A subject that can create a PriorityClass with a high value (or `globalDefault`) can make its own pods evict the cluster\'s other workloads at will, and deleting a class leaves the pods that name it unschedulable. PriorityClasses are cluster-scoped: only ClusterRoleBindings give this.',
  severity: 'low',
  effort: 'low',
  frameworks: { mitre: ['T1499'] },
  remediation: 'Let cluster administrators define PriorityClasses; teams pick from them. Limit which namespaces may use high classes with a ResourceQuota scoped by priority class.',
  capability: WRITE_PRIORITY_CLASSES,
});
