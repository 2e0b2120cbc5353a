import { defineControl } from '../../engine/types.js';
import { POD_SPEC } from '../support/cel.js';
import { asRecord } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0829',
  name: 'host-aliases-fixed-addresses',
  title: 'Pod hard-codes host names to fixed addresses',
  description:
    '`hostAliases` writes fixed IP addresses for host names into the pod\'s /etc/hosts, bypassing DNS: when the service behind the name moves (a database failover, a load balancer replaced, a cloud endpoint rotating its addresses) the pods keep talking to the old address and fail, or reach whatever now holds it, until the manifest is changed and the pods are restarted. DNS (a Service, an ExternalName Service or a DNS record) follows the move.',
  layer: 'container',
  dimensions: ['Applications', 'Architecture'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: {},
  remediation: 'Resolve the names through DNS: a Service with endpoints or an ExternalName Service inside the cluster, or a record in the DNS zone the cluster uses.',
  messages: { fixed: '{{kind}} "{{name}}" pins {{hosts}} to {{ip}} in /etc/hosts: the pods do not follow if the address changes.' },
  cel: { expression: `!has(${POD_SPEC}.hostAliases) || size(${POD_SPEC}.hostAliases) == 0`, message: 'Pods must resolve names through DNS, not hostAliases.' },
  targets: 'podSpec',
  check({ podSpec, object }, ctx) {
    const aliases = podSpec['hostAliases'];
    if (!Array.isArray(aliases)) return;
    aliases.forEach((a, i) => {
      const r = asRecord(a);
      const hosts = Array.isArray(r?.['hostnames']) ? (r!['hostnames'] as unknown[]).filter((h): h is string => typeof h === 'string') : [];
      if (!r || typeof r['ip'] !== 'string' || hosts.length === 0) return;
      ctx.report('fixed', { kind: object.kind, name: object.metadata.name ?? '', hosts: hosts.map((h) => `"${h}"`).join(', '), ip: r['ip'] }, `/hostAliases/${i}`);
    });
  },
});
