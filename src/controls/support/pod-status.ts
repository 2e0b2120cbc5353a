/** Live pod status: container statuses and the Events about pods (read from a cluster or a snapshot). */
import type { Inventory } from '../../inventory/inventory.js';
import type { K8sObject } from '../../inventory/types.js';
import { asRecord } from './workloads.js';

export interface ContainerStatus {
  name: string;
  restartCount: number;
  waitingReason?: string;
  lastTerminatedReason?: string;
  terminatedReason?: string;
  /** Pointer of the status inside the pod. */
  pointer: string;
}

export function containerStatuses(pod: K8sObject): ContainerStatus[] {
  const status = asRecord(pod['status']);
  if (!status) return [];
  const out: ContainerStatus[] = [];
  for (const field of ['initContainerStatuses', 'containerStatuses']) {
    const list = status[field];
    if (!Array.isArray(list)) continue;
    list.forEach((s, i) => {
      const r = asRecord(s);
      if (!r || typeof r['name'] !== 'string') return;
      const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
      out.push({
        name: r['name'],
        restartCount: typeof r['restartCount'] === 'number' ? r['restartCount'] : 0,
        ...optional('waitingReason', str(asRecord(asRecord(r['state'])?.['waiting'])?.['reason'])),
        ...optional('terminatedReason', str(asRecord(asRecord(r['state'])?.['terminated'])?.['reason'])),
        ...optional('lastTerminatedReason', str(asRecord(asRecord(r['lastState'])?.['terminated'])?.['reason'])),
        pointer: `/status/${field}/${i}`,
      });
    });
  }
  return out;
}

function optional<K extends string>(k: K, v: string | undefined): Partial<Record<K, string>> {
  return v === undefined ? {} : ({ [k]: v } as Record<K, string>);
}

export interface EventInfo {
  reason: string;
  type: string;
  count: number;
  kind: string;
  name: string;
  namespace: string;
}

/** A core/v1 or events.k8s.io/v1 Event's main fields (events.k8s.io names them regarding/note/deprecatedCount). */
export function eventInfo(ev: K8sObject, inv: Inventory): EventInfo | undefined {
  const target = asRecord(ev['involvedObject']) ?? asRecord(ev['regarding']);
  const reason = ev['reason'];
  if (!target || typeof reason !== 'string' || typeof target['name'] !== 'string') return undefined;
  const count = typeof ev['count'] === 'number' ? ev['count'] : typeof ev['deprecatedCount'] === 'number' ? ev['deprecatedCount'] : asRecord(ev['series'])?.['count'];
  return {
    reason,
    type: typeof ev['type'] === 'string' ? ev['type'] : '',
    count: typeof count === 'number' ? count : 1,
    kind: typeof target['kind'] === 'string' ? target['kind'] : '',
    name: target['name'],
    namespace: typeof target['namespace'] === 'string' ? target['namespace'] : inv.namespaceOf(ev) ?? 'default',
  };
}

/** The pod an event is about is in the inputs with its container statuses (the statuses are judged instead). */
export function podStatusKnown(inv: Inventory, e: EventInfo): boolean {
  if (e.kind !== 'Pod') return false;
  const pod = inv.get('Pod', e.namespace, e.name);
  return pod !== undefined && containerStatuses(pod.object).length > 0;
}
