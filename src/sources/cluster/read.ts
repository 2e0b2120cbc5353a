/**
 * Reads a live cluster: discovers every listable resource, lists each with pagination
 * (`limit`/`continue`) and bounded concurrency, and hands objects over page by page, so memory
 * is bounded by what the caller keeps, not by response sizes. A 403 or 404 on a resource
 * never stops the read: it becomes a coverage entry and an InputProblem.
 */
import type { InputProblem, K8sObject, Origin } from '../../inventory/types.js';
import { ApiClient, ApiError, type ClusterConnection } from './client.js';
import { discoverResources, listPath, resourceLabel, type ApiResource } from './discovery.js';
import { redactSecret } from './redact.js';

export interface ReadClusterOptions extends ClusterConnection {
  /** Only these namespaces (cluster-scoped resources are still read). */
  namespaces?: string[];
  /** Parallel list calls (default 4). */
  concurrency?: number;
  /** Page size (default 500). */
  pageSize?: number;
  /** Called with each object as its page arrives (already redacted). */
  onObject: (obj: K8sObject, origin: Origin) => void | Promise<void>;
  onProgress?: (p: ReadProgress) => void;
  /** Use this client instead of building one (tests). */
  client?: ApiClient;
}

export interface ReadProgress {
  resourcesDone: number;
  resourcesTotal: number;
  objects: number;
  current: string;
}

export interface CoverageEntry {
  resource: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  /** Objects read. */
  count: number;
  /** Why it could not be (fully) read. */
  error?: string;
  status?: number;
}

export interface ClusterReadResult {
  source: string;
  context: string;
  server: string;
  serverVersion?: { major?: string; minor?: string; gitVersion?: string; platform?: string };
  coverage: CoverageEntry[];
  problems: InputProblem[];
  objects: number;
}

interface ListPage {
  metadata?: { continue?: string; resourceVersion?: string };
  items?: K8sObject[];
}

export async function readCluster(opts: ReadClusterOptions): Promise<ClusterReadResult> {
  const client = opts.client ?? (await ApiClient.create(opts));
  const source = `cluster:${client.contextName}`;
  try {
    return await readWith(client, source, opts);
  } finally {
    if (!opts.client) client.close();
  }
}

async function readWith(client: ApiClient, source: string, opts: ReadClusterOptions): Promise<ClusterReadResult> {
  const serverVersion = await client.getJson<ClusterReadResult['serverVersion']>('/version');
  const { resources, problems } = await discoverResources(client, source, Math.max(1, opts.concurrency ?? 4));
  const jobs: Array<{ r: ApiResource; ns?: string }> = [];
  for (const r of resources) {
    if (r.namespaced && opts.namespaces?.length) for (const ns of [...opts.namespaces].sort()) jobs.push({ r, ns });
    else jobs.push({ r });
  }
  const coverage: CoverageEntry[] = [];
  let objects = 0;
  let done = 0;
  const pageSize = opts.pageSize ?? 500;
  const runJob = async ({ r, ns }: { r: ApiResource; ns?: string }): Promise<void> => {
    const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
    const entry: CoverageEntry = { resource: resourceLabel(r), apiVersion, kind: r.kind, ...(ns ? { namespace: ns } : {}), count: 0 };
    let cont: string | undefined;
    try {
      do {
        const q = `?limit=${pageSize}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`;
        const page = await client.getJson<ListPage>(listPath(r, ns) + q);
        for (const item of page.items ?? []) {
          const obj = item as K8sObject;
          obj.apiVersion = apiVersion;
          obj.kind = r.kind;
          obj.metadata ??= {};
          delete obj.metadata['managedFields'];
          redactSecret(obj);
          await opts.onObject(obj, { source, documentIndex: 0, itemPointer: '', line: 0, column: 0, via: 'cluster' });
          entry.count++;
          objects++;
        }
        cont = page.metadata?.continue || undefined;
      } while (cont);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      entry.error = err.reason;
      entry.status = err.status;
      const where = ns ? ` in namespace ${ns}` : '';
      problems.push({
        source,
        code: err.status === 403 ? 'forbidden' : err.status === 404 ? 'not-found' : 'api-error',
        severity: 'error',
        message: `cannot list ${entry.resource}${where}: ${err.status ?? ''} ${err.reason}${entry.count ? ` (after ${entry.count} objects)` : ''}`,
      });
    }
    coverage.push(entry);
    done++;
    opts.onProgress?.({ resourcesDone: done, resourcesTotal: jobs.length, objects, current: entry.resource });
  };
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, jobs.length) }, async () => {
      while (next < jobs.length) await runJob(jobs[next++]!);
    }),
  );
  coverage.sort((a, b) => (a.resource + '/' + (a.namespace ?? '') < b.resource + '/' + (b.namespace ?? '') ? -1 : 1));
  return { source, context: client.contextName, server: client.server, ...(serverVersion ? { serverVersion } : {}), coverage, problems, objects };
}

/** Stable order for objects read concurrently: apiVersion, kind, namespace, name. */
export function compareObjects(a: K8sObject, b: K8sObject): number {
  const ka = `${a.apiVersion}\u0000${a.kind}\u0000${a.metadata.namespace ?? ''}\u0000${a.metadata.name ?? ''}`;
  const kb = `${b.apiVersion}\u0000${b.kind}\u0000${b.metadata.namespace ?? ''}\u0000${b.metadata.name ?? ''}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
