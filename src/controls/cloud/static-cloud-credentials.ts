import { defineControl } from '../../engine/types.js';
import { CONTAINER_KIND_LABEL, asArray } from '../support/pod.js';

/** Variables the cloud SDKs read long-lived keys from, and the identity they stand for. */
const KEY_VARIABLES: Record<string, string> = {
  AWS_SECRET_ACCESS_KEY: 'an AWS access key',
  AWS_ACCESS_KEY_ID: 'an AWS access key',
  AZURE_CLIENT_SECRET: 'an Azure service principal secret',
  AZURE_CLIENT_CERTIFICATE_PATH: 'an Azure service principal certificate',
  GOOGLE_APPLICATION_CREDENTIALS: 'a Google service account key file',
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'an Alibaba Cloud access key',
  ALICLOUD_SECRET_KEY: 'an Alibaba Cloud access key',
  TENCENTCLOUD_SECRET_KEY: 'a Tencent Cloud access key',
  OCI_CLI_KEY_FILE: 'an OCI API signing key',
};

export default defineControl({
  id: 'KOR-0023',
  name: 'static-cloud-credentials',
  title: 'Workload authenticates to the cloud with a long-lived key',
  description:
    'A container that gets an AWS access key, an Azure client secret or a Google service account key file (from a Secret, or a file mounted from one) holds a cloud credential that never expires, works from anywhere on the internet, and is copied into every place the Secret goes (etcd, backups, GitOps repositories). Workload identity (EKS Pod Identity or IRSA, GKE and Azure Workload Identity) gives the pod short-lived tokens bound to its service account instead. Literal keys in the manifest are reported as hard-coded credentials (KOR-0128); this control reports the ones referenced from Secrets and files.',
  layer: 'cloud',
  dimensions: ['Security'],
  guard: 'authentication',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: { nsa: ['protecting-sensitive-cloud-infrastructure'], mitre: ['T1552.001', 'T1078.004'] },
  remediation: 'Move the workload to the provider\'s workload identity (annotate its ServiceAccount with the role or identity), grant that identity the same permissions, then delete the key in the cloud and the Secret in the cluster.',
  messages: { key: '{{kind}} "{{name}}" reads {{what}} from {{source}} (variable {{variable}}).' },
  targets: 'container',
  check({ container, containerKind }, ctx) {
    const seen = new Set<string>();
    asArray<{ name?: unknown; value?: unknown; valueFrom?: { secretKeyRef?: { name?: unknown } } }>(container.env).forEach((e, i) => {
      if (!e || typeof e !== 'object' || typeof e.name !== 'string') return;
      const what = KEY_VARIABLES[e.name];
      if (!what || seen.has(what)) return;
      let source: string | undefined;
      if (e.valueFrom && typeof e.valueFrom === 'object' && e.valueFrom.secretKeyRef) source = `Secret "${typeof e.valueFrom.secretKeyRef.name === 'string' ? e.valueFrom.secretKeyRef.name : '?'}"`;
      else if (/_(?:FILE|PATH|CREDENTIALS)$/.test(e.name) && typeof e.value === 'string' && e.value.trim().startsWith('/')) source = 'a mounted file';
      if (!source) return;
      seen.add(what);
      ctx.report('key', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name, what, source, variable: e.name }, `/env/${i}`);
    });
  },
});
