import { cisControl } from '../../nodes/cis-control.js';

export default cisControl({
  id: "KOR-0516",
  name: "kube-proxy-metrics-bind-address",
  title: "kube-proxy metrics are served on every interface",
  description:
    "kube-proxy serves metrics (and with them the services and endpoints of the cluster) without authentication on `metricsBindAddress`. Bound to 0.0.0.0 they are readable from the node network and, on nodes with public addresses, from the internet.",
  severity: "medium",
  effort: "low",
  items: ["4.3.1"],
  on: "kube-proxy",
  nsa: ["network-separation"],
  mitre: ["T1613"],
  remediation: "Set `metricsBindAddress: 127.0.0.1:10249` in the kube-proxy configuration (ConfigMap kube-system/kube-proxy) or remove it to use the default.",
});
