/** What audit detections read from the objects in requests: pod specs, containers, images. */

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

function list(v: unknown): Obj[] {
  return Array.isArray(v) ? v.map(obj).filter((x): x is Obj => x !== undefined) : [];
}

/** Kinds that carry a pod template, and where. */
const TEMPLATE_PATHS: Record<string, string[][]> = {
  Pod: [['spec']],
  PodTemplate: [['template', 'spec']],
  Deployment: [['spec', 'template', 'spec']],
  ReplicaSet: [['spec', 'template', 'spec']],
  ReplicationController: [['spec', 'template', 'spec']],
  StatefulSet: [['spec', 'template', 'spec']],
  DaemonSet: [['spec', 'template', 'spec']],
  Job: [['spec', 'template', 'spec']],
  CronJob: [['spec', 'jobTemplate', 'spec', 'template', 'spec']],
};

/** The resources of the kinds above (objectRef.resource). */
export const POD_TEMPLATE_RESOURCES: ReadonlySet<string> = new Set(['pods', 'podtemplates', 'deployments', 'replicasets', 'replicationcontrollers', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs']);

/** The pod spec in a request object (a Pod or a workload's template), if any. */
export function podSpecIn(o: unknown): Obj | undefined {
  const root = obj(o);
  if (!root) return undefined;
  const kind = typeof root.kind === 'string' ? root.kind : undefined;
  const paths = kind ? TEMPLATE_PATHS[kind] : undefined;
  const tries = paths ?? [['spec', 'template', 'spec'], ['spec']];
  for (const p of tries) {
    let cur: unknown = root;
    for (const k of p) cur = obj(cur)?.[k];
    const spec = obj(cur);
    if (spec && (Array.isArray(spec.containers) || Array.isArray(spec.initContainers))) return spec;
  }
  return undefined;
}

export interface ContainerInfo {
  name: string;
  image?: string;
  kind: 'container' | 'initContainer' | 'ephemeralContainer';
  sc?: Obj;
}

export function containersOf(spec: Obj): ContainerInfo[] {
  const out: ContainerInfo[] = [];
  for (const [key, kind] of [['initContainers', 'initContainer'], ['containers', 'container'], ['ephemeralContainers', 'ephemeralContainer']] as const) {
    for (const c of list(spec[key])) {
      const info: ContainerInfo = { name: typeof c.name === 'string' ? c.name : '?', kind };
      if (typeof c.image === 'string') info.image = c.image;
      const sc = obj(c.securityContext);
      if (sc) info.sc = sc;
      out.push(info);
    }
  }
  return out;
}

export function hostPathsOf(spec: Obj): Array<{ volume: string; path: string }> {
  const out: Array<{ volume: string; path: string }> = [];
  for (const v of list(spec.volumes)) {
    const hp = obj(v.hostPath);
    if (hp && typeof hp.path === 'string') out.push({ volume: typeof v.name === 'string' ? v.name : '?', path: hp.path });
  }
  return out;
}

/** The image repository without tag or digest (`docker.io/calico/node:v3` → `docker.io/calico/node`). */
export function imageRepository(image: string): string {
  let s = image;
  const at = s.indexOf('@');
  if (at >= 0) s = s.slice(0, at);
  const slash = s.lastIndexOf('/');
  const colon = s.lastIndexOf(':');
  if (colon > slash) s = s.slice(0, colon);
  return s;
}

export { obj as asObject, list as asList };
