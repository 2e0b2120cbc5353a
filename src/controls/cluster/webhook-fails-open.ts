import { defineControl } from '../../engine/types.js';
import { asArray } from '../support/pod.js';

/** Webhooks that look like policy enforcement: by the engines' own names, or by the configuration's. */
export const POLICY_ENGINE = /kyverno|gatekeeper|\bopa\b|kubewarden|polic(?:y|ies)|polaris|datree|kubescape|neuvector|sysdig|prisma|twistlock|aqua|security|image-?sign|cosign|sigstore|connaisseur|ratify|portieris/i;

export default defineControl({
  id: 'KOR-0235',
  name: 'webhook-fails-open',
  title: 'Policy webhook lets requests through when it is down',
  description:
    'With `failurePolicy: Ignore`, the API server admits a request unchanged whenever the webhook does not answer in time. For a policy engine (Kyverno, Gatekeeper, Kubewarden, image-signature or security webhooks) that means every rule it enforces is off while it is down, slow or unreachable, and an attacker who can disrupt it (delete its pods, starve its node, block it with a NetworkPolicy) gets the rules switched off. Webhooks that only add convenience may fail open; the ones that enforce security should fail closed, with the engine run highly available and its own namespace excluded.',
  layer: 'cluster',
  dimensions: ['Security'],
  guard: 'admission',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'medium',
  fixable: true,
  frameworks: { cis: ['5.2.1'], nsa: ['pod-security-enforcement'], mitre: ['T1562.001'] },
  remediation: 'Set `failurePolicy: Fail` on the enforcing webhooks, run the engine with several replicas and a PodDisruptionBudget, and exclude its own and kube-system namespaces with a namespaceSelector so it cannot lock the cluster.',
  messages: { ignore: '{{kind}} "{{config}}" webhook "{{webhook}}" has failurePolicy Ignore: its checks are skipped whenever it does not answer.' },
  targets: 'object',
  kinds: ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'],
  check(object, ctx) {
    const config = object.metadata.name ?? '';
    asArray<{ name?: unknown; failurePolicy?: unknown; clientConfig?: { service?: { name?: unknown; namespace?: unknown } } }>(object['webhooks']).forEach((w, i) => {
      if (!w || typeof w !== 'object' || w.failurePolicy !== 'Ignore') return;
      const name = typeof w.name === 'string' ? w.name : '';
      const svc = w.clientConfig?.service;
      const identity = [config, name, typeof svc?.name === 'string' ? svc.name : '', typeof svc?.namespace === 'string' ? svc.namespace : ''].join(' ');
      if (!POLICY_ENGINE.test(identity)) return;
      ctx.report('ignore', { kind: object.kind, config, webhook: name }, `/webhooks/${i}/failurePolicy`, { fix: [{ op: 'replace', path: `/webhooks/${i}/failurePolicy`, value: 'Fail' }] });
    });
  },
});
