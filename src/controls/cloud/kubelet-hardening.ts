import { cisControl } from '../../nodes/cis-control.js';

export default cisControl({
  id: "KOR-0515",
  name: "kubelet-hardening",
  title: "Kubelet hardening settings of the benchmark",
  description:
    "The benchmark's remaining kubelet settings: streaming connections that never time out, iptables chains left to others, event recording, a serving certificate nobody can verify, certificates that are not rotated, weak TLS cipher suites and no limit on the number of processes a pod may start.",
  guard: "authentication",
  severity: "medium",
  effort: "low",
  items: ["4.2.5", "4.2.6", "4.2.8", "4.2.9", "4.2.10", "4.2.11", "4.2.12", "4.2.13"],
  on: "kubelet",
  nsa: ["authentication-authorization"],
  remediation: "In the kubelet configuration set `rotateCertificates: true`, `serverTLSBootstrap: true` (or a `tlsCertFile`/`tlsPrivateKeyFile`), a non-zero `streamingConnectionIdleTimeout`, `makeIPTablesUtilChains: true`, strong `tlsCipherSuites` and a `podPidsLimit`.",
});
