import { defineControl } from '../../engine/types.js';
import { joinPointer } from '../../inventory/pointer.js';
import { rbacIndexOf } from '../../rbac/model.js';
import { whoCan } from '../../rbac/who-can.js';
import { CLOUD_IDENTITY_ANNOTATIONS } from '../../rbac/escalation.js';

/**
 * Service accounts federated to a cloud identity (EKS IRSA, GKE Workload Identity, Azure
 * Workload Identity): whoever can run a pod as the account gets the cloud role too.
 */
export default defineControl({
  id: 'KOR-0224',
  name: 'rbac-cloud-identity-service-account',
  title: 'Service account mapped to a cloud identity',
  description:
    'A service account annotated with a cloud identity (eks.amazonaws.com/role-arn, iam.gke.io/gcp-service-account, azure.workload.identity/client-id) exchanges its token for cloud credentials. Everyone who can create pods in its namespace, or mint its tokens, can act in the cloud account: the blast radius leaves the cluster.',
  layer: 'cluster',
  dimensions: ['Security'],
  guard: 'authorization',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: { mitre: ['T1078.004'] },
  remediation: 'Give the cloud identity least privilege, keep the service account in a namespace where few can create pods, and check the trust policy pins this exact namespace and account.',
  messages: { cloud: 'ServiceAccount "{{namespace}}/{{name}}" is mapped to a cloud identity ({{annotation}}); {{creators}} subject(s) can create pods in its namespace and act as it.' },
  targets: 'inventory',
  kinds: ['ServiceAccount'],
  check(inv, ctx) {
    const index = rbacIndexOf(inv);
    for (const item of inv.byKind('ServiceAccount')) {
      const annotations = item.object.metadata.annotations ?? {};
      const namespace = inv.namespaceOf(item.object) ?? 'default';
      for (const annotation of CLOUD_IDENTITY_ANNOTATIONS) {
        if (!annotations[annotation]) continue;
        const creators = whoCan(index, { verb: 'create', apiGroup: '', resource: 'pods', namespace }).subjects.filter((s) => !(s.kind === 'Group' && s.name === 'system:masters')).length;
        ctx.report('cloud', { namespace, name: item.object.metadata.name ?? '', annotation, creators }, joinPointer('/metadata/annotations', annotation), { object: item });
      }
    }
  },
});
