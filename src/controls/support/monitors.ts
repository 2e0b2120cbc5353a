/**
 * Prometheus Operator monitors (ServiceMonitor, PodMonitor): what they select, read once for the
 * controls that judge them.
 */
import type { Inventory } from '../../inventory/inventory.js';
import type { InventoryObject, K8sObject } from '../../inventory/types.js';
import { apiGroupOf } from '../../inventory/inventory.js';
import { compileSelector } from '../../network/selector.js';
import { asRecord } from './workloads.js';

export interface MonitorScope {
  /** The namespaces the monitor looks in (`namespaceSelector.matchNames`, else its own), or every one. */
  namespaces: string[] | 'any';
  /** Its `spec.selector`, compiled. */
  matches: (labels: Record<string, string>) => boolean;
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
  return { namespaces, matches: compileSelector(spec['selector']), where };
}

/** The Services in a monitor's namespaces (the selector not applied). */
export function servicesInScope(scope: MonitorScope, inv: Inventory): InventoryObject[] {
  return inv.byKind('Service').filter((s) => scope.namespaces === 'any' || scope.namespaces.includes(inv.namespaceOf(s.object) ?? 'default'));
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
