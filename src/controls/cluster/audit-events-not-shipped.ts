import { defineControl } from '../../engine/types.js';
import type { InventoryObject } from '../../inventory/types.js';
import type { Inventory } from '../../inventory/inventory.js';
import { podSpecOf } from '../../inventory/podspec.js';
import { componentContainer } from '../../nodes/api-facts.js';
import { parseFlags } from '../../nodes/flags.js';
import { isLive } from '../support/workloads.js';
import { isLogAgent } from './logs-not-collected.js';
import { daemonSetContainers } from '../support/node-agents.js';

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A DaemonSet's pods run on control-plane nodes: they tolerate the control-plane taint (or every taint). */
function toleratesControlPlane(spec: Record<string, unknown>): boolean {
  const tolerations = Array.isArray(spec['tolerations']) ? (spec['tolerations'] as unknown[]) : [];
  return tolerations.some((t) => isObj(t) && ((t['operator'] === 'Exists' && (t['key'] === undefined || t['key'] === '')) || t['key'] === 'node-role.kubernetes.io/control-plane' || t['key'] === 'node-role.kubernetes.io/master'));
}

/** The host directories a log agent DaemonSet able to run on control-plane nodes mounts. */
function agentHostPaths(inv: Inventory): { any: boolean; paths: string[] } {
  let any = false;
  const paths: string[] = [];
  for (const d of inv.byKind('DaemonSet')) {
    const ps = podSpecOf(d.object);
    if (!ps) continue;
    if (!daemonSetContainers(d).some(isLogAgent)) continue;
    any = true;
    const spec = ps.spec as unknown as Record<string, unknown>;
    if (!toleratesControlPlane(spec)) continue;
    for (const v of Array.isArray(spec['volumes']) ? (spec['volumes'] as unknown[]) : []) {
      const hp = isObj(v) && isObj(v['hostPath']) ? v['hostPath']['path'] : undefined;
      if (typeof hp === 'string' && hp.startsWith('/')) paths.push(hp.replace(/\/+$/, '') || '/');
    }
  }
  return { any, paths };
}

const under = (file: string, dir: string): boolean => dir === '/' || file === dir || file.startsWith(dir + '/');

export default defineControl({
  id: 'KOR-0840',
  name: 'audit-events-not-shipped',
  title: 'API server audit events stay on the control-plane node',
  description:
    'The NSA-CISA guide (audit logging: SIEM platforms, fault tolerance) asks that audit events reach a store outside the cluster where they are analysed and kept when a node fails. The API server sends them out itself with a webhook backend (`--audit-webhook-config-file`); a log backend writes a file (or standard output, `--audit-log-path=-`) that only a log agent running on the control-plane nodes can ship. Judged on the visible kube-apiserver static pods that write an audit log, when the DaemonSets of the cluster are in the inputs (a live read or a snapshot): shipped when a webhook backend is set, when the log goes to standard output and a log agent runs, or when a log agent DaemonSet that tolerates the control-plane taint mounts the host directory holding the file. Managed control planes show no static pod and are not judged (their provider ships the audit log).',
  layer: 'cluster',
  guard: 'auditing',
  dimensions: ['Security', 'Monitoring & Health Checks'],
  phases: ['runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: { nsa: ['siem-platforms', 'fault-tolerance'], mitre: ['T1562.008'] },
  remediation: 'Send audit events out with `--audit-webhook-config-file` (keeping the local `--audit-log-path` as the copy used when the webhook fails), or run the log agent on the control-plane nodes (tolerating their taint) with the audit log directory mounted and shipped to the SIEM.',
  messages: {
    file: 'The API server writes its audit log to a file on its node (--audit-log-path) and nothing ships it: no webhook backend, and no log agent on the control-plane nodes mounts the directory holding it.',
    stdout: 'The API server writes its audit log to standard output (--audit-log-path=-) and no log agent runs to ship the container logs: the events stay on the node.',
  },
  targets: 'inventory',
  kinds: ['Pod', 'DaemonSet'],
  check(inv, ctx) {
    const daemonSets = inv.byKind('DaemonSet');
    if (!daemonSets.some((d) => inv.namespaceOf(d.object) === 'kube-system' && isLive(d))) return;
    let agents: { any: boolean; paths: string[] } | undefined;
    const pods: InventoryObject[] = inv.byKind('Pod').filter((p) => inv.namespaceOf(p.object) === 'kube-system');
    for (const pod of pods) {
      const cc = componentContainer(pod.object);
      if (!cc || cc.component !== 'kube-apiserver') continue;
      const flags = parseFlags(cc.words);
      if (flags.values.get('audit-webhook-config-file')) continue;
      const path = flags.values.get('audit-log-path');
      if (!path) continue; // no audit log at all: KOR-0504
      agents ??= agentHostPaths(inv);
      const at = flags.index.get('audit-log-path');
      const pointer = at !== undefined && cc.pointers[at] ? cc.pointers[at]! : `/spec/containers/${cc.container}`;
      if (path === '-') {
        if (!agents.any) ctx.report('stdout', {}, pointer, { object: pod });
        continue;
      }
      if (!agents.paths.some((dir) => under(path, dir))) ctx.report('file', {}, pointer, { object: pod });
    }
  },
});
