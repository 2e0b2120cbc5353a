import { defineControl } from '../../engine/types.js';
import { networkAnalysis, type NetworkAnalysis } from '../../network/analysis.js';
import { compileSelector } from '../../network/selector.js';
import { selectorCandidates } from '../../network/policy.js';
import { operatorPodsByNamespace } from '../../network/operator-pods.js';
import { operatorPodSources } from '../support/operator-pods.js';

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** Policies (or their peers) whose selectors match no workload: dead or mistyped rules. */
export default defineControl({
  id: 'KOR-0303',
  name: 'net-policy-selects-nothing',
  title: 'Network policy whose selectors match nothing',
  description:
    'A NetworkPolicy whose podSelector matches no workload protects nothing, and a peer whose selectors match no pod allows nothing: usually a label typo or a stale policy, and the workload it was written for is left open (or blocked) without anyone noticing. Peers that select namespaces absent from the scanned inventory are not judged, since those pods may live elsewhere; nor are selectors that match the labels of pods an operator makes from a custom resource in the input (a Prometheus, an Alertmanager, an Argo Rollout: its own labels or its pod template labels).',
  layer: 'cluster',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: { nsa: ['network-policies'], mitre: ['T1562'] },
  remediation: 'Fix the selector labels so they match the intended pods (compare with the pod template labels), or delete the stale policy.',
  messages: {
    subject: '{{policy}} selects no workload (podSelector {{selector}}): it isolates and protects nothing.',
    peer: '{{policy}} {{rule}}: this peer matches no workload of the scanned namespaces, so the rule allows nothing from it.',
  },
  targets: 'inventory',
  kinds: ['NetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'],
  check(inventory, ctx) {
    const net = networkAnalysis(inventory);
    if (net.engine.model.workloads.length === 0) return;
    // Many peers repeat the same selectors: judge each distinct (namespaces, pod selector) once.
    const namespacesBySelector = new Map<string, string[]>();
    const verdicts = new Map<string, PeerVerdict>();
    for (const p of net.engine.set.policies) {
      const spec = obj(p.item.object['spec']) ?? {};
      if (p.subject.isEmpty()) {
        // pods an operator makes from a custom resource in the input may be the ones it selects
        if (p.tier === 'networkpolicy' && operatorPodsMatch(inventory, [p.namespace ?? 'default'], spec['podSelector'] ?? {})) continue;
        const pointer = p.tier === 'networkpolicy' ? '/spec/podSelector' : '/spec/subject';
        ctx.report('subject', { policy: p.label, selector: JSON.stringify(p.tier === 'networkpolicy' ? (spec['podSelector'] ?? {}) : (spec['subject'] ?? {})) }, pointer, { object: p.item });
        continue;
      }
      if (p.tier !== 'networkpolicy') continue;
      for (const dir of ['ingress', 'egress'] as const) {
        const field = dir === 'ingress' ? 'from' : 'to';
        const rules = Array.isArray(spec[dir]) ? (spec[dir] as unknown[]) : [];
        rules.forEach((rule, ri) => {
          const peers = obj(rule)?.[field];
          if (!Array.isArray(peers)) return;
          peers.forEach((peer, pi) => {
            const pe = obj(peer) ?? {};
            if (pe['ipBlock'] !== undefined) return;
            if (pe['podSelector'] === undefined && pe['namespaceSelector'] === undefined) return;
            const hasNs = pe['namespaceSelector'] !== undefined;
            const nsKey = hasNs ? `sel:${JSON.stringify(pe['namespaceSelector'])}` : `ns:${p.namespace ?? 'default'}`;
            const key = `${nsKey}#${JSON.stringify(pe['podSelector'] ?? {})}`;
            let verdict = verdicts.get(key);
            if (verdict === undefined) {
              let nss: string[];
              if (hasNs) {
                const hit = namespacesBySelector.get(nsKey);
                nss = hit ?? namespacesMatching(net, pe['namespaceSelector']);
                if (!hit) namespacesBySelector.set(nsKey, nss);
              } else nss = [p.namespace ?? 'default'];
              // Namespaces outside the scanned inventory (or without workloads there) are not judged.
              if (!nss.some((ns) => (net.engine.model.byNamespace.get(ns) ?? []).length > 0)) verdict = 'not-judged';
              else verdict = podsMatch(net, nss, pe['podSelector']) || operatorPodsMatch(inventory, nss, pe['podSelector'] ?? {}) ? 'matches' : 'matches-nothing';
              verdicts.set(key, verdict);
            }
            if (verdict === 'matches-nothing') ctx.report('peer', { policy: p.label, rule: `${dir}[${ri}].${field}[${pi}]` }, `/spec/${dir}/${ri}/${field}/${pi}`, { object: p.item });
          });
        });
      }
    }
  },
});

type PeerVerdict = 'not-judged' | 'matches' | 'matches-nothing';

function namespacesMatching(net: NetworkAnalysis, sel: unknown): string[] {
  const match = compileSelector(sel);
  return [...net.engine.model.namespaceLabels].filter(([, labels]) => match(labels)).map(([ns]) => ns);
}

function podsMatch(net: NetworkAnalysis, namespaces: string[], podSelector: unknown): boolean {
  const match = compileSelector(podSelector ?? {});
  return namespaces.some((ns) => selectorCandidates(net.engine.model, ns, podSelector ?? {}).some((w) => match(w.labels)));
}

/**
 * Could the selector match pods an operator makes in one of the namespaces? Operators add labels
 * of their own (the Prometheus Operator adds `prometheus: <name>`, `app.kubernetes.io/name`...),
 * so a label the input does not show is not held against the selector: it fails only where it
 * contradicts a label the custom resource does give its pods (a typo in a value). A custom
 * resource of a kind known to make pods, with no labels in the input, contradicts nothing.
 */
function operatorPodsMatch(inventory: Parameters<typeof operatorPodsByNamespace>[0], namespaces: string[], podSelector: unknown): boolean {
  const byNs = operatorPodsByNamespace(inventory);
  const makers = operatorPodSources(inventory);
  if (byNs.size === 0 && makers.size === 0) return false;
  const match = compileSelector(podSelector);
  const required = requiredLabels(podSelector);
  return namespaces.some((ns) => {
    const sets = byNs.get(ns) ?? [];
    const labelled = new Set(sets.map((o) => o.item));
    const candidates = [...sets.map((o) => o.labels), ...(makers.get(ns) ?? []).filter((item) => !labelled.has(item)).map(() => ({}))];
    return candidates.some((labels) => match({ ...required, ...labels }));
  });
}

/** Labels a selector asks for (matchLabels, and the first value of `In`): assumed on the pod where the input shows no such label. */
function requiredLabels(sel: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const s = obj(sel);
  const ml = obj(s?.['matchLabels']);
  if (ml) for (const [k, v] of Object.entries(ml)) if (typeof v === 'string') out[k] = v;
  const exprs = Array.isArray(s?.['matchExpressions']) ? (s!['matchExpressions'] as unknown[]) : [];
  for (const e of exprs) {
    const x = obj(e);
    if (!x || typeof x['key'] !== 'string') continue;
    const values = Array.isArray(x['values']) ? (x['values'] as unknown[]) : [];
    if (x['operator'] === 'In' && typeof values[0] === 'string') out[x['key']] ??= values[0];
    else if (x['operator'] === 'Exists') out[x['key']] ??= '';
  }
  return out;
}
