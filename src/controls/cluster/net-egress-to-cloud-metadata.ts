import { defineControl } from '../../engine/types.js';
import { parseAddress, parseCidr, rangesOverlap, type IpRange } from '../../network/ip.js';
import { allowingEgressRules, egressBlocks } from '../support/network.js';


/** Cloud instance metadata endpoints (AWS, GCP, Azure, OpenStack: 169.254.169.254; AWS IPv6: fd00:ec2::254). */
export const METADATA_ADDRESSES: ReadonlyArray<[string, IpRange]> = ['169.254.169.254', 'fd00:ec2::254'].map((a) => [a, parseAddress(a)!]);

/** Egress ipBlocks that include the cloud metadata address without excepting it. */
export default defineControl({
  id: 'KOR-0305',
  name: 'net-egress-to-cloud-metadata',
  title: 'Egress allowed to the cloud metadata address',
  description:
    'The instance metadata service (169.254.169.254, and fd00:ec2::254 on AWS IPv6) hands out the node\'s cloud credentials and bootstrap secrets to anything that can reach it. An egress ipBlock that covers it without an `except` entry lets a compromised pod steal the node\'s cloud identity (the Capital One breach path).',
  layer: 'cluster',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'high',
  effort: 'low',
  frameworks: { nsa: ['network-policies'], mitre: ['T1552.005'] },
  remediation: 'Add the metadata address to the ipBlock `except` list (169.254.169.254/32, fd00:ec2::254/128), or narrow the cidr to the destinations the workload needs.',
  messages: {
    metadata: '{{policy}} allows egress to {{cidr}}, which includes the cloud metadata address {{address}} (not excepted).',
  },
  targets: 'object',
  kinds: ['NetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'],
  check(object, ctx) {
    for (const r of allowingEgressRules(object)) {
      for (const b of egressBlocks(r)) {
        const range = parseCidr(b.cidr);
        if (!range) continue;
        const excepts = b.except.map((e) => (typeof e === 'string' ? parseCidr(e) : undefined)).filter((e): e is IpRange => !!e);
        for (const [address, addr] of METADATA_ADDRESSES) {
          if (rangesOverlap(range, addr) && !excepts.some((e) => rangesOverlap(e, addr))) {
            ctx.report('metadata', { policy: r.policy, cidr: b.cidr, address }, b.pointer);
          }
        }
      }
    }
  },
});
