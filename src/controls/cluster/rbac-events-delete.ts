import { riskyGrantControl } from '../../rbac/risk-control.js';
import type { Capability } from '../../rbac/risk.js';

/** Events live in the core group and in events.k8s.io: both APIs serve the same objects. */
const DELETE_EVENTS: Capability = {
  label: 'the right to delete events (delete or deletecollection)',
  probes: ['delete', 'deletecollection'].flatMap((verb) => [
    { verb, apiGroup: '', resource: 'events' },
    { verb, apiGroup: 'events.k8s.io', resource: 'events' },
  ]),
};

export default riskyGrantControl({
  id: 'KOR-0226',
  name: 'rbac-events-delete',
  title: 'Events can be deleted',
  description:
    'Events are where the cluster records what happened to its objects: failed scheduling, image pulls, probe failures, evictions, a pod started from a new image. A subject that can delete them can erase the trace of what it did (a pod exec\'d into, a workload replaced) before anyone reads it. Controllers create events, and only the event TTL (one hour by default) should remove them. Reported for grants in every namespace (ClusterRoleBindings) and in kube-system, where the cluster\'s own components record what happens to them.',
  severity: 'medium',
  effort: 'low',
  frameworks: { nsa: ['threat-detection-alerting'], mitre: ['T1070'] },
  remediation: 'Remove delete and deletecollection on events (core and events.k8s.io) from roles held by people and workloads; events expire on their own.',
  capability: DELETE_EVENTS,
  // cluster-wide, or in kube-system: a team deleting its own namespace's events is routine cleanup
  filter: { namespaces: ['kube-system'] },
});
