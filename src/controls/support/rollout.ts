/** Rollout settings of Deployments, StatefulSets and DaemonSets (int-or-percent values, as the controllers resolve them). */
import type { K8sObject } from '../../inventory/types.js';
import { asRecord, specOf } from './workloads.js';

/**
 * An int-or-string rollout value resolved against a replica count: a whole number as is, a
 * percentage rounded as the controllers do (`roundUp` for maxSurge, down for maxUnavailable).
 * Undefined when malformed.
 */
export function resolveIntOrPercent(v: unknown, total: number, roundUp: boolean): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  if (typeof v !== 'string') return undefined;
  const m = /^(\d+)%$/.exec(v.trim());
  if (!m) return undefined;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** The rolling-update block of a Deployment (`spec.strategy.rollingUpdate`) or StatefulSet/DaemonSet (`spec.updateStrategy.rollingUpdate`). */
export function rollingUpdateOf(obj: K8sObject): { type: string; rollingUpdate: Record<string, unknown>; pointer: string } {
  const field = obj.kind === 'Deployment' ? 'strategy' : 'updateStrategy';
  const s = asRecord(specOf(obj)[field]) ?? {};
  const type = typeof s['type'] === 'string' ? s['type'] : obj.kind === 'StatefulSet' || obj.kind === 'DaemonSet' || obj.kind === 'Deployment' ? 'RollingUpdate' : '';
  return { type, rollingUpdate: asRecord(s['rollingUpdate']) ?? {}, pointer: `/spec/${field}` };
}
