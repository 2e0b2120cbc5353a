import { cisControl } from '../../nodes/cis-control.js';

export default cisControl({
  id: "KOR-0504",
  name: "apiserver-audit-log",
  title: "API server audit logging is off or kept too briefly",
  description:
    "Without `--audit-log-path` and `--audit-policy-file` the API server records nothing of who did what; with short retention (`--audit-log-maxage` under 30 days, fewer than 10 backups of under 100 MB) the evidence of an intrusion is gone before it is noticed. Managed clusters send audit logs elsewhere: their static pods are not visible.",
  guard: "auditing",
  severity: "medium",
  effort: "low",
  items: ["1.2.16", "1.2.17", "1.2.18", "1.2.19", "3.2.1"],
  on: "kube-apiserver",
  nsa: ["audit-logging"],
  mitre: ["T1562.008"],
  remediation: "Set `--audit-policy-file` and `--audit-log-path` (or a webhook backend) with `--audit-log-maxage=30`, `--audit-log-maxbackup=10` and `--audit-log-maxsize=100` or more.",
});
