import { cisControl } from '../../nodes/cis-control.js';

export default cisControl({
  id: "KOR-0501",
  name: "apiserver-authentication",
  title: "API server authentication settings weaken who it trusts",
  description:
    "Static token files (`--token-auth-file`) hold long-lived bearer tokens in clear text that cannot be revoked without a restart; `--service-account-lookup=false` keeps accepting the tokens of deleted service accounts; without `--service-account-key-file` and `--client-ca-file` service-account tokens and client certificates cannot be verified as the benchmark expects.",
  guard: "authentication",
  severity: "high",
  effort: "medium",
  items: ["1.2.2", "1.2.21", "1.2.22", "1.2.25"],
  on: "kube-apiserver",
  nsa: ["authentication-authorization"],
  mitre: ["T1078"],
  remediation: "Remove `--token-auth-file` (use OIDC or client certificates), keep `--service-account-lookup=true`, and set `--service-account-key-file` and `--client-ca-file`.",
});
