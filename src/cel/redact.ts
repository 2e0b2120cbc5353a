/**
 * Secret values never appear in kordon's output, also not through a CEL message an expression
 * builds from a Secret (`messageExpression: "'token ' + string(object.data.token)"`): every
 * value of a Secret's `data` (as written and decoded) and `stringData` is replaced in such text.
 */
import type { K8sObject } from '../inventory/types.js';

export const REDACTED = '<redacted>';

/** The values a text about this object must not contain (none unless it is a Secret). */
export function secretValuesOf(obj: K8sObject): string[] {
  if (obj.kind !== 'Secret') return [];
  const out = new Set<string>();
  const add = (v: unknown): void => {
    if (typeof v !== 'string' || v.length < 3) return;
    out.add(v);
  };
  for (const field of ['data', 'stringData'] as const) {
    const m = obj[field];
    if (!m || typeof m !== 'object') continue;
    for (const v of Object.values(m as Record<string, unknown>)) {
      add(v);
      if (field === 'data' && typeof v === 'string') {
        try {
          add(Buffer.from(v, 'base64').toString('utf8'));
        } catch {
          // not base64: the value as written is redacted
        }
      }
    }
  }
  // longest first, so a value containing another is replaced whole
  return [...out].sort((a, b) => b.length - a.length);
}

export function redact(text: string, values: readonly string[]): string {
  let t = text;
  for (const v of values) if (t.includes(v)) t = t.split(v).join(REDACTED);
  return t;
}
