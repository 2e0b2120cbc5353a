import { defineControl } from '../../engine/types.js';
import { parseCidr } from '../../network/ip.js';
import { allowingEgressRules, egressBlocks } from '../support/network.js';


/** Egress rules that open every address (0.0.0.0/0, ::/0) or every destination on every port. */
export default defineControl({
  id: 'KOR-0304',
  name: 'net-egress-to-any-address',
  title: 'Egress allowed to any address',
  description:
    'An egress rule with ipBlock 0.0.0.0/0 (or ::/0), or with no destination and no port restriction, lets the selected pods connect to any host on the internet: the path for data exfiltration, command-and-control and downloading tooling. Egress policies are meant to list the few destinations a workload needs.',
  layer: 'cluster',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: { nsa: ['network-policies'], mitre: ['T1041', 'T1105'] },
  remediation: 'Replace the 0.0.0.0/0 block (or the unrestricted rule) with the CIDRs and ports of the external services the workload really calls, or route egress through a proxy.',
  messages: {
    anyAddress: '{{policy}} allows egress to {{cidr}} (every address){{ports}}.',
    anyDestination: '{{policy}} egress rule {{rule}} has no destination and no port restriction: it allows every connection.',
  },
  targets: 'object',
  kinds: ['NetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'],
  check(object, ctx) {
    for (const r of allowingEgressRules(object)) {
      const hasPorts = Array.isArray(r.rule['ports']) && r.rule['ports'].length > 0;
      const hasTo = Array.isArray(r.rule['to']) && r.rule['to'].length > 0;
      if (r.isNetworkPolicy && !hasTo && !hasPorts) {
        ctx.report('anyDestination', { policy: r.policy, rule: String(r.index) }, `/spec/egress/${r.index}`);
        continue;
      }
      const ports = hasPorts ? ' on the listed ports' : ' on every port';
      for (const { cidr, pointer } of egressBlocks(r)) {
        const range = parseCidr(cidr);
        if (range && range.lo === 0n && range.hi === (range.family === 4 ? (1n << 32n) - 1n : (1n << 128n) - 1n)) ctx.report('anyAddress', { policy: r.policy, cidr, ports }, pointer);
      }
    }
  },
});
