import { defineControl } from '../../engine/types.js';
import { asArray } from '../support/pod.js';

/** Annotations that make a cloud load balancer internal (reachable from the VPC only). */
/** The load balancer's source ranges in CEL: the field, else the annotation (one value), else none. */
const SOURCE_RANGES =
  "(has(object.spec.loadBalancerSourceRanges) ? object.spec.loadBalancerSourceRanges : has(object.metadata.annotations) && 'service.beta.kubernetes.io/load-balancer-source-ranges' in object.metadata.annotations ? [object.metadata.annotations['service.beta.kubernetes.io/load-balancer-source-ranges']] : [])";

const INTERNAL_LB: Array<[string, RegExp]> = [
  ['service.beta.kubernetes.io/aws-load-balancer-internal', /^(true|0\.0\.0\.0\/0)$/i],
  ['service.beta.kubernetes.io/aws-load-balancer-scheme', /^internal$/i],
  ['networking.gke.io/load-balancer-type', /^internal$/i],
  ['cloud.google.com/load-balancer-type', /^internal$/i],
  ['service.beta.kubernetes.io/azure-load-balancer-internal', /^true$/i],
  ['service.beta.kubernetes.io/oci-load-balancer-internal', /^true$/i],
  ['service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type', /^private$/i],
];

export default defineControl({
  id: 'KOR-0134',
  name: 'service-exposed-externally',
  title: 'Service exposed outside the cluster',
  description:
    'A Service of type NodePort opens its port on every node; a LoadBalancer Service asks the cloud for an external address (and a NodePort too). Unless the load balancer is internal or restricted with `loadBalancerSourceRanges`, the workload behind it is reachable from outside the cluster network, often from the internet, bypassing the Ingress layer and its TLS and authentication.',
  layer: 'cluster',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: { nsa: ['network-separation'], mitre: ['T1133', 'T1190'] },
  remediation: 'Use a ClusterIP Service behind an Ingress or Gateway; where a load balancer is needed, make it internal or set `loadBalancerSourceRanges` to the clients that need it.',
  messages: {
    loadBalancer: 'Service "{{name}}" is a LoadBalancer with no source ranges and no internal annotation (ports {{ports}}).',
    nodePort: 'Service "{{name}}" is a NodePort, opening ports {{ports}} on every node.',
  },
  targets: 'object',
  kinds: ['Service'],
  check(object, ctx) {
    const spec = object['spec'] as { type?: string; ports?: Array<{ port?: number; nodePort?: number; protocol?: string }>; loadBalancerSourceRanges?: string[] } | undefined;
    if (!spec) return;
    const name = object.metadata.name ?? '';
    if (spec.type === 'LoadBalancer') {
      const ann = object.metadata.annotations ?? {};
      if (INTERNAL_LB.some(([k, re]) => typeof ann[k] === 'string' && re.test(ann[k]))) return;
      const ranges = spec.loadBalancerSourceRanges ?? (typeof ann['service.beta.kubernetes.io/load-balancer-source-ranges'] === 'string' ? [ann['service.beta.kubernetes.io/load-balancer-source-ranges']] : []);
      if (ranges.length > 0 && !ranges.some((r) => /^\s*(0\.0\.0\.0\/0|::\/0)\s*$/.test(r))) return;
      ctx.report('loadBalancer', { name, ports: portList(spec.ports, 'port') }, '/spec/type');
    } else if (spec.type === 'NodePort') {
      ctx.report('nodePort', { name, ports: portList(spec.ports, 'nodePort') }, '/spec/type');
    }
  },
  cel: {
    expression: [
      "!has(object.spec.type) || !(object.spec.type in ['NodePort', 'LoadBalancer'])",
      // an internal load balancer, or one limited to source ranges that are not everywhere
      `(object.spec.type == 'LoadBalancer' && has(object.metadata.annotations) && (${INTERNAL_LB.map(([k, re]) => `('${k}' in object.metadata.annotations && object.metadata.annotations['${k}'].matches('(?i)${re.source.replace(/\\/g, '\\\\')}'))`).join(' || ')}))`,
      `(object.spec.type == 'LoadBalancer' && ${SOURCE_RANGES} != [] && !${SOURCE_RANGES}.exists(r, r.matches('^\\\\s*(0\\\\.0\\\\.0\\\\.0/0|::/0)\\\\s*$')))`,
    ].join(' || '),
    message: 'Services must not be of type NodePort, or LoadBalancer open to every address.',
  },
});

function portList(ports: Array<{ port?: number; nodePort?: number; protocol?: string }> | undefined, field: 'port' | 'nodePort'): string {
  const list = asArray<{ port?: number; nodePort?: number; protocol?: string }>(ports).filter((p) => p && typeof p === 'object').map((p) => (p[field] !== undefined ? `${p[field]}/${p.protocol ?? 'TCP'}` : field === 'nodePort' ? `(auto)/${p.protocol ?? 'TCP'}` : '')).filter((s) => s !== '');
  return list.length ? list.join(', ') : '(none declared)';
}
