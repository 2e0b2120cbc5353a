/**
 * Prometheus Operator monitors (ServiceMonitor, PodMonitor): what they select, read once for the
 * controls that judge them.
 */
import type { Inventory } from '../../inventory/inventory.js';
import type { InventoryObject, K8sObject } from '../../inventory/types.js';
import { apiGroupOf } from '../../inventory/inventory.js';
import { compileSelector } from '../../network/selector.js';
import { asRecord, objectsIn, ownLabelsOf, podsSelectedBy, selectedBy, workloadsIn } from './workloads.js';

export interface MonitorScope {
  /** The namespaces the monitor looks in (`namespaceSelector.matchNames`, else its own), or every one. */
  namespaces: string[] | 'any';
  /** Its `spec.selector`, compiled. */
  matches: (labels: Record<string, string>) => boolean;
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
  return { namespaces, matches: compileSelector(spec['selector']), selector: spec['selector'], where };
}

/** The Services in a monitor's namespaces (the selector not applied), namespace by namespace. */
export function servicesInScope(scope: MonitorScope, inv: Inventory): InventoryObject[] {
  return scope.namespaces === 'any' ? [...inv.byKind('Service')] : [...new Set(scope.namespaces)].flatMap((n) => objectsIn(inv, 'Service', n));
}

/**
 * The Services of a monitor's namespaces its selector selects (by their own labels), looked up
 * through a label-pair index of each namespace's Services rather than tried one by one.
 */
export function servicesSelected(scope: MonitorScope, inv: Inventory): InventoryObject[] {
  const lists = scope.namespaces === 'any' ? [inv.byKind('Service')] : [...new Set(scope.namespaces)].map((n) => objectsIn(inv, 'Service', n));
  return lists.flatMap((list) => selectedBy(list, scope.selector, ownLabelsOf));
}

/** The pod-bearing workloads of a monitor's namespaces its selector selects (PodMonitors). */
export function workloadsSelected(scope: MonitorScope & { namespaces: string[] }, inv: Inventory): InventoryObject[] {
  return [...new Set(scope.namespaces)].flatMap((n) => podsSelectedBy(workloadsIn(inv, n), scope.selector));
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
