/**
 * Secret values never leave the reader: Secrets keep their kind, name, type and keys; values
 * (and the last-applied annotation, which holds them too) are removed as each page arrives.
 */
import type { K8sObject } from '../../inventory/types.js';

export const REDACTED = '<redacted>';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export function redactSecret(obj: K8sObject): K8sObject {
  if (obj.kind !== 'Secret') return obj;
  for (const field of ['data', 'stringData'] as const) {
    const d = obj[field];
    if (d && typeof d === 'object') {
      const keys: Record<string, string> = {};
      for (const k of Object.keys(d as Record<string, unknown>).sort()) keys[k] = REDACTED;
      obj[field] = keys;
    }
  }
  const ann = obj.metadata.annotations;
  if (ann && LAST_APPLIED in ann) ann[LAST_APPLIED] = REDACTED;
  return obj;
}
