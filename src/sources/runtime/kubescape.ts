/**
 * The one reader of Kubescape's ApplicationProfile and ContainerProfile objects
 * (`spdx.softwarecomposition.kubescape.io`), for both of their users: the vulnerabilities'
 * runtime evidence (execs, opens: src/sources/runtime/profiles.ts) and `kordon harden`'s
 * behaviour (syscalls, capabilities: src/sources/runtime/behaviour/read.ts).
 *
 * - whose profile: the labels `kubescape.io/workload-kind`, `-name`, `-namespace` (the object's
 *   namespace when the last is missing);
 * - per container (`spec.containers`, `initContainers`, `ephemeralContainers`; a ContainerProfile
 *   holds one container in `spec`, named by the label `kubescape.io/workload-container-name`
 *   (also read: `kubescape.io/container-name`, as label or annotation) or `spec.name`):
 *   `execs[].path`, `opens[].path` (`⋯` one path segment, `*` any characters), `syscalls[]`,
 *   `capabilities[]` (present and empty: traced, none used; absent: not traced), `imageID`,
 *   `imageTag`;
 * - completeness: `kubescape.io/status: completed` (the learning period ended) and
 *   `kubescape.io/completion: complete` (watched from the container's start); `partial` when
 *   the completion annotation says so; the window starts at `metadata.creationTimestamp`.
 */
import type { K8sObject } from '../../inventory/types.js';
import type { Observation } from './model.js';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const s = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export const KUBESCAPE_GROUP = 'spdx.softwarecomposition.kubescape.io/';
export const KUBESCAPE_PROFILE_KINDS = new Set(['ApplicationProfile', 'ContainerProfile']);

export interface KubescapeContainer {
  name: string;
  image?: string;
  execs: Observation[];
  opens: Observation[];
  syscalls: string[];
  /** undefined: the profile has no capabilities list (not traced); [] traced, none used. */
  capabilities?: string[];
}

export interface KubescapeProfile {
  kind: 'ApplicationProfile' | 'ContainerProfile';
  /** `Kind namespace/name` of the object, for messages. */
  where: string;
  namespace?: string;
  workloadKind?: string;
  workload?: string;
  created?: string;
  status?: string;
  completion?: string;
  /** The learning period ended and the container was watched from its start. */
  complete: boolean;
  /** `kubescape.io/completion: partial`. */
  partial: boolean;
  /** Says why `complete` is what it is. */
  completeness: string;
  containers: KubescapeContainer[];
  /** What could not be read (a container without a name, no spec). */
  problems: string[];
}

/** Path lists (`[{path}]` or strings) as observations; `⋯` and `*` make a pattern. */
export function paths(list: unknown, kind: 'exec' | 'open'): Observation[] {
  const out: Observation[] = [];
  for (const e of Array.isArray(list) ? list : []) {
    const p = typeof e === 'string' ? e : isObj(e) ? s(e['path']) : undefined;
    if (!p) continue;
    const pattern = p.includes('\u22ef') || p.includes('*');
    out.push(pattern ? { kind, value: p, pattern: true } : { kind, value: p });
  }
  return out;
}

function strings(list: unknown): string[] {
  return (Array.isArray(list) ? list : []).filter((x): x is string => typeof x === 'string' && x !== '');
}

export function isKubescapeProfile(obj: { kind?: unknown; apiVersion?: unknown }): boolean {
  return typeof obj.kind === 'string' && KUBESCAPE_PROFILE_KINDS.has(obj.kind) && (typeof obj.apiVersion !== 'string' || obj.apiVersion === '' || obj.apiVersion.startsWith(KUBESCAPE_GROUP));
}

export function parseKubescapeProfile(obj: K8sObject): KubescapeProfile {
  const meta = obj.metadata ?? {};
  const labels = (isObj(meta.labels) ? meta.labels : {}) as Record<string, string>;
  const ann = (isObj(meta.annotations) ? meta.annotations : {}) as Record<string, string>;
  const kind = obj.kind as KubescapeProfile['kind'];
  const where = `${kind} ${meta.namespace ? `${meta.namespace}/` : ''}${meta.name ?? '<unnamed>'}`;
  const status = s(ann['kubescape.io/status']);
  const completion = s(ann['kubescape.io/completion']);
  const complete = status === 'completed' && completion === 'complete';
  const created = s(meta['creationTimestamp']);
  const namespace = s(labels['kubescape.io/workload-namespace']) ?? s(meta.namespace);
  const workloadKind = s(labels['kubescape.io/workload-kind']);
  const workload = s(labels['kubescape.io/workload-name']);
  const problems: string[] = [];
  const containers: KubescapeContainer[] = [];
  const spec = isObj(obj['spec']) ? obj['spec'] : undefined;
  const one = (c: Json, name: string | undefined): void => {
    if (!name) {
      problems.push(kind === 'ContainerProfile' ? 'names no container (kubescape.io/workload-container-name)' : 'a container without a name');
      return;
    }
    const image = s(c['imageID']) ?? s(c['imageTag']);
    for (const key of ['syscalls', 'capabilities']) {
      const list = c[key];
      const bad = Array.isArray(list) ? list.filter((x) => typeof x !== 'string' || x === '').length : list === undefined || list === null ? 0 : 1;
      if (bad) problems.push(`container ${name}: ${Array.isArray(list) ? `${bad} ${key} ${bad === 1 ? 'entry is' : 'entries are'} not a name` : `${key} is not a list`}`);
    }
    containers.push({
      name,
      ...(image ? { image } : {}),
      execs: paths(c['execs'], 'exec'),
      opens: paths(c['opens'], 'open'),
      syscalls: strings(c['syscalls']),
      ...(Array.isArray(c['capabilities']) ? { capabilities: strings(c['capabilities']) } : {}),
    });
  };
  if (!spec) problems.push('no spec');
  else if (kind === 'ContainerProfile' && !['containers', 'initContainers', 'ephemeralContainers'].some((k) => Array.isArray(spec[k])))
    one(spec, s(labels['kubescape.io/workload-container-name']) ?? s(labels['kubescape.io/container-name']) ?? s(ann['kubescape.io/container-name']) ?? s(spec['name']));
  else for (const list of ['containers', 'initContainers', 'ephemeralContainers']) for (const c of Array.isArray(spec[list]) ? spec[list] : []) if (isObj(c)) one(c, s(c['name']));
  return {
    kind,
    where,
    ...(namespace ? { namespace } : {}),
    ...(workloadKind ? { workloadKind } : {}),
    ...(workload ? { workload } : {}),
    ...(created ? { created } : {}),
    ...(status ? { status } : {}),
    ...(completion ? { completion } : {}),
    complete,
    partial: completion === 'partial',
    completeness: complete
      ? 'kubescape.io/status completed and kubescape.io/completion complete: the learning period ended and the container was watched from its start'
      : `kubescape.io/status ${status ?? 'unset'}, kubescape.io/completion ${completion ?? 'unset'}: not a complete profile`,
    containers,
    problems,
  };
}
