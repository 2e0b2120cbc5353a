/**
 * The cluster context the webhook keeps for controls that look beyond the reviewed object (a
 * pod's ServiceAccount, its namespace's labels, the Roles a binding grants, ...): the objects of
 * a few kinds, listed once and then kept current with a watch per kind, as client-go's
 * reflector does: the watch starts at the list's resourceVersion, asks for bookmarks (so a
 * quiet kind's resourceVersion stays recent), starts again from the last resourceVersion seen
 * when the server ends it, lists again when the server answers 410 Gone (the resourceVersion
 * is too old), and backs off (0.8 s doubling to 30 s, with jitter) after errors. A watch that
 * hears nothing, not even a bookmark, for longer than its timeout is dropped and started
 * again. Read-only: list and watch on these kinds is all the webhook's RBAC grants; Secrets
 * and ConfigMaps are never read. The watches go through @kubernetes/client-node's `Watch` with
 * the kubeconfig's credentials, the lists through kordon's API client (plain JSON, as scans).
 */
import type { K8sObject } from '../inventory/types.js';
import type { ApiClient } from '../sources/cluster/client.js';
import type { ReviewContext } from './review.js';

/** The resources kept, as `group/version` + plural. */
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

type ContextResource = (typeof CONTEXT_RESOURCES)[number];

export interface ContextStatus {
  /** Every kind has been listed once (or its list failed: see problems). */
  loaded: boolean;
  objects: number;
  /** Kinds that cannot be listed or watched at the moment (with the reason). */
  problems: string[];
  /** Lists made (the first ones, and again after 410 Gone). */
  lists: number;
}

interface ListPage {
  items?: unknown[];
  metadata?: { continue?: string; resourceVersion?: string };
}

/** How the context reads the API: paged lists and watches. */
export interface ContextTransport {
  list(path: string): Promise<ListPage>;
  /**
   * Watch `path` (the collection, without `watch=true`): `onEvent` for each event, `onDone`
   * once when the watch ends (an error, or undefined when the server closed it). Resolves to
   * what stops it.
   */
  watch(path: string, query: Record<string, string>, onEvent: (type: string, object: unknown) => void, onDone: (err: unknown) => void): Promise<{ abort(): void }>;
}

/** The transport of a real cluster: lists with kordon's client, watches with @kubernetes/client-node. */
export async function clusterTransport(client: Pick<ApiClient, 'getJson' | 'kc'>): Promise<ContextTransport> {
  const { Watch } = await import('@kubernetes/client-node');
  const watcher = new Watch(client.kc);
  return {
    list: (path) => client.getJson<ListPage>(path),
    watch: async (path, query, onEvent, onDone) => watcher.watch(path, query, (type: string, obj: unknown) => onEvent(type, obj), (err: unknown) => onDone(err ?? undefined)),
  };
}

export interface ContextOptions {
  log?: (entry: Record<string, unknown>) => void;
  /** Base of the backoff after errors (default 800 ms, doubled each failure up to maxBackoffMs). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Server-side timeout of one watch, in seconds (default 5 to 10 minutes, chosen at random per watch). */
  watchTimeoutSeconds?: () => number;
}

const collectionPath = (r: ContextResource): string => `${r.apiVersion.includes('/') ? `/apis/${r.apiVersion}` : `/api/${r.apiVersion}`}/${r.resource}`;

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as Error & { statusCode?: number }).statusCode;
    return code ? `${code} ${err.message}` : err.message;
  }
  return String(err);
}

/** One kind, listed and watched. */
class Reflector {
  readonly items = new Map<string, K8sObject>();
  resourceVersion: string | undefined;
  listedOnce = false;
  problem: string | undefined;
  private failures = 0;
  private generation = 0;
  private current: { abort(): void } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;

  constructor(
    readonly r: ContextResource,
    private readonly ctx: ClusterContext,
  ) {}

  private key(o: K8sObject): string {
    return `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
  }

  private accept(raw: unknown): K8sObject | undefined {
    if (!raw || typeof raw !== 'object') return undefined;
    const obj = { ...(raw as K8sObject), apiVersion: this.r.apiVersion, kind: this.r.kind } as K8sObject;
    if (!obj.metadata || typeof obj.metadata !== 'object' || typeof obj.metadata.name !== 'string') return undefined;
    return obj;
  }

  private backoff(): number {
    const base = Math.min(this.ctx.maxBackoffMs, this.ctx.backoffMs * 2 ** Math.min(this.failures, 20));
    this.failures++;
    return Math.round(base * (1 + Math.random() * 0.5));
  }

  private later(ms: number, f: () => void): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.ctx.stopped) f();
    }, ms);
    this.timer.unref();
  }

  /** List every page, replace the items, then watch from the list's resourceVersion. */
  async list(): Promise<void> {
    if (this.ctx.stopped) return;
    const gen = ++this.generation;
    const items = new Map<string, K8sObject>();
    let rv: string | undefined;
    let cont: string | undefined;
    try {
      do {
        const page = await this.ctx.transport.list(`${collectionPath(this.r)}?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
        rv ??= typeof page.metadata?.resourceVersion === 'string' ? page.metadata.resourceVersion : undefined;
        for (const raw of Array.isArray(page.items) ? page.items : []) {
          const obj = this.accept(raw);
          if (obj) items.set(this.key(obj), obj);
        }
        cont = page.metadata?.continue || undefined;
      } while (cont);
    } catch (err) {
      if (gen !== this.generation || this.ctx.stopped) return;
      this.problem = `${this.r.resource}: ${describe(err)}`;
      this.listedOnce = true;
      const wait = this.backoff();
      this.ctx.note({ event: 'context list failed', resource: this.r.resource, error: describe(err), retryInMs: wait });
      this.later(wait, () => void this.list());
      return;
    }
    if (gen !== this.generation || this.ctx.stopped) return;
    this.ctx.lists++;
    this.replace(items);
    this.resourceVersion = rv;
    this.problem = undefined;
    this.failures = 0;
    this.listedOnce = true;
    this.watch();
  }

  private replace(items: Map<string, K8sObject>): void {
    for (const [k, o] of this.items) if (!items.has(k)) this.ctx.removed(this.r, o);
    this.items.clear();
    for (const [k, o] of items) {
      this.items.set(k, o);
      this.ctx.changed(this.r, o);
    }
  }

  private watch(): void {
    if (this.ctx.stopped) return;
    const gen = ++this.generation;
    const timeout = Math.max(1, Math.round(this.ctx.watchTimeoutSeconds()));
    let gone = false;
    let failed: string | undefined;
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      if (this.watchdog) clearTimeout(this.watchdog);
      this.current?.abort();
    };
    const arm = (): void => {
      if (this.watchdog) clearTimeout(this.watchdog);
      // a watch that hears nothing (not even a bookmark) well past its timeout is stale
      this.watchdog = setTimeout(() => {
        if (gen !== this.generation) return;
        failed = 'no event within the watch timeout';
        end();
        onDone(undefined);
      }, (timeout + 30) * 1000);
      this.watchdog.unref();
    };
    const onEvent = (type: string, raw: unknown): void => {
      if (gen !== this.generation || ended) return;
      arm();
      const meta = (raw as { metadata?: { resourceVersion?: unknown } } | null)?.metadata;
      if (type === 'BOOKMARK') {
        if (typeof meta?.resourceVersion === 'string') this.resourceVersion = meta.resourceVersion;
        return;
      }
      if (type === 'ERROR') {
        const status = raw as { code?: number; reason?: string; message?: string } | null;
        if (status?.code === 410 || status?.reason === 'Expired' || status?.reason === 'Gone') gone = true;
        else failed = `${status?.code ?? ''} ${status?.reason ?? 'error event'}`.trim();
        end();
        onDone(undefined);
        return;
      }
      const obj = this.accept(raw);
      if (!obj) return;
      if (typeof obj.metadata.resourceVersion === 'string') this.resourceVersion = obj.metadata.resourceVersion;
      const k = this.key(obj);
      if (type === 'ADDED' || type === 'MODIFIED') {
        this.items.set(k, obj);
        this.ctx.changed(this.r, obj);
        this.failures = 0;
      } else if (type === 'DELETED') {
        const old = this.items.get(k);
        this.items.delete(k);
        if (old) this.ctx.removed(this.r, old);
      }
    };
    let doneOnce = false;
    const onDone = (err: unknown): void => {
      if (doneOnce || gen !== this.generation) return;
      doneOnce = true;
      end();
      if (this.ctx.stopped) return;
      if (gone || (err as { statusCode?: number } | undefined)?.statusCode === 410) {
        this.ctx.note({ event: 'context watch expired', resource: this.r.resource, relist: true });
        void this.list();
        return;
      }
      if (err !== undefined || failed) {
        this.problem = `${this.r.resource}: watch ${failed ?? describe(err)}`;
        const wait = this.backoff();
        this.ctx.note({ event: 'context watch failed', resource: this.r.resource, error: failed ?? describe(err), retryInMs: wait });
        this.later(wait, () => this.watch());
        return;
      }
      // the server ended the watch (its timeout): go on from the last resourceVersion
      this.problem = undefined;
      this.watch();
    };
    arm();
    const query: Record<string, string> = { allowWatchBookmarks: 'true', timeoutSeconds: String(timeout) };
    if (this.resourceVersion) query['resourceVersion'] = this.resourceVersion;
    this.ctx.transport
      .watch(collectionPath(this.r), query, onEvent, onDone)
      .then((handle) => {
        if (gen !== this.generation || ended) handle.abort();
        else {
          // the server answered the watch: the kind is current again
          this.current = handle;
          this.problem = undefined;
          this.failures = 0;
        }
      })
      .catch((err: unknown) => onDone(err ?? new Error('watch failed')));
  }

  stop(): void {
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    if (this.watchdog) clearTimeout(this.watchdog);
    this.current?.abort();
    this.current = undefined;
  }
}

export class ClusterContext implements ReviewContext {
  /** Objects by namespace ('' for cluster-scoped), each under `kind/namespace/name`. */
  private readonly index = new Map<string, Map<string, K8sObject>>();
  private readonly cache = new Map<string, readonly K8sObject[]>();
  private readonly reflectors: Reflector[];
  private firstLoad: Promise<void> | undefined;
  stopped = false;
  lists = 0;
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  readonly watchTimeoutSeconds: () => number;
  private readonly log: (entry: Record<string, unknown>) => void;

  constructor(
    readonly transport: ContextTransport,
    opts: ContextOptions = {},
  ) {
    this.log = opts.log ?? (() => {});
    this.backoffMs = opts.backoffMs ?? 800;
    this.maxBackoffMs = opts.maxBackoffMs ?? 30_000;
    this.watchTimeoutSeconds = opts.watchTimeoutSeconds ?? (() => 300 * (1 + Math.random()));
    this.reflectors = CONTEXT_RESOURCES.map((r) => new Reflector(r, this));
  }

  /** The context of a real cluster through `client` (its kubeconfig's credentials). */
  static async forCluster(client: Pick<ApiClient, 'getJson' | 'kc'>, opts: ContextOptions = {}): Promise<ClusterContext> {
    return new ClusterContext(await clusterTransport(client), opts);
  }

  get status(): ContextStatus {
    let objects = 0;
    for (const r of this.reflectors) objects += r.items.size;
    return {
      loaded: this.reflectors.every((r) => r.listedOnce),
      objects,
      problems: this.reflectors.flatMap((r) => (r.problem ? [r.problem] : [])),
      lists: this.lists,
    };
  }

  objectsFor(namespace: string | undefined): readonly K8sObject[] {
    const key = namespace ?? '';
    let out = this.cache.get(key);
    if (!out) {
      out = [...(this.index.get('')?.values() ?? []), ...(namespace ? (this.index.get(namespace)?.values() ?? []) : [])];
      this.cache.set(key, out);
    }
    return out;
  }

  /** @internal a reflector saw an object added or changed. */
  changed(r: ContextResource, o: K8sObject): void {
    const ns = r.namespaced ? (o.metadata.namespace ?? '') : '';
    if (r.namespaced && ns === '') return;
    let m = this.index.get(ns);
    if (!m) this.index.set(ns, (m = new Map()));
    m.set(`${r.kind}/${ns}/${o.metadata.name}`, o);
    this.invalidate(ns);
  }

  /** @internal a reflector saw an object deleted. */
  removed(r: ContextResource, o: K8sObject): void {
    const ns = r.namespaced ? (o.metadata.namespace ?? '') : '';
    const m = this.index.get(ns);
    if (!m) return;
    m.delete(`${r.kind}/${ns}/${o.metadata.name}`);
    if (m.size === 0) this.index.delete(ns);
    this.invalidate(ns);
  }

  private invalidate(ns: string): void {
    if (ns === '') this.cache.clear();
    else this.cache.delete(ns);
  }

  /** @internal */
  note(entry: Record<string, unknown>): void {
    this.log(entry);
  }

  /**
   * Lists every kind and starts the watches; resolves when every kind has been listed once
   * (or its list failed and is being retried).
   */
  start(): Promise<void> {
    this.firstLoad ??= (async () => {
      await Promise.all(this.reflectors.map((r) => r.list()));
      const s = this.status;
      this.log({ event: 'context listed', objects: s.objects, ...(s.problems.length ? { problems: s.problems } : {}) });
    })();
    return this.firstLoad;
  }

  stop(): void {
    this.stopped = true;
    for (const r of this.reflectors) r.stop();
  }
}
