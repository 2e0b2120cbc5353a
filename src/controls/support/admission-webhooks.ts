/** Admission webhook configurations (admissionregistration.k8s.io): each webhook with its failure policy and backend. */
import type { Inventory } from '../../inventory/inventory.js';
import type { InventoryObject } from '../../inventory/types.js';
import { asRecord } from './workloads.js';

export interface Webhook {
  config: InventoryObject;
  index: number;
  name: string;
  /** The effective failure policy (admissionregistration.k8s.io/v1 defaults to Fail). */
  failurePolicy: string;
  service?: { namespace: string; name: string };
  raw: Record<string, unknown>;
}

export function webhooksOf(inv: Inventory): Webhook[] {
  const out: Webhook[] = [];
  for (const kind of ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']) {
    for (const config of inv.byKind(kind)) {
      const list = config.object['webhooks'];
      if (!Array.isArray(list)) continue;
      list.forEach((w, index) => {
        const r = asRecord(w);
        if (!r) return;
        const svc = asRecord(asRecord(r['clientConfig'])?.['service']);
        out.push({
          config,
          index,
          name: typeof r['name'] === 'string' ? r['name'] : `#${index}`,
          failurePolicy: typeof r['failurePolicy'] === 'string' ? r['failurePolicy'] : 'Fail',
          ...(svc && typeof svc['namespace'] === 'string' && typeof svc['name'] === 'string' ? { service: { namespace: svc['namespace'], name: svc['name'] } } : {}),
          raw: r,
        });
      });
    }
  }
  return out;
}

/** The webhook's rules cover pod creation (resource `pods` or `*` in the core group, CREATE or `*`). */
export function interceptsPodCreate(w: Webhook): boolean {
  const rules = w.raw['rules'];
  if (!Array.isArray(rules)) return false;
  return rules.some((rule) => {
    const r = asRecord(rule);
    const has = (field: string, values: string[]): boolean => Array.isArray(r?.[field]) && (r![field] as unknown[]).some((v) => typeof v === 'string' && values.includes(v));
    return has('apiGroups', ['', '*']) && has('resources', ['pods', '*', '*/*']) && has('operations', ['CREATE', '*']);
  });
}
