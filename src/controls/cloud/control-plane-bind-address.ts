import { defineControl } from '../../engine/types.js';
import { cisControl } from '../../nodes/cis-control.js';

/** One control over several components: each pod is judged by the part for its component. */
const spec = { id: "KOR-0508", name: "control-plane-bind-address", title: "Controller-manager or scheduler listens on every interface", description: "The controller-manager and scheduler serve health, metrics and (with profiling) debug endpoints on their secure port. Without `--bind-address=127.0.0.1` the port listens on every interface of the control-plane node, reachable from the node network.", severity: "medium" as const, effort: "low" as const, remediation: "Set `--bind-address=127.0.0.1` on kube-controller-manager and kube-scheduler.", nsa: ["network-separation"], mitre: ["T1133"] };
const parts = [cisControl({ ...spec, items: ["1.3.7"], on: "kube-controller-manager" }), cisControl({ ...spec, items: ["1.4.2"], on: "kube-scheduler" })];
const whole = cisControl({ ...spec, items: ["1.3.7", "1.4.2"], on: 'kube-apiserver' });

export default defineControl({
  ...whole,
  check(obj, ctx) {
    for (const p of parts) p.check(obj, ctx);
  },
});
