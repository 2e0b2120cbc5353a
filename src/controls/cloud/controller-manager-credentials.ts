import { cisControl } from '../../nodes/cis-control.js';

export default cisControl({
  id: "KOR-0509",
  name: "controller-manager-credentials",
  title: "Controller-manager credentials and certificate settings",
  description:
    "Without `--use-service-account-credentials` every controller acts with the controller-manager's own broad identity instead of a least-privileged service account each; `--service-account-private-key-file` and `--root-ca-file` sign and verify service-account tokens; RotateKubeletServerCertificate lets kubelets renew serving certificates; `--terminated-pod-gc-threshold` bounds finished pods kept.",
  guard: "authentication",
  severity: "medium",
  effort: "low",
  items: ["1.3.1", "1.3.3", "1.3.4", "1.3.5", "1.3.6"],
  on: "kube-controller-manager",
  nsa: ["authentication-authorization"],
  remediation: "Set `--use-service-account-credentials=true`, `--service-account-private-key-file`, `--root-ca-file`, a `--terminated-pod-gc-threshold`, and do not turn off RotateKubeletServerCertificate.",
});
