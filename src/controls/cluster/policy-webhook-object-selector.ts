import { defineControl } from '../../engine/types.js';
import { asArray } from '../support/pod.js';
import { POLICY_ENGINE } from './webhook-fails-open.js';

export default defineControl({
  id: 'KOR-0252',
  name: 'policy-webhook-object-selector',
  title: 'Policy webhook can be skipped by a label on the object',
  description:
    'A webhook\'s `objectSelector` is matched against the labels of the object being admitted, and those labels are written by whoever creates the object. A policy webhook (Kyverno, Gatekeeper, image signature checks) with an objectSelector that excludes objects by label (`NotIn`, `DoesNotExist`, or `In` on a label the author sets) lets anyone who can create a pod skip every rule by labelling it accordingly. Namespace-level exclusion (`namespaceSelector`) is controlled by whoever may label namespaces, usually administrators.',
  layer: 'cluster',
  dimensions: ['Security'],
  guard: 'admission',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: { cis: ['5.2.1'], nsa: ['pod-security-enforcement'], mitre: ['T1562.001'] },
  remediation: 'Remove the objectSelector from enforcing webhooks; exclude system workloads with a namespaceSelector (or the engine\'s own exclusions, which it evaluates itself) instead.',
  messages: { selector: '{{kind}} "{{config}}" webhook "{{webhook}}" only sees objects whose labels match its objectSelector ({{selector}}): a creator can label an object out of its checks.' },
  targets: 'object',
  kinds: ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'],
  check(object, ctx) {
    const config = object.metadata.name ?? '';
    asArray<{ name?: unknown; objectSelector?: { matchLabels?: unknown; matchExpressions?: unknown }; clientConfig?: { service?: { name?: unknown; namespace?: unknown } } }>(object['webhooks']).forEach((w, i) => {
      if (!w || typeof w !== 'object' || !w.objectSelector || typeof w.objectSelector !== 'object') return;
      const labels = w.objectSelector.matchLabels && typeof w.objectSelector.matchLabels === 'object' ? Object.keys(w.objectSelector.matchLabels) : [];
      const exprs = asArray<{ key?: unknown; operator?: unknown }>(w.objectSelector.matchExpressions).filter((e) => e && typeof e.key === 'string');
      if (labels.length === 0 && exprs.length === 0) return;
      const name = typeof w.name === 'string' ? w.name : '';
      const svc = w.clientConfig?.service;
      if (!POLICY_ENGINE.test([config, name, typeof svc?.name === 'string' ? svc.name : '', typeof svc?.namespace === 'string' ? svc.namespace : ''].join(' '))) return;
      const selector = [...labels.map((l) => `${l}=…`), ...exprs.map((e) => `${e.key as string} ${typeof e.operator === 'string' ? e.operator : '?'}`)].join(', ');
      ctx.report('selector', { kind: object.kind, config, webhook: name, selector }, `/webhooks/${i}/objectSelector`);
    });
  },
});
