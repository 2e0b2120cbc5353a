/**
 * The Validating- and MutatingWebhookConfiguration that register kordon's webhook with the API
 * server: the kinds kordon's controls judge, CREATE and UPDATE, the CA bundle that signed the
 * webhook's certificate, the webhook's own namespace (and kube-system's control plane, by label)
 * left out, and a timeout. docs/webhook.md explains the failure policy choice.
 */
import { KIND_RESOURCES, resourceRules } from './resources.js';

export interface WebhookConfigOptions {
  /** PEM of the CA that signed the webhook's serving certificate. */
  caBundle: string;
  /** A URL (`https://host:port`), or the in-cluster Service. */
  url?: string;
  service?: { namespace: string; name: string; port?: number };
  /** Namespaces the webhook leaves alone (its own at least). */
  excludeNamespaces?: readonly string[];
  /** Fail (default: a request is refused when the webhook cannot answer) or Ignore. */
  failurePolicy?: 'Fail' | 'Ignore';
  timeoutSeconds?: number;
  /** Name prefix (default `kordon`). */
  name?: string;
  /** Only objects with these labels (tests). */
  objectSelector?: { matchLabels: Record<string, string> };
  /** Register the mutating webhook too (default true). */
  mutating?: boolean;
}

function clientConfig(o: WebhookConfigOptions, path: string): Record<string, unknown> {
  const caBundle = Buffer.from(o.caBundle).toString('base64');
  if (o.url) return { url: o.url.replace(/\/+$/, '') + path, caBundle };
  if (!o.service) throw new Error('a webhook configuration needs a url or a service');
  return { service: { namespace: o.service.namespace, name: o.service.name, path, port: o.service.port ?? 443 }, caBundle };
}

export function webhookConfigurations(o: WebhookConfigOptions): Array<Record<string, unknown>> {
  const name = o.name ?? 'kordon';
  const { rules } = resourceRules(Object.keys(KIND_RESOURCES));
  const core = rules.find((r) => r.apiGroups[0] === '');
  if (core) core.resources = [...core.resources, 'pods/ephemeralcontainers'].sort();
  const common = {
    rules: rules.map((r) => ({ ...r, scope: '*' })),
    failurePolicy: o.failurePolicy ?? 'Fail',
    sideEffects: 'None',
    admissionReviewVersions: ['v1'],
    timeoutSeconds: o.timeoutSeconds ?? 5,
    matchPolicy: 'Equivalent',
    ...(o.excludeNamespaces?.length ? { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [...o.excludeNamespaces].sort() }] } } : {}),
    ...(o.objectSelector ? { objectSelector: o.objectSelector } : {}),
  };
  const labels = { 'app.kubernetes.io/name': 'kordon', 'app.kubernetes.io/component': 'webhook' };
  const out: Array<Record<string, unknown>> = [];
  if (o.mutating !== false) {
    out.push({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name, labels },
      webhooks: [{ name: 'mutate.kordon.dev', clientConfig: clientConfig(o, '/mutate'), reinvocationPolicy: 'Never', ...common }],
    });
  }
  out.push({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name, labels },
    webhooks: [{ name: 'validate.kordon.dev', clientConfig: clientConfig(o, '/validate'), ...common }],
  });
  return out;
}
