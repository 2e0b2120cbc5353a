/**
 * Prometheus Operator monitors (ServiceMonitor, PodMonitor): what they select, read once for the
 * controls that judge them.
 */
import type { Inventory } from '../../inventory/inventory.js';
import type { InventoryObject, K8sObject } from '../../inventory/types.js';
import { apiGroupOf } from '../../inventory/inventory.js';
import { asRecord, objectsIn, ownLabelsOf, podsSelectedBy, selectedBy, workloadsIn } from './workloads.js';

export interface MonitorScope {
  /** The namespaces the monitor looks in (`namespaceSelector.matchNames`, else its own), or every one. */
  namespaces: string[] | 'any';
  /** Its `spec.selector` as written. */
  selector: unknown;
  /** `namespace "shop"`, `namespaces "a", "b"` or `any namespace`, for messages. */
  where: string;
}

/** The scope of a monitor.coreos.com monitor with a selector; undefined for anything else. */
export function monitorScope(object: K8sObject, inv: Inventory): MonitorScope | undefined {
  if (apiGroupOf(object.apiVersion) !== 'monitoring.coreos.com') return undefined;
  const spec = asRecord(object['spec']);
  if (!spec || spec['selector'] === undefined) return undefined;
  const nsSel = asRecord(spec['namespaceSelector']);
  const own = inv.namespaceOf(object) ?? 'default';
  const namespaces: string[] | 'any' = nsSel?.['any'] === true ? 'any' : Array.isArray(nsSel?.['matchNames']) ? (nsSel['matchNames'] as unknown[]).filter((n): n is string => typeof n === 'string') : [own];
  const where = namespaces === 'any' ? 'any namespace' : `namespace${namespaces.length > 1 ? 's' : ''} ${namespaces.map((n) => `"${n}"`).join(', ')}`;
  return { namespaces, selector: spec['selector'], where };
}

/** The Services of a monitor's namespaces, a list per namespace (every Service for `any`). */
function serviceLists(scope: MonitorScope, inv: Inventory): ReadonlyArray<readonly InventoryObject[]> {
  return scope.namespaces === 'any' ? [inv.byKind('Service')] : [...new Set(scope.namespaces)].map((n) => objectsIn(inv, 'Service', n));
}

/** The Services in a monitor's namespaces (the selector not applied), namespace by namespace. */
export function servicesInScope(scope: MonitorScope, inv: Inventory): InventoryObject[] {
  return serviceLists(scope, inv).flat();
}

/**
 * The Services of a monitor's namespaces its selector selects (by their own labels), looked up
 * through a label-pair index of each namespace's Services rather than tried one by one.
 */
export function servicesSelected(scope: MonitorScope, inv: Inventory): InventoryObject[] {
  return serviceLists(scope, inv).flatMap((list) => selectedBy(list, scope.selector, ownLabelsOf));
}

/** The pod-bearing workloads of these namespaces a PodMonitor's selector selects. */
export function workloadsSelected(namespaces: readonly string[], selector: unknown, inv: Inventory): InventoryObject[] {
  return [...new Set(namespaces)].flatMap((n) => podsSelectedBy(workloadsIn(inv, n), selector));
}

/**
 * The scrape endpoints (`spec.<field>[i].port`) naming a port that is not in `declared`: each
 * with its index, for the finding's pointer.
 */
export function undeclaredPorts(monitor: K8sObject, field: 'endpoints' | 'podMetricsEndpoints', declared: ReadonlySet<string>): Array<{ index: number; port: string }> {
  const endpoints = asRecord(monitor['spec'])?.[field];
  if (!Array.isArray(endpoints)) return [];
  const out: Array<{ index: number; port: string }> = [];
  endpoints.forEach((e, index) => {
    const port = asRecord(e)?.['port'];
    if (typeof port === 'string' && port !== '' && !declared.has(port)) out.push({ index, port });
  });
  return out;
}
