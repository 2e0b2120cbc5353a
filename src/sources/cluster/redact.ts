/**
 * Secret values never leave the reader: Secrets keep their kind, name, type and keys; values
 * are removed as each page arrives, in `data`/`stringData` and in the last-applied annotation,
 * which holds them too (there only the keys of the applied manifest are kept).
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
  if (ann && LAST_APPLIED in ann) ann[LAST_APPLIED] = redactedLastApplied(ann[LAST_APPLIED]);
  return obj;
}

/**
 * The last-applied annotation of a Secret is the applied manifest, values included: its values
 * are redacted the same way (keys kept, an empty value stays empty), so the control that reports
 * such copies (KOR-0131) sees which keys were copied; anything that is not such a manifest is
 * redacted whole.
 */
function redactedLastApplied(text: unknown): string {
  if (typeof text !== 'string') return REDACTED;
  let applied: unknown;
  try {
    applied = JSON.parse(text);
  } catch {
    return REDACTED;
  }
  if (!applied || typeof applied !== 'object' || Array.isArray(applied)) return REDACTED;
  const o = applied as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of ['apiVersion', 'kind', 'type'] as const) if (typeof o[field] === 'string') out[field] = o[field];
  const meta = o['metadata'];
  if (meta && typeof meta === 'object') {
    const m = meta as Record<string, unknown>;
    out['metadata'] = Object.fromEntries(['name', 'namespace'].filter((k) => typeof m[k] === 'string').map((k) => [k, m[k]]));
  }
  for (const field of ['data', 'stringData'] as const) {
    const d = o[field];
    if (!d || typeof d !== 'object') continue;
    const keys: Record<string, string | null> = {};
    for (const k of Object.keys(d as Record<string, unknown>).sort()) {
      const v = (d as Record<string, unknown>)[k];
      keys[k] = typeof v !== 'string' ? null : v === '' ? '' : REDACTED;
    }
    out[field] = keys;
  }
  return JSON.stringify(out) + (text.endsWith('\n') ? '\n' : '');
}
