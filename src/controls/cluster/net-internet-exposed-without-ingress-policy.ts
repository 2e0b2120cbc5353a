import { defineControl } from '../../engine/types.js';
import { networkAnalysis } from '../../network/analysis.js';

/** Workloads reachable from the internet whose ingress no NetworkPolicy restricts. */
export default defineControl({
  id: 'KOR-0302',
  name: 'net-internet-exposed-without-ingress-policy',
  title: 'Internet-exposed workload without an ingress NetworkPolicy',
  description:
    'A workload behind a public LoadBalancer, an Ingress or a Gateway is the first thing an attacker reaches. When no NetworkPolicy (or AdminNetworkPolicy) isolates its ingress, every pod of the cluster can reach it on every port too, including ports the Service never meant to publish (debug, metrics, admin).',
  layer: 'cluster',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'high',
  effort: 'low',
  frameworks: { nsa: ['network-policies'], cis: ['5.3.2'], mitre: ['T1190', 'T1021'] },
  remediation: 'Add a NetworkPolicy selecting the workload with policyType Ingress that allows only the published ports from the ingress controller or load balancer ranges.',
  messages: {
    exposed: '{{workload}} is reachable from the internet via {{via}}, but no NetworkPolicy restricts its ingress.',
  },
  targets: 'inventory',
  kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Pod', 'Job', 'CronJob'],
  check(inventory, ctx) {
    const net = networkAnalysis(inventory);
    for (const e of net.exposure) {
      if (e.level !== 'internet') continue;
      const d = net.engine.decide(e.workload, 'ingress', net.engine.peers[e.workload.index]!);
      if (d.isolatedBy.length > 0 || d.adminPolicies.length > 0) continue;
      // each route by the objects it crosses; one that is a single object says how it is exposed
      const routes = e.paths
        .filter((p) => p.level === 'internet')
        .map((p) => p.chain.map((c) => `${c.kind} ${c.namespace ? `${c.namespace}/` : ''}${c.name}${p.chain.length === 1 && c.detail ? ` (${c.detail})` : ''}`).join(' -> '));
      // "A", "A and B", "A, B and C"
      const via = routes.length <= 1 ? (routes[0] ?? '') : `${routes.slice(0, -1).join(', ')} and ${routes[routes.length - 1]}`;
      ctx.report('exposed', { workload: e.workload.display, via }, e.workload.podSpecPointer.replace(/\/spec$/, '/metadata'), { object: e.workload.item });
    }
  },
});
