import { cisControl } from '../../nodes/cis-control.js';

export default cisControl({
  id: "KOR-0514",
  name: "kubelet-read-only-port",
  title: "Kubelet read-only port is open",
  description:
    "The read-only port (10255, HTTP without any authentication) lists every pod of the node with its spec (images, environment, volumes) and serves metrics: reconnaissance for anyone on the node network.",
  guard: "authentication",
  severity: "high",
  effort: "low",
  items: ["4.2.4"],
  on: "kubelet",
  nsa: ["network-separation"],
  mitre: ["T1613"],
  remediation: "Set `readOnlyPort: 0` in the kubelet configuration (or `--read-only-port=0`).",
});
