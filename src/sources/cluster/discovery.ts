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

interface APIResourceList {
  groupVersion: string;
  resources: Array<{ name: string; kind: string; namespaced: boolean; verbs: string[] }>;
}

interface APIGroupList {
  groups: Array<{ name: string; preferredVersion?: { groupVersion: string; version: string }; versions: Array<{ groupVersion: string; version: string }> }>;
}

/** Resources a security scan never needs (noise, or not objects). */
const SKIPPED = new Set(['events', 'events.events.k8s.io', 'componentstatuses', 'leases.coordination.k8s.io', 'endpointslices.discovery.k8s.io', 'endpoints']);

export async function discoverResources(client: ApiClient, source: string, concurrency = 4): Promise<{ resources: ApiResource[]; problems: InputProblem[] }> {
  const problems: InputProblem[] = [];
  const lists: APIResourceList[] = [];
  const core = await client.getJson<{ versions: string[] }>('/api');
  for (const v of core.versions) lists.push(await client.getJson<APIResourceList>(`/api/${v}`));
  const groups = await client.getJson<APIGroupList>('/apis');
  const versions = groups.groups.map((g) => g.preferredVersion?.groupVersion ?? g.versions[0]?.groupVersion).filter((gv): gv is string => Boolean(gv));
  const found: Array<APIResourceList | undefined> = new Array(versions.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, versions.length) }, async () => {
      while (next < versions.length) {
        const i = next++;
        const gv = versions[i]!;
        try {
          found[i] = await client.getJson<APIResourceList>(`/apis/${gv}`);
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          problems.push({ source, code: err.status === 403 ? 'forbidden' : 'api-error', severity: 'error', message: `cannot discover resources of ${gv}: ${err.status ?? ''} ${err.reason}` });
        }
      }
    }),
  );
  for (const l of found) if (l) lists.push(l);
  problems.sort((a, b) => (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
  const out: ApiResource[] = [];
  for (const l of lists) {
    const [group, version] = l.groupVersion.includes('/') ? (l.groupVersion.split('/') as [string, string]) : ['', l.groupVersion];
    for (const r of l.resources) {
      if (r.name.includes('/') || !r.verbs.includes('list')) continue;
      const full = group ? `${r.name}.${group}` : r.name;
      if (SKIPPED.has(full)) continue;
      out.push({ group, version, resource: r.name, kind: r.kind, namespaced: r.namespaced });
    }
  }
  out.sort((a, b) => (a.group + '/' + a.resource < b.group + '/' + b.resource ? -1 : 1));
  return { resources: out, problems };
}

export function resourceLabel(r: ApiResource): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

export function listPath(r: ApiResource, namespace?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  return namespace && r.namespaced ? `${base}/namespaces/${encodeURIComponent(namespace)}/${r.resource}` : `${base}/${r.resource}`;
}
