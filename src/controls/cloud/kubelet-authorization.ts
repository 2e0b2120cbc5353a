import { cisControl } from '../../nodes/cis-control.js';

export default cisControl({
  id: "KOR-0513",
  name: "kubelet-authorization",
  title: "Kubelet authorizes every request or cannot verify clients",
  description:
    "`authorization.mode: AlwaysAllow` lets every authenticated (or anonymous) caller of the kubelet API exec into pods, read logs and list pods; without `clientCAFile` the kubelet cannot authenticate the API server's client certificate and callers fall back to token or anonymous authentication.",
  guard: "authorization",
  severity: "critical",
  effort: "low",
  items: ["4.2.2", "4.2.3"],
  on: "kubelet",
  nsa: ["authentication-authorization"],
  mitre: ["T1609"],
  remediation: "Set `authorization.mode: Webhook` and `authentication.x509.clientCAFile` to the cluster CA in the kubelet configuration.",
});
