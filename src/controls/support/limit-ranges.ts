/** LimitRange items (core/v1): their type and bounds as numbers. */
import type { K8sObject } from '../../inventory/types.js';
import { asRecord, parseQuantity, specOf } from './workloads.js';

export interface LimitItem {
  index: number;
  type: string;
  bound: (field: 'max' | 'min' | 'default' | 'defaultRequest' | 'maxLimitRequestRatio', resource: string) => { value: number; raw: string } | undefined;
  resources: string[];
}

export function limitItems(lr: K8sObject): LimitItem[] {
  const limits = specOf(lr)['limits'];
  if (!Array.isArray(limits)) return [];
  return limits.flatMap((l, index) => {
    const r = asRecord(l);
    if (!r || typeof r['type'] !== 'string') return [];
    const fields = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const;
    const resources = [...new Set(fields.flatMap((f) => Object.keys(asRecord(r[f]) ?? {})))].sort();
    return [{
      index,
      type: r['type'],
      resources,
      bound: (field, resource) => {
        const raw = asRecord(r[field])?.[resource];
        const value = parseQuantity(raw);
        return value === undefined ? undefined : { value, raw: String(raw) };
      },
    }];
  });
}
