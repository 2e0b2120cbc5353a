import { cisControl } from '../../nodes/cis-control.js';

export default cisControl({
  id: "KOR-0505",
  name: "apiserver-tls",
  title: "API server connections to kubelets and etcd, or its own TLS, are not verified",
  description:
    "The API server talks to every kubelet (exec, logs, port-forward) and to etcd (all cluster state). Without client certificates towards them (`--kubelet-client-certificate`, `--etcd-certfile`) and without verifying their certificates (`--kubelet-certificate-authority`, `--etcd-cafile`), those connections can be impersonated or intercepted; weak cipher suites weaken its own TLS.",
  guard: "authentication",
  severity: "high",
  effort: "medium",
  items: ["1.2.4", "1.2.5", "1.2.23", "1.2.24", "1.2.26", "1.2.29"],
  on: "kube-apiserver",
  nsa: ["network-separation"],
  mitre: ["T1557"],
  remediation: "Set `--kubelet-client-certificate`/`--kubelet-client-key`, `--kubelet-certificate-authority`, `--etcd-certfile`/`--etcd-keyfile`, `--etcd-cafile`, `--tls-cert-file`/`--tls-private-key-file`, and limit `--tls-cipher-suites` to strong suites.",
});
