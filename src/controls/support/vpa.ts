/** VerticalPodAutoscaler (autoscaling.k8s.io) helpers. */
import { apiGroupOf } from '../../inventory/inventory.js';
import type { K8sObject } from '../../inventory/types.js';
import { asRecord } from './workloads.js';

export function isVpa(o: K8sObject): boolean {
  return o.kind === 'VerticalPodAutoscaler' && typeof o.apiVersion === 'string' && apiGroupOf(o.apiVersion) === 'autoscaling.k8s.io';
}

export function vpaTarget(o: K8sObject): { kind: string; name: string } | undefined {
  const ref = asRecord(asRecord(o['spec'])?.['targetRef']);
  return ref && typeof ref['kind'] === 'string' && typeof ref['name'] === 'string' ? { kind: ref['kind'], name: ref['name'] } : undefined;
}

/** The VPA changes pods (updateMode Auto, Recreate or InPlaceOrRecreate; Auto is the default). */
export function vpaActs(o: K8sObject): boolean {
  const mode = asRecord(asRecord(o['spec'])?.['updatePolicy'])?.['updateMode'];
  return mode === undefined || mode === 'Auto' || mode === 'Recreate' || mode === 'InPlaceOrRecreate';
}
