import { cisControl } from '../../nodes/cis-control.js';

export default cisControl({
  id: "KOR-0506",
  name: "apiserver-encryption-at-rest",
  title: "Secrets are stored in etcd without encryption at rest",
  description:
    "Without `--encryption-provider-config` the API server writes Secrets to etcd in clear text: an etcd backup, a snapshot of its disk or a read of etcd (see KOR-0510) hands out every credential of the cluster. With a configuration whose first provider is `identity`, new Secrets are still written unencrypted.",
  guard: "authorization",
  severity: "high",
  effort: "medium",
  items: ["1.2.27", "1.2.28"],
  on: "kube-apiserver",
  nsa: ["secrets"],
  mitre: ["T1552"],
  remediation: "Configure an EncryptionConfiguration whose first provider for secrets is kms (v2), aescbc, aesgcm or secretbox, set `--encryption-provider-config`, and rewrite existing Secrets.",
});
