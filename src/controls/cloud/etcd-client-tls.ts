import { cisControl } from '../../nodes/cis-control.js';

export default cisControl({
  id: "KOR-0510",
  name: "etcd-client-tls",
  title: "etcd accepts clients without TLS client certificates",
  description:
    "etcd holds the whole cluster state, Secrets included. Without `--cert-file`/`--key-file` it speaks plain HTTP; without `--client-cert-auth=true` anyone who reaches its client port (2379) reads and writes every object, bypassing authentication, RBAC and admission: that is control of the cluster. `--auto-tls` uses self-signed certificates nobody verifies.",
  guard: "authentication",
  severity: "critical",
  effort: "medium",
  items: ["2.1", "2.2", "2.3"],
  on: "etcd",
  nsa: ["network-separation"],
  mitre: ["T1552", "T1078"],
  remediation: "Serve etcd with `--cert-file`/`--key-file` from a CA of its own, set `--client-cert-auth=true` and `--trusted-ca-file`, do not use `--auto-tls`, and firewall port 2379 to the API servers.",
});
