import { cisControl } from '../../nodes/cis-control.js';

export default cisControl({
  id: "KOR-0512",
  name: "kubelet-anonymous-auth",
  title: "Kubelet accepts anonymous requests",
  description:
    "With anonymous authentication the kubelet API (port 10250) takes requests without credentials as `system:anonymous`. If its authorization is AlwaysAllow (KOR-0513), anyone on the node network runs commands in every pod of the node (`/run`, `/exec`) and reads their logs; with Webhook authorization the risk is one RBAC binding away.",
  guard: "authentication",
  severity: "critical",
  effort: "low",
  items: ["4.2.1"],
  on: "kubelet",
  nsa: ["authentication-authorization"],
  mitre: ["T1133", "T1609"],
  remediation: "Set `authentication.anonymous.enabled: false` in the kubelet configuration (or `--anonymous-auth=false`) and restart the kubelet.",
});
