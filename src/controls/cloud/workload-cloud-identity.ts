import { defineControl } from '../../engine/types.js';

/** Service-account annotations that federate a Kubernetes identity with a cloud IAM identity. */
export const CLOUD_IDENTITY_ANNOTATIONS: Readonly<Record<string, string>> = {
  'eks.amazonaws.com/role-arn': 'AWS IAM role (IRSA)',
  'iam.gke.io/gcp-service-account': 'identity of a Google Cloud service account (GKE Workload Identity)',
  'azure.workload.identity/client-id': 'identity of an Azure managed identity (Azure Workload Identity)',
};

export default defineControl({
  id: 'KOR-0152',
  name: 'workload-cloud-identity',
  title: 'Workload runs with a cloud IAM identity',
  description:
    'A pod whose service account is annotated for workload identity federation gets cloud credentials for that identity (an AWS role, a Google service account, an Azure managed identity) through its projected token. Whoever controls the pod (a code execution bug, `pods/exec`, the right to create pods as that service account) controls the cloud identity: the blast radius leaves the cluster.',
  layer: 'cloud',
  dimensions: ['Security'],
  guard: 'authorization',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: { nsa: ['service-account-tokens'], mitre: ['T1078.004', 'T1528'] },
  remediation: 'Keep the cloud role least-privileged and scoped to this workload, limit who can exec into or create pods with this service account, and do not share the service account between workloads.',
  messages: { identity: 'Pod runs as service account "{{sa}}", which holds an {{what}} (annotation {{annotation}}).' },
  targets: 'podSpec',
  check({ podSpec, object }, ctx) {
    const sa = podSpec.serviceAccountName || podSpec.serviceAccount || 'default';
    const ns = ctx.item ? ctx.inventory.namespaceOf(object) : undefined;
    const account = ctx.inventory.get('ServiceAccount', ns, sa);
    const ann = account?.object.metadata.annotations ?? {};
    for (const [key, what] of Object.entries(CLOUD_IDENTITY_ANNOTATIONS)) {
      const identity = ann[key];
      if (typeof identity === 'string' && identity !== '') {
        ctx.report('identity', { sa, what, annotation: key }, podSpec.serviceAccountName ? '/serviceAccountName' : '');
      }
    }
  },
});
