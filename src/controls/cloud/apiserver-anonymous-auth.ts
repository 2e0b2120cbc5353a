import { cisControl } from '../../nodes/cis-control.js';

export default cisControl({
  id: "KOR-0500",
  name: "apiserver-anonymous-auth",
  title: "API server accepts anonymous requests",
  description:
    "Without `--anonymous-auth=false` the API server treats requests without credentials as `system:anonymous` in the group `system:unauthenticated`. Only RBAC then stands between the internet and the cluster: one binding to that user or group (or an aggregated API that trusts it) opens the API. kubeadm leaves it on for health probes; `/healthz`, `/livez` and `/readyz` can be allowed by RBAC alone.",
  guard: "authentication",
  severity: "medium",
  effort: "medium",
  items: ["1.2.1"],
  on: "kube-apiserver",
  nsa: ["authentication-authorization"],
  mitre: ["T1133"],
  remediation: "Set `--anonymous-auth=false` on the API server, or (1.32+) use an AuthenticationConfiguration that allows anonymous access only on the health endpoints.",
});
