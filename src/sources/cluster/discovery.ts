/** API discovery: every listable resource, including CRDs and aggregated APIs. */
import type { ApiClient } from './client.js';
import { ApiError } from './client.js';
import type { InputProblem } from '../../inventory/types.js';

export interface ApiResource {
  /** '' for the core group. */
  group: string;
  version: string;
  /** Plural resource name (`deployments`). */
  resource: string;
  kind: string;
  namespaced: boolean;
}

interface APIResource {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
}

/** Resources a security scan never needs (noise, or not objects). */
const SKIPPED = new Set(['events', 'events.events.k8s.io', 'componentstatuses', 'leases.coordination.k8s.io', 'endpointslices.discovery.k8s.io', 'endpoints']);

/** A discovery answer that is JSON but not the shape the API defines. */
function malformed(path: string, what: string): ApiError {
  return new ApiError(`${path}: the answer is not ${what}`, 200, 'BadResponse', path);
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string' && v !== '';
/** Path segments from the server go into request paths: only what the API allows there. */
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The versions of the core group (`/api`). */
async function coreVersions(client: ApiClient): Promise<string[]> {
  const core = await client.getJson<unknown>('/api');
  if (!isObject(core) || !Array.isArray(core['versions'])) throw malformed('/api', 'an APIVersions object');
  return core['versions'].filter((v): v is string => isString(v) && SEGMENT.test(v));
}

/** The preferred group version of every group (`/apis`). */
async function groupVersions(client: ApiClient): Promise<string[]> {
  const body = await client.getJson<unknown>('/apis');
  if (!isObject(body) || !Array.isArray(body['groups'])) throw malformed('/apis', 'an APIGroupList');
  const out: string[] = [];
  for (const g of body['groups']) {
    if (!isObject(g)) continue;
    const preferred = isObject(g['preferredVersion']) ? g['preferredVersion']['groupVersion'] : undefined;
    const first = Array.isArray(g['versions']) && isObject(g['versions'][0]) ? g['versions'][0]['groupVersion'] : undefined;
    const gv = isString(preferred) ? preferred : first;
    if (isString(gv) && gv.split('/').length === 2 && gv.split('/').every((s) => SEGMENT.test(s))) out.push(gv);
  }
  return out;
}

/** The resources of one group version; entries that are not APIResources are left out. */
async function resourcesOf(client: ApiClient, path: string): Promise<{ resources: APIResource[]; malformed: number }> {
  const body = await client.getJson<unknown>(path);
  if (!isObject(body) || !Array.isArray(body['resources'])) throw malformed(path, 'an APIResourceList');
  const resources: APIResource[] = [];
  let bad = 0;
  for (const r of body['resources']) {
    if (isObject(r) && isString(r['name']) && isString(r['kind']) && Array.isArray(r['verbs'])) {
      resources.push({ name: r['name'], kind: r['kind'], namespaced: r['namespaced'] === true, verbs: r['verbs'].filter((v): v is string => typeof v === 'string') });
    } else bad++;
  }
  return { resources, malformed: bad };
}

/**
 * Every listable resource. The core group (`/api`, `/api/v1`) and the group list (`/apis`) must
 * be read (their ApiError is thrown); a group version that cannot be read is a problem.
 */
export async function discoverResources(client: ApiClient, source: string, concurrency = 4): Promise<{ resources: ApiResource[]; problems: InputProblem[] }> {
  const problems: InputProblem[] = [];
  const lists: Array<{ group: string; version: string; resources: APIResource[] }> = [];
  for (const v of await coreVersions(client)) {
    const r = await resourcesOf(client, `/api/${v}`);
    lists.push({ group: '', version: v, resources: r.resources });
    if (r.malformed) problems.push({ source, code: 'api-error', severity: 'error', message: `discovery of ${v}: ${r.malformed} resource entries are malformed and were not read` });
  }
  const versions = await groupVersions(client);
  const found: Array<{ group: string; version: string; resources: APIResource[] } | undefined> = new Array(versions.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, versions.length) }, async () => {
      while (next < versions.length) {
        const i = next++;
        const gv = versions[i]!;
        const [group, version] = gv.split('/') as [string, string];
        try {
          const r = await resourcesOf(client, `/apis/${gv}`);
          found[i] = { group, version, resources: r.resources };
          if (r.malformed) problems.push({ source, code: 'api-error', severity: 'error', message: `discovery of ${gv}: ${r.malformed} resource entries are malformed and were not read` });
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          problems.push({ source, code: err.status === 403 ? 'forbidden' : 'api-error', severity: 'error', message: `cannot discover resources of ${gv}: ${errorText(err)}` });
        }
      }
    }),
  );
  for (const l of found) if (l) lists.push(l);
  problems.sort((a, b) => (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
  const out: ApiResource[] = [];
  const seen = new Set<string>();
  for (const l of lists) {
    for (const r of l.resources) {
      if (r.name.includes('/') || !r.verbs.includes('list') || !SEGMENT.test(r.name)) continue;
      const full = l.group ? `${r.name}.${l.group}` : r.name;
      if (SKIPPED.has(full) || seen.has(full)) continue;
      seen.add(full);
      out.push({ group: l.group, version: l.version, resource: r.name, kind: r.kind, namespaced: r.namespaced });
    }
  }
  out.sort((a, b) => (a.group + '/' + a.resource < b.group + '/' + b.resource ? -1 : a.group + '/' + a.resource > b.group + '/' + b.resource ? 1 : 0));
  return { resources: out, problems };
}

/** An ApiError as a problem says it: the status and reason, or what went wrong without one. */
export function errorText(err: ApiError): string {
  if (err.status !== undefined && err.reason !== 'BadResponse') return `${err.status} ${err.reason}`;
  return err.message.startsWith(err.path + ': ') ? err.message.slice(err.path.length + 2) : err.message;
}

export function resourceLabel(r: ApiResource): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

export function listPath(r: ApiResource, namespace?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  return namespace && r.namespaced ? `${base}/namespaces/${encodeURIComponent(namespace)}/${r.resource}` : `${base}/${r.resource}`;
}
