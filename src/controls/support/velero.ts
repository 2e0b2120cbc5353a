/** Velero (velero.io) objects: whether Velero is installed, and what its schedules back up. */
import type { Inventory } from '../../inventory/inventory.js';
import { apiGroupOf } from '../../inventory/inventory.js';
import type { InventoryObject, K8sObject } from '../../inventory/types.js';
import { asRecord } from './workloads.js';

export function isVelero(obj: K8sObject): boolean {
  return typeof obj.apiVersion === 'string' && apiGroupOf(obj.apiVersion) === 'velero.io';
}

/** Velero is installed: a velero.io object or CRD is in the inputs. */
export function veleroPresent(inv: Inventory): boolean {
  if (inv.objects.some((o) => isVelero(o.object))) return true;
  return inv.byKind('CustomResourceDefinition').some((c) => asRecord(c.object['spec'])?.['group'] === 'velero.io');
}

export function veleroSchedules(inv: Inventory): InventoryObject[] {
  return inv.byKind('Schedule').filter((s) => isVelero(s.object));
}

function globMatches(pattern: string, name: string): boolean {
  if (pattern === '*') return true;
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  return re.test(name);
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The schedule is active (not paused) and its backups include the namespace. */
export function scheduleCovers(schedule: K8sObject, namespace: string): boolean {
  const spec = asRecord(schedule['spec']);
  if (!spec || spec['paused'] === true) return false;
  const template = asRecord(spec['template']) ?? {};
  const included = strings(template['includedNamespaces']);
  const excluded = strings(template['excludedNamespaces']);
  if (excluded.some((p) => globMatches(p, namespace))) return false;
  return included.length === 0 || included.some((p) => globMatches(p, namespace));
}
