import { cisControl } from '../../nodes/cis-control.js';

export default cisControl({
  id: "KOR-0502",
  name: "apiserver-authorization-mode",
  title: "API server authorization does not use Node and RBAC",
  description:
    "`--authorization-mode` decides who may do what. AlwaysAllow (the flag's default) lets every authenticated request (and anonymous ones, if allowed) do anything; without Node a kubelet's credentials read every Secret in the cluster instead of those of its own pods; without RBAC there are no roles.",
  guard: "authorization",
  severity: "critical",
  effort: "medium",
  items: ["1.2.6", "1.2.7", "1.2.8"],
  on: "kube-apiserver",
  nsa: ["authentication-authorization"],
  mitre: ["T1078"],
  remediation: "Set `--authorization-mode=Node,RBAC` (or an equivalent `--authorization-config`), never AlwaysAllow.",
});
