import { cisControl } from '../../nodes/cis-control.js';

export default cisControl({
  id: "KOR-0503",
  name: "apiserver-admission-plugins",
  title: "API server admission plugins the benchmark expects are off",
  description:
    "Admission plugins enforce rules no RBAC role can express: NodeRestriction keeps a kubelet from changing other nodes and pods, ServiceAccount and NamespaceLifecycle keep tokens and namespaces consistent, AlwaysAdmit disables admission control; EventRateLimit, AlwaysPullImages and DenyServiceExternalIPs are the benchmark's manual recommendations.",
  guard: "admission",
  severity: "high",
  effort: "medium",
  items: ["1.2.3", "1.2.9", "1.2.10", "1.2.11", "1.2.12", "1.2.13", "1.2.14"],
  on: "kube-apiserver",
  nsa: ["pod-security-enforcement"],
  remediation: "Enable NodeRestriction (and the benchmark's recommended plugins that fit the cluster) in `--enable-admission-plugins`, keep ServiceAccount and NamespaceLifecycle out of `--disable-admission-plugins`, and never enable AlwaysAdmit.",
});
