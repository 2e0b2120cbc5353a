/**
 * Detections only context can make: sequences of events, anomalies against the log's own history,
 * admission outcomes, and unused grants (`kordon audit usage`). Their logic is in analyze.ts and
 * usage.ts; this is their catalogue entry (ids KOR-0950..KOR-0999).
 */
import type { DetectionDef } from './detections.js';

export const CONTEXT_DETECTIONS: DetectionDef[] = [
  {
    id: 'KOR-0950', name: 'audit-binding-then-use', title: 'New binding used', severity: 'high', kind: 'sequence',
    mitre: ['T1098', 'T1078'], falco: [],
    description: 'A RoleBinding or ClusterRoleBinding created in this log is then used: the API server\'s authorization annotation names it as the grant that allowed a later request (within the sequence window, default 1 h).',
  },
  {
    id: 'KOR-0951', name: 'audit-exec-then-secret-read', title: 'Exec into a pod, then secret reads by its service account', severity: 'high', kind: 'sequence',
    mitre: ['T1609', 'T1528', 'T1552.007'], falco: [],
    description: 'After an exec or attach into a pod, the pod\'s service account reads secrets (within the window): the token was likely taken from the pod. The pod\'s service account comes from the pod\'s creation in the log or from the inventory; a token bound to that very pod (user.extra pod-name) is said so.',
  },
  {
    id: 'KOR-0952', name: 'audit-denied-burst-then-allowed', title: 'Denied requests, then an allowed one', severity: 'medium', kind: 'sequence',
    mitre: ['T1069', 'T1078'], falco: [],
    description: 'An identity was refused at least 5 times within 5 minutes, then a request was allowed that it had been refused before, or that reads secrets, execs, binds or writes: probing that found a way.',
  },
  {
    id: 'KOR-0960', name: 'audit-first-use', title: 'Service account uses a verb and resource for the first time', severity: 'low', kind: 'anomaly',
    mitre: ['T1078.004'], falco: [],
    description: 'A service account with a history in this log (more than 20 requests over at least an hour) makes a request with a verb and resource it never used before. Medium for secrets, exec, bindings and pod writes.',
  },
  {
    id: 'KOR-0970', name: 'audit-admission-denied', title: 'Request refused by admission', severity: 'low', kind: 'admission',
    mitre: ['T1610'], falco: [],
    description: 'A request was refused by PodSecurity, an admission webhook or a ValidatingAdmissionPolicy; the object that would have been created is named with what made it dangerous (privileged containers, host namespaces). Medium when it would have been privileged or shared a host namespace.',
  },
  {
    id: 'KOR-0980', name: 'audit-unused-grant', title: 'Permission granted but never used', severity: 'low', kind: 'usage',
    mitre: ['T1078'], falco: [],
    description: '`kordon audit usage --inventory`: a binding grants an identity that made requests in the log a permission it never used in the window; ranked by the attack paths the identity opens (high when it reaches a crown jewel).',
  },
];
