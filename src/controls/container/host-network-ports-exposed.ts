import { defineControl } from '../../engine/types.js';
import { asArray, podContainers } from '../support/pod.js';

export default defineControl({
  id: 'KOR-0125',
  supersedes: { field: ['KOR-0006'] },
  name: 'host-network-ports-exposed',
  title: 'Host-network pod listens on node ports',
  description:
    'A pod with `hostNetwork: true` shares the node\'s network stack: each declared container port (its hostPort defaults to the containerPort) is opened on every address of the node, outside Service load balancing and outside NetworkPolicy, which does not apply to host-network pods. Anyone who can reach the node reaches the process directly.',
  layer: 'container',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: { nsa: ['network-policies', 'pod-security-enforcement'], cis: ['5.2.5', '5.2.13'], mitre: ['T1133', 'T1190'] },
  remediation: 'Run the pod without `hostNetwork` and expose it through a Service; if it must use the host network, bind only to a specific hostIP and firewall the ports at the node.',
  messages: { port: 'Container "{{container}}" listens on node port {{port}}/{{protocol}} through the host network.' },
  targets: 'podSpec',
  check({ podSpec }, ctx) {
    if (podSpec.hostNetwork !== true) return;
    for (const c of podContainers(podSpec)) {
      asArray<NonNullable<typeof c.container.ports>[number]>(c.container.ports).forEach((p, i) => {
        const port = p?.hostPort ?? p?.containerPort;
        if (typeof port !== 'number') return;
        ctx.report('port', { container: c.container.name, port, protocol: p.protocol ?? 'TCP' }, `${c.pointer}/ports/${i}`);
      });
    }
  },
});
