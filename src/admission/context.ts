/**
 * The cluster context the webhook keeps for controls that look beyond the reviewed object (a
 * pod's ServiceAccount, its namespace's labels, the Roles a binding grants, ...): the objects of
 * a few kinds, re-listed from the API server every `refreshMs` (read-only: list on these kinds is
 * all the webhook's RBAC grants). Secrets and ConfigMaps are never read.
 */
import type { K8sObject } from '../inventory/types.js';
import type { ApiClient } from '../sources/cluster/client.js';
import type { ReviewContext } from './review.js';

/** The resources listed, as `group/version` + plural. */
export const CONTEXT_RESOURCES: ReadonlyArray<{ apiVersion: string; resource: string; kind: string; namespaced: boolean }> = [
  { apiVersion: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false },
  { apiVersion: 'v1', resource: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true },
  { apiVersion: 'v1', resource: 'services', kind: 'Service', namespaced: true },
  { apiVersion: 'v1', resource: 'limitranges', kind: 'LimitRange', namespaced: true },
  { apiVersion: 'v1', resource: 'resourcequotas', kind: 'ResourceQuota', namespaced: true },
  { apiVersion: 'networking.k8s.io/v1', resource: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true },
  { apiVersion: 'rbac.authorization.k8s.io/v1', resource: 'roles', kind: 'Role', namespaced: true },
  { apiVersion: 'rbac.authorization.k8s.io/v1', resource: 'rolebindings', kind: 'RoleBinding', namespaced: true },
  { apiVersion: 'rbac.authorization.k8s.io/v1', resource: 'clusterroles', kind: 'ClusterRole', namespaced: false },
  { apiVersion: 'rbac.authorization.k8s.io/v1', resource: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false },
];

export interface ContextStatus {
  loaded: boolean;
  objects: number;
  /** Resources the last refresh could not list (with the reason). */
  problems: string[];
}

export class ClusterContext implements ReviewContext {
  private byNamespace = new Map<string, K8sObject[]>();
  private clusterScoped: K8sObject[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  status: ContextStatus = { loaded: false, objects: 0, problems: [] };

  constructor(
    private readonly client: Pick<ApiClient, 'getJson'>,
    private readonly refreshMs = 30_000,
    private readonly log: (entry: Record<string, unknown>) => void = () => {},
  ) {}

  objectsFor(namespace: string | undefined): readonly K8sObject[] {
    const ns = namespace ? (this.byNamespace.get(namespace) ?? []) : [];
    return [...this.clusterScoped, ...ns];
  }

  /** One full list of every context resource; the previous state stays until it completes. */
  async refresh(): Promise<void> {
    const byNamespace = new Map<string, K8sObject[]>();
    const clusterScoped: K8sObject[] = [];
    const problems: string[] = [];
    let count = 0;
    for (const r of CONTEXT_RESOURCES) {
      const base = r.apiVersion.includes('/') ? `/apis/${r.apiVersion}` : `/api/${r.apiVersion}`;
      let cont: string | undefined;
      try {
        do {
          const page = await this.client.getJson<{ items?: unknown[]; metadata?: { continue?: string } }>(`${base}/${r.resource}?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
          for (const raw of Array.isArray(page.items) ? page.items : []) {
            if (!raw || typeof raw !== 'object') continue;
            const obj = { ...(raw as K8sObject), apiVersion: r.apiVersion, kind: r.kind } as K8sObject;
            if (!obj.metadata || typeof obj.metadata !== 'object') continue;
            count++;
            if (r.namespaced && typeof obj.metadata.namespace === 'string') {
              const list = byNamespace.get(obj.metadata.namespace) ?? [];
              list.push(obj);
              byNamespace.set(obj.metadata.namespace, list);
            } else clusterScoped.push(obj);
          }
          cont = page.metadata?.continue || undefined;
        } while (cont);
      } catch (err) {
        problems.push(`${r.resource}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    this.byNamespace = byNamespace;
    this.clusterScoped = clusterScoped;
    this.status = { loaded: true, objects: count, problems };
    this.log({ event: 'context refreshed', objects: count, ...(problems.length ? { problems } : {}) });
  }

  /** Refreshes now and then every `refreshMs` until stopped. */
  async start(): Promise<void> {
    await this.refresh();
    const tick = (): void => {
      if (this.stopped) return;
      this.timer = setTimeout(() => void this.refresh().catch(() => undefined).finally(tick), this.refreshMs);
      this.timer.unref();
    };
    tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
