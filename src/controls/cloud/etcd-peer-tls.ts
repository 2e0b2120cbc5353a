import { cisControl } from '../../nodes/cis-control.js';

export default cisControl({
  id: "KOR-0511",
  name: "etcd-peer-tls",
  title: "etcd peer connections are not authenticated",
  description:
    "Members of an etcd cluster replicate every write to each other on the peer port (2380). Without peer certificates and `--peer-client-cert-auth` a host that reaches the port can join or read the replication stream; `--peer-auto-tls` uses unverifiable self-signed certificates; etcd should trust a CA of its own, not the one of the API server's clients.",
  guard: "authentication",
  severity: "high",
  effort: "medium",
  items: ["2.4", "2.5", "2.6", "2.7"],
  on: "etcd",
  nsa: ["network-separation"],
  mitre: ["T1557"],
  remediation: "Set `--peer-cert-file`/`--peer-key-file`, `--peer-client-cert-auth=true`, no `--peer-auto-tls`, and a `--trusted-ca-file` dedicated to etcd.",
});
