import { defineControl } from '../../engine/types.js';
import { parseCidr } from '../../network/ip.js';

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Egress rules that open every address (0.0.0.0/0, ::/0) or every destination on every port. */
export default defineControl({
  id: 'KOR-0304',
  name: 'net-egress-to-any-address',
  title: 'Egress allowed to any address',
  description:
    'An egress rule with ipBlock 0.0.0.0/0 (or ::/0), or with no destination and no port restriction, lets the selected pods connect to any host on the internet: the path for data exfiltration, command-and-control and downloading tooling. Egress policies are meant to list the few destinations a workload needs.',
  layer: 'cluster',
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
    const spec = obj(object['spec']) ?? {};
    const label = `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name ?? ''}`;
    const isNetworkPolicy = object.kind === 'NetworkPolicy';
    if (isNetworkPolicy) {
      const types = arr(spec['policyTypes']);
      const coversEgress = types.length ? types.includes('Egress') : arr(spec['egress']).length > 0;
      if (!coversEgress) return;
    }
    arr(spec['egress']).forEach((raw, ri) => {
      const rule = obj(raw) ?? {};
      if (!isNetworkPolicy && rule['action'] !== 'Allow') return;
      const ports = arr(rule['ports']).length ? ' on the listed ports' : ' on every port';
      const to = arr(rule['to']);
      if (isNetworkPolicy && to.length === 0 && arr(rule['ports']).length === 0) {
        ctx.report('anyDestination', { policy: label, rule: String(ri) }, `/spec/egress/${ri}`);
        return;
      }
      to.forEach((rawPeer, pi) => {
        const peer = obj(rawPeer) ?? {};
        const cidrs: Array<[string, string]> = [];
        const ib = obj(peer['ipBlock']);
        if (ib && typeof ib['cidr'] === 'string') cidrs.push([ib['cidr'], `/spec/egress/${ri}/to/${pi}/ipBlock/cidr`]);
        arr(peer['networks']).forEach((n, ni) => typeof n === 'string' && cidrs.push([n, `/spec/egress/${ri}/to/${pi}/networks/${ni}`]));
        for (const [cidr, pointer] of cidrs) {
          const r = parseCidr(cidr);
          if (r && r.lo === 0n && r.hi === (r.family === 4 ? (1n << 32n) - 1n : (1n << 128n) - 1n)) ctx.report('anyAddress', { policy: label, cidr, ports }, pointer);
        }
      });
    });
  },
});
