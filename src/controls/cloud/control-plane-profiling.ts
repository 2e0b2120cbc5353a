import { defineControl } from '../../engine/types.js';
import { cisControl } from '../../nodes/cis-control.js';

/** One control over several components: each pod is judged by the part for its component. */
const spec = { id: "KOR-0507", name: "control-plane-profiling", title: "Control-plane profiling endpoints are on", description: "`--profiling` (on by default) serves Go pprof data at /debug/pprof on the API server, controller-manager and scheduler: details of the program's memory and goroutines to anyone authorised, and a way to load the process.", guard: "authorization" as const, severity: "low" as const, effort: "low" as const, remediation: "Set `--profiling=false` on kube-apiserver, kube-controller-manager and kube-scheduler.", nsa: ["authentication-authorization"] };
const parts = [cisControl({ ...spec, items: ["1.2.15"], on: "kube-apiserver" }), cisControl({ ...spec, items: ["1.3.2"], on: "kube-controller-manager" }), cisControl({ ...spec, items: ["1.4.1"], on: "kube-scheduler" })];
const whole = cisControl({ ...spec, items: ["1.2.15", "1.3.2", "1.4.1"], on: 'kube-apiserver' });

export default defineControl({
  ...whole,
  check(obj, ctx) {
    for (const p of parts) p.check(obj, ctx);
  },
});
