/**
 * Test helper: creates objects in the test API server (plain https, admin identity), for the
 * kinds the scenarios use.
 */
import { apiRequest, type ControlPlaneInfo } from './controlplane.js';
import type { K8sObject } from '../../src/inventory/types.js';

const PLURALS: Record<string, [string, boolean]> = {
  Namespace: ['namespaces', false],
  Node: ['nodes', false],
  ServiceAccount: ['serviceaccounts', true],
  Secret: ['secrets', true],
  ConfigMap: ['configmaps', true],
  Service: ['services', true],
  Pod: ['pods', true],
  Deployment: ['deployments', true],
  StatefulSet: ['statefulsets', true],
  DaemonSet: ['daemonsets', true],
  ReplicaSet: ['replicasets', true],
  Job: ['jobs', true],
  CronJob: ['cronjobs', true],
  Ingress: ['ingresses', true],
  NetworkPolicy: ['networkpolicies', true],
  Role: ['roles', true],
  RoleBinding: ['rolebindings', true],
  ClusterRole: ['clusterroles', false],
  ClusterRoleBinding: ['clusterrolebindings', false],
  PersistentVolumeClaim: ['persistentvolumeclaims', true],
  HorizontalPodAutoscaler: ['horizontalpodautoscalers', true],
};

export function collectionPath(obj: K8sObject): string {
  const entry = PLURALS[obj.kind];
  if (!entry) throw new Error(`apply.ts does not know kind ${obj.kind}`);
  const [plural, namespaced] = entry;
  const base = obj.apiVersion.includes('/') ? `/apis/${obj.apiVersion}` : `/api/${obj.apiVersion}`;
  return namespaced ? `${base}/namespaces/${obj.metadata.namespace ?? 'default'}/${plural}` : `${base}/${plural}`;
}

export function objectPath(obj: K8sObject): string {
  return `${collectionPath(obj)}/${obj.metadata.name}`;
}

/** Creates each object (namespaces first); an object that exists already is left as it is. */
export async function applyObjects(cp: Pick<ControlPlaneInfo, 'server' | 'caFile' | 'credentials'>, objects: K8sObject[], opts: { dryRun?: boolean; user?: string } = {}): Promise<Array<{ obj: K8sObject; status: number; body: any }>> {
  const sorted = [...objects].sort((a, b) => Number(b.kind === 'Namespace') - Number(a.kind === 'Namespace'));
  const out: Array<{ obj: K8sObject; status: number; body: any }> = [];
  for (const obj of sorted) {
    const q = opts.dryRun ? '?dryRun=All' : '';
    const r = await apiRequest(cp, opts.user ?? 'admin', 'POST', collectionPath(obj) + q, obj);
    if (r.status >= 300 && r.status !== 409) throw new Error(`creating ${obj.kind} ${obj.metadata.namespace ?? ''}/${obj.metadata.name}: ${r.status} ${r.text.slice(0, 300)}`);
    out.push({ obj, status: r.status, body: r.body });
  }
  return out;
}
