import { defineControl } from '../../engine/types.js';
import { asArray } from '../support/pod.js';

interface Rule {
  apiGroups?: unknown;
  resources?: unknown;
}

// A webhook rule that sends Secrets: the core group (or a wildcard group) and secrets (or a wildcard resource).
function matchesSecrets(rules: unknown): boolean {
  return asArray<Rule>(rules).some((r) => {
    if (!r || typeof r !== 'object') return false;
    const groups = asArray<unknown>(r.apiGroups);
    const resources = asArray<unknown>(r.resources);
    return groups.some((g) => g === '' || g === '*') && resources.some((x) => x === 'secrets' || x === '*' || x === '*/*');
  });
}

/** The host of a webhook URL, unless it is a name only the cluster resolves. */
function externalHost(url: string): string | undefined {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return undefined;
  }
  return /\.svc(?:\.cluster\.local)?$|\.cluster\.local$/.test(host) ? undefined : host;
}

export default defineControl({
  id: 'KOR-0245',
  name: 'webhook-sends-secrets-outside',
  title: 'Admission webhook sends Secrets to an endpoint outside the cluster',
  description:
    'An admission webhook receives every object its rules match, in full: a rule on `secrets` (or `*`) puts each Secret\'s data into the AdmissionReview the API server sends on create and update. When the webhook is a URL outside the cluster (`clientConfig.url`, a SaaS policy service or a developer\'s endpoint), every new credential of the cluster leaves it, and whoever runs or takes over that endpoint (or its DNS name) collects them.',
  layer: 'cluster',
  dimensions: ['Security'],
  guard: 'admission',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'high',
  effort: 'medium',
  frameworks: { nsa: ['secrets'], mitre: ['T1552', 'T1041'] },
  remediation: 'Exclude secrets from the webhook\'s rules (list the resources it needs instead of `*`), or run the webhook inside the cluster behind a Service.',
  messages: { outside: '{{kind}} "{{config}}" webhook "{{webhook}}" sends Secrets (with their data) to {{host}}, outside the cluster.' },
  targets: 'object',
  kinds: ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'],
  check(object, ctx) {
    asArray<{ name?: unknown; rules?: unknown; clientConfig?: { url?: unknown } }>(object['webhooks']).forEach((w, i) => {
      if (!w || typeof w !== 'object' || typeof w.clientConfig?.url !== 'string') return;
      const host = externalHost(w.clientConfig.url);
      if (!host || !matchesSecrets(w.rules)) return;
      ctx.report('outside', { kind: object.kind, config: object.metadata.name ?? '', webhook: typeof w.name === 'string' ? w.name : '', host }, `/webhooks/${i}/clientConfig/url`);
    });
  },
});
