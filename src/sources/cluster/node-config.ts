/**
 * The kubelets' configuration as the API server proxies it: `GET /api/v1/nodes/NAME/proxy/configz`
 * (permitted to whoever may `get nodes/proxy`, a powerful right kordon reports itself: KOR-0213).
 * Each answer becomes a KubeletConfiguration object named after its node, annotated
 * with where it was read, so scans, snapshots and `kordon node` judge CIS 4.2 on it. What cannot
 * be read is one warning per cause (the CIS items of those nodes then need node access).
 */
import type { InputProblem, K8sObject, Origin } from '../../inventory/types.js';
import { ApiError, type ApiClient } from './client.js';
import { errorText } from './discovery.js';

export const CONFIGZ_ANNOTATION = 'kordon.dev/read-from';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The KubeletConfiguration object of a configz answer, or undefined when the answer is not one. */
export function kubeletConfigOf(node: string, answer: unknown): K8sObject | undefined {
  if (!isObject(answer) || !isObject(answer['kubeletconfig'])) return undefined;
  const { apiVersion: _a, kind: _k, metadata: _m, ...config } = answer['kubeletconfig'];
  return { apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', metadata: { name: node, annotations: { [CONFIGZ_ANNOTATION]: `nodes/${node}/proxy/configz` } }, ...config };
}

/**
 * The most kubelets asked, by default: one proxied request each through the API server; node
 * pools share their configuration, so the first ones by name stand for a large cluster.
 */
export const MAX_CONFIGZ_NODES = 500;

export async function readKubeletConfigs(client: ApiClient, source: string, nodes: string[], concurrency: number, onObject: (obj: K8sObject, origin: Origin) => void | Promise<void>, max = MAX_CONFIGZ_NODES): Promise<{ problems: InputProblem[]; read: number }> {
  const failures = new Map<string, string[]>();
  let read = 0;
  let next = 0;
  const all = [...new Set(nodes)].sort();
  const names = all.slice(0, Math.max(0, max));
  await Promise.all(
    Array.from({ length: Math.min(Math.max(1, concurrency), names.length) }, async () => {
      while (next < names.length) {
        const node = names[next++]!;
        let cause: string | undefined;
        try {
          // one attempt: a kubelet that does not answer is a fact about the node, not a flaky server
          const answer = await client.getJson<unknown>(`/api/v1/nodes/${encodeURIComponent(node)}/proxy/configz`, { retries: 0 });
          const obj = kubeletConfigOf(node, answer);
          if (obj) {
            await onObject(obj, { source, documentIndex: 0, itemPointer: '', line: 0, column: 0, via: 'cluster' });
            read++;
          } else cause = 'the answer is not a kubelet configuration';
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          cause = err.status === 403 ? '403 Forbidden (get nodes/proxy is not permitted)' : errorText(err).replace(/^\/api\/v1\/nodes\/[^:]*:\s*/, '');
        }
        if (cause) failures.set(cause, [...(failures.get(cause) ?? []), node]);
      }
    }),
  );
  const problems: InputProblem[] = [];
  if (all.length > names.length) {
    problems.push({ source, code: 'api-error', severity: 'warning', message: `the kubelet configuration was read for the first ${names.length} of ${all.length} nodes by name (one request through the API server each); the CIS 4.2 items of the other ${all.length - names.length} need node access or a read of their own` });
  }
  problems.push(...[...failures.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([cause, list]) => ({
    source,
    code: cause.startsWith('403') ? 'forbidden' : 'api-error',
    severity: 'warning',
    message: `the kubelet configuration (nodes/NAME/proxy/configz) of ${list.length} ${list.length === 1 ? 'node' : 'nodes'} could not be read: ${cause} (${list.sort().slice(0, 5).join(', ')}${list.length > 5 ? `, and ${list.length - 5} more` : ''}); their CIS 4.2 items need node access`,
  } satisfies InputProblem)));
  return { problems, read };
}
