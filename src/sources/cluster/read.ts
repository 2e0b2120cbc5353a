/**
 * Reads a live cluster: discovers every listable resource, lists each with pagination
 * (`limit`/`continue`) and bounded concurrency, and hands objects over page by page, so memory
 * is bounded by what the caller keeps, not by response sizes. A resource that cannot be listed
 * (a 403 or 404, a timeout, a reset or cut-short body after retries, an answer that is no list,
 * more than `maxPages` pages or a repeated continue token) never stops the read: it becomes a
 * coverage entry with the reason and an InputProblem. What the read cannot start without
 * (`/version`, `/api`, `/apis`) is an UnreachableError naming the context and the server.
 */
import type { InputProblem, K8sObject, Origin } from '../../inventory/types.js';
import { ApiClient, ApiError, UnreachableError, type ClusterConnection } from './client.js';
import { discoverResources, errorText, listPath, resourceLabel, type ApiResource } from './discovery.js';
import { DEFAULT_LIMITS, exceedsDepth } from '../manifests/parse.js';
import { redactSecret } from './redact.js';
import { readKubeletConfigs } from './node-config.js';

export interface ReadClusterOptions extends ClusterConnection {
  /** Only these namespaces (cluster-scoped resources are still read). */
  namespaces?: string[];
  /** Parallel list calls (default 4). */
  concurrency?: number;
  /** Page size (default 500). */
  pageSize?: number;
  /** Pages followed per list before it is reported as cut short (default 10,000). */
  maxPages?: number;
  /** Called with each object as its page arrives (already redacted). */
  onObject: (obj: K8sObject, origin: Origin) => void | Promise<void>;
  onProgress?: (p: ReadProgress) => void;
  /** Read each node's kubelet configuration through nodes/NAME/proxy/configz (default true). */
  nodeConfig?: boolean;
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

/** Pages followed per list, by default (500 objects each: 5 million objects of one resource). */
export const DEFAULT_MAX_PAGES = 10_000;
/** Objects nested deeper than this are not taken (the limit files have). */
const MAX_OBJECT_DEPTH = DEFAULT_LIMITS.maxDepth;

/** What the server must answer for a read to start at all: its failure is an UnreachableError. */
async function required<T>(client: ApiClient, what: () => Promise<T>): Promise<T> {
  try {
    return await what();
  } catch (err) {
    if (err instanceof ApiError) throw new UnreachableError(`cannot read the cluster (${client.where}): GET ${err.path}: ${fatalText(err)}`);
    throw err;
  }
}

function fatalText(err: ApiError): string {
  if (err.status === 401) return '401 Unauthorized: the API server rejected the credentials (a wrong or expired token or client certificate)';
  if (err.status === 403) return '403 Forbidden: the user may not read the API discovery';
  if (err.reason === 'BadResponse') return `${errorText(err)} (is this a Kubernetes API server?)`;
  if (err.status !== undefined && (err.status === 429 || err.status >= 500)) return `${err.status} ${err.reason} (also after retries)`;
  return errorText(err);
}

async function readWith(client: ApiClient, source: string, opts: ReadClusterOptions): Promise<ClusterReadResult> {
  const version = await required(client, () => client.getJson<unknown>('/version'));
  if (!isObject(version)) throw new UnreachableError(`cannot read the cluster (${client.where}): GET /version: the answer is not a version object (is this a Kubernetes API server?)`);
  const serverVersion: NonNullable<ClusterReadResult['serverVersion']> = {};
  for (const k of ['major', 'minor', 'gitVersion', 'platform'] as const) if (typeof version[k] === 'string') serverVersion[k] = version[k] as string;
  const { resources, problems } = await required(client, () => discoverResources(client, source, Math.max(1, opts.concurrency ?? 4)));
  const jobs: Array<{ r: ApiResource; ns?: string }> = [];
  for (const r of resources) {
    if (r.namespaced && opts.namespaces?.length) for (const ns of [...opts.namespaces].sort()) jobs.push({ r, ns });
    else jobs.push({ r });
  }
  const coverage: CoverageEntry[] = [];
  const nodeNames: string[] = [];
  let objects = 0;
  let done = 0;
  const pageSize = opts.pageSize ?? 500;
  const maxPages = opts.maxPages ?? DEFAULT_MAX_PAGES;
  const runJob = async ({ r, ns }: { r: ApiResource; ns?: string }): Promise<void> => {
    const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
    const entry: CoverageEntry = { resource: resourceLabel(r), apiVersion, kind: r.kind, ...(ns ? { namespace: ns } : {}), count: 0 };
    const where = ns ? ` in namespace ${ns}` : '';
    const after = (): string => (entry.count ? ` (after ${entry.count} objects)` : '');
    let cont: string | undefined;
    const tokens = new Set<string>();
    let pages = 0;
    let skipped = 0;
    try {
      do {
        if (pages >= maxPages) {
          entry.error = 'TooManyPages';
          problems.push({ source, code: 'api-error', severity: 'error', message: `cannot list ${entry.resource}${where}: stopped after ${maxPages} pages (--max-pages)${after()}` });
          break;
        }
        const q = `?limit=${pageSize}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`;
        const path = listPath(r, ns) + q;
        const page = await client.getJson<unknown>(path);
        pages++;
        if (!isObject(page) || !(page['items'] === undefined || page['items'] === null || Array.isArray(page['items']))) {
          throw new ApiError(`${path}: the answer is not a list`, 200, 'BadResponse', path);
        }
        for (const item of (page['items'] as unknown[] | null | undefined) ?? []) {
          if (!isObject(item) || exceedsDepth(item, MAX_OBJECT_DEPTH)) {
            skipped++;
            continue;
          }
          const obj = item as K8sObject;
          obj.apiVersion = apiVersion;
          obj.kind = r.kind;
          if (!isObject(obj.metadata)) obj.metadata = {};
          delete obj.metadata['managedFields'];
          redactSecret(obj);
          if (r.kind === 'Node' && r.group === '' && typeof obj.metadata.name === 'string') nodeNames.push(obj.metadata.name);
          await opts.onObject(obj, { source, documentIndex: 0, itemPointer: '', line: 0, column: 0, via: 'cluster' });
          entry.count++;
          objects++;
        }
        const meta = page['metadata'];
        const next = isObject(meta) && typeof meta['continue'] === 'string' && meta['continue'] !== '' ? meta['continue'] : undefined;
        if (next !== undefined && tokens.has(next)) {
          entry.error = 'RepeatedContinue';
          problems.push({ source, code: 'api-error', severity: 'error', message: `cannot list ${entry.resource}${where}: the server repeated a continue token; stopped${after()}` });
          break;
        }
        if (next !== undefined) tokens.add(next);
        cont = next;
      } while (cont);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      // this resource is a gap in the coverage; what was read of it, and everything else, stays
      entry.error = err.reason;
      if (err.status !== undefined) entry.status = err.status;
      problems.push({
        source,
        code: err.status === 403 ? 'forbidden' : err.status === 404 ? 'not-found' : 'api-error',
        severity: 'error',
        message: `cannot list ${entry.resource}${where}: ${errorText(err)}${after()}`,
      });
    }
    if (skipped) {
      problems.push({ source, code: 'not-an-object', severity: 'error', message: `${entry.resource}${where}: ${skipped} list items are not objects or are nested more than ${MAX_OBJECT_DEPTH} levels deep; skipped` });
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
  if (opts.nodeConfig !== false && nodeNames.length > 0) {
    const configs = await readKubeletConfigs(client, source, nodeNames, concurrency, opts.onObject);
    objects += configs.read;
    problems.push(...configs.problems);
  }
  coverage.sort((a, b) => (a.resource + '/' + (a.namespace ?? '') < b.resource + '/' + (b.namespace ?? '') ? -1 : 1));
  problems.sort((a, b) => (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
  return { source, context: client.contextName, server: client.server, ...(Object.keys(serverVersion).length ? { serverVersion } : {}), coverage, problems, objects };
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Stable order for objects read concurrently: apiVersion, kind, namespace, name. */
export function compareObjects(a: K8sObject, b: K8sObject): number {
  const ka = `${a.apiVersion}\u0000${a.kind}\u0000${a.metadata.namespace ?? ''}\u0000${a.metadata.name ?? ''}`;
  const kb = `${b.apiVersion}\u0000${b.kind}\u0000${b.metadata.namespace ?? ''}\u0000${b.metadata.name ?? ''}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
