import { defineControl } from '../../engine/types.js';
import { asArray } from '../support/pod.js';

const EVERYWHERE = /^\s*(?:0\.0\.0\.0\/0|::\/0)\s*$/;

/** A peer that admits every source: an ipBlock of all addresses without exceptions. */
function everyAddress(peer: { ipBlock?: { cidr?: unknown; except?: unknown } } | null): boolean {
  return !!peer && typeof peer === 'object' && !!peer.ipBlock && typeof peer.ipBlock.cidr === 'string' && EVERYWHERE.test(peer.ipBlock.cidr) && asArray(peer.ipBlock.except).length === 0;
}

export default defineControl({
  id: 'KOR-0253',
  name: 'network-policy-allows-all-ingress',
  title: 'NetworkPolicy allows all ingress on every port',
  description:
    'NetworkPolicies add up: one rule that allows everything to the pods it selects cancels every other policy\'s isolation for them. An ingress rule without `from` and without `ports` (`ingress: [{}]`), or one whose source is `0.0.0.0/0` on every port, admits any pod of any namespace and any address outside the cluster on every port, including debug and admin ports the Service never published. Often left from troubleshooting, it looks like a policy in reviews while isolating nothing.',
  layer: 'cluster',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: { cis: ['5.3.2'], nsa: ['network-policies'], mitre: ['T1021', 'T1190'] },
  remediation: 'Replace the rule with the sources (pod, namespace selectors or CIDRs) and ports the workload serves; delete it if it was left from debugging.',
  messages: { all: 'NetworkPolicy "{{name}}" ingress rule {{rule}} allows {{what}} on every port to {{pods}}.' },
  targets: 'object',
  kinds: ['NetworkPolicy'],
  check(object, ctx) {
    if (!object.apiVersion.startsWith('networking.k8s.io/')) return;
    const spec = object['spec'] as { podSelector?: { matchLabels?: unknown; matchExpressions?: unknown }; ingress?: unknown; policyTypes?: unknown } | undefined;
    if (!spec || typeof spec !== 'object') return;
    const types = asArray<unknown>(spec.policyTypes);
    if (types.length > 0 && !types.includes('Ingress')) return;
    const sel = spec.podSelector;
    const everyPod = !sel || (asArray(sel.matchExpressions).length === 0 && (!sel.matchLabels || typeof sel.matchLabels !== 'object' || Object.keys(sel.matchLabels).length === 0));
    asArray<{ from?: unknown; ports?: unknown }>(spec.ingress).forEach((r, i) => {
      if (!r || typeof r !== 'object' || asArray(r.ports).length > 0) return;
      const from = asArray<{ ipBlock?: { cidr?: unknown; except?: unknown } } | null>(r.from);
      const any = r.from === undefined || r.from === null || (Array.isArray(r.from) && r.from.length === 0);
      if (!any && !from.some(everyAddress)) return;
      ctx.report('all', { name: object.metadata.name ?? '', rule: i + 1, what: any ? 'every source' : 'every address (0.0.0.0/0)', pods: everyPod ? 'every pod of the namespace' : 'the pods it selects' }, `/spec/ingress/${i}`);
    });
  },
});
