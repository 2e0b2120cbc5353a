/**
 * What the inputs could not show, per dimension: never silently skipped.
 *
 * Three kinds of entries:
 * - `control`: controls of the dimension that had nothing to judge, grouped by what was missing
 *   (no Ingress objects, no workloads, ...);
 * - `input`: evidence the dimension needs that the inputs do not carry (files have no pod status
 *   or Nodes, no Velero objects were read, the cluster read skipped Events, a resource could not
 *   be listed);
 * - `outside`: what no Kubernetes object shows (metrics, restore tests, the pipelines
 *   themselves): listed so that a score is never read as covering it.
 */
import type { ControlEvaluation } from '../engine/run.js';
import type { Control, Dimension } from '../engine/types.js';
import type { Inventory } from '../inventory/inventory.js';
import type { CoverageEntry } from '../sources/cluster/read.js';

export interface NotJudged {
  kind: 'control' | 'input' | 'outside';
  /** What could not be judged. */
  what: string;
  /** Why. */
  reason: string;
  /** For `control`: the controls concerned (ids). */
  controls?: string[];
}

export interface InputFacts {
  /** Some objects came from a live cluster or a snapshot (they carry status). */
  live: boolean;
  kinds: ReadonlySet<string>;
  /** API groups of the CustomResourceDefinitions and objects read. */
  groups: ReadonlySet<string>;
  coverage: readonly CoverageEntry[];
}

export function inputFacts(inv: Inventory, coverage: readonly CoverageEntry[] = []): InputFacts {
  const kinds = new Set<string>();
  const groups = new Set<string>();
  let live = false;
  for (const o of inv.objects) {
    kinds.add(o.object.kind);
    const av = o.object.apiVersion ?? '';
    if (av.includes('/')) groups.add(av.slice(0, av.indexOf('/')));
    if (o.object.kind === 'CustomResourceDefinition') {
      const g = (o.object as { spec?: { group?: unknown } }).spec?.group;
      if (typeof g === 'string') groups.add(g);
    }
    if (o.origin.via === 'cluster' || o.origin.via === 'snapshot') live = true;
  }
  for (const c of coverage) if (c.count > 0) kinds.add(c.kind);
  return { live, kinds, groups, coverage };
}

interface Evidence {
  dimensions: readonly Dimension[];
  what: string;
  /** The reason it cannot be judged, or undefined when the inputs carry it. */
  missing: (f: InputFacts) => string | undefined;
  kind: 'input' | 'outside';
  /** The object kinds that carry the evidence: controls idle for lack of only these are listed under it (said once). */
  kinds?: readonly string[];
}

const hasKind = (f: InputFacts, ...kinds: string[]) => kinds.some((k) => f.kinds.has(k));

const EVIDENCE: readonly Evidence[] = [
  {
    dimensions: ['Monitoring & Health Checks', 'Applications'],
    what: 'container restarts and OOM kills',
    kinds: ['Event', 'Pod'],
    kind: 'input',
    missing: (f) =>
      !f.live
        ? 'files carry no pod status and no Events: scan the live cluster (--cluster) or a snapshot'
        : hasKind(f, 'Event')
          ? undefined
          : 'no Events were read (the cluster read skips them): restarts and OOM kills are judged from pod status alone, which keeps only the last termination',
  },
  {
    dimensions: ['Monitoring & Health Checks'],
    what: 'scrape targets (ServiceMonitor, PodMonitor)',
    kinds: ['ServiceMonitor', 'PodMonitor'],
    kind: 'input',
    missing: (f) =>
      f.groups.has('monitoring.coreos.com') || hasKind(f, 'ServiceMonitor', 'PodMonitor')
        ? undefined
        : 'no monitoring.coreos.com objects or CRDs in the inputs: monitoring configured outside Kubernetes objects (a Prometheus scrape config, an agent) cannot be seen',
  },
  {
    dimensions: ['Monitoring & Health Checks', 'Scalability', 'Applications'],
    what: 'actual CPU and memory use',
    kind: 'outside',
    missing: () => 'kordon reads no metrics (metrics-server, Prometheus): requests and limits are judged as declared, not against use',
  },
  {
    dimensions: ['Storage & Backup', 'Disaster Recovery'],
    what: 'backup schedules and backups (Velero)',
    kinds: ['Schedule', 'Backup'],
    kind: 'input',
    missing: (f) =>
      f.groups.has('velero.io') || hasKind(f, 'Schedule', 'Backup')
        ? undefined
        : 'no velero.io CRDs or objects in the inputs: backups made by other tools or by the cloud provider cannot be seen',
  },
  {
    dimensions: ['Storage & Backup', 'Disaster Recovery'],
    what: 'volume snapshots',
    kinds: ['VolumeSnapshot', 'VolumeSnapshotClass'],
    kind: 'input',
    missing: (f) => (f.groups.has('snapshot.storage.k8s.io') || hasKind(f, 'VolumeSnapshot', 'VolumeSnapshotClass') ? undefined : 'no snapshot.storage.k8s.io objects (VolumeSnapshot, VolumeSnapshotClass) in the inputs'),
  },
  {
    dimensions: ['Storage & Backup'],
    what: 'storage classes and reclaim policies',
    kinds: ['StorageClass'],
    kind: 'input',
    missing: (f) =>
      hasKind(f, 'StorageClass') ? undefined : 'no StorageClass objects in the inputs (cluster-scoped, rarely in a repository): the reclaim policy and default class of the PVCs cannot be judged',
  },
  {
    dimensions: ['Architecture', 'Disaster Recovery', 'Scalability'],
    what: 'node pools and zones',
    kinds: ['Node'],
    kind: 'input',
    missing: (f) => {
      if (hasKind(f, 'Node')) return undefined;
      if (!f.live) return 'files carry no Node objects: scan the live cluster (--cluster) to judge single node pools and zones';
      const gap = f.coverage.find((c) => c.kind === 'Node' && c.error !== undefined);
      return gap ? `Nodes could not be listed: ${gap.error}` : 'no Node objects were read';
    },
  },
  {
    dimensions: ['Disaster Recovery'],
    what: 'restore tests, RPO and RTO, a second cluster or region',
    kind: 'outside',
    missing: () => 'not visible in the Kubernetes API: whether backups restore, and how fast, is a drill, not an object',
  },
  {
    dimensions: ['CI/CD'],
    what: 'the pipelines themselves',
    kind: 'outside',
    missing: () => 'kordon reads what pipelines deploy (manifests, charts, ownership and GitOps labels), not the CI/CD system: its approvals, tests and secrets are not judged',
  },
  {
    dimensions: ['CI/CD'],
    what: 'GitOps controllers (Argo CD, Flux)',
    kind: 'input',
    missing: (f) =>
      f.groups.has('argoproj.io') || [...f.groups].some((g) => g.endsWith('toolkit.fluxcd.io'))
        ? undefined
        : 'no argoproj.io or toolkit.fluxcd.io objects in the inputs: whether a GitOps controller reconciles these objects is judged from labels and annotations only',
  },
  {
    dimensions: ['Applications'],
    what: 'application behaviour (error rates, latency, logs)',
    kind: 'outside',
    missing: () => 'not in the Kubernetes API: kordon judges how applications are deployed, not how they behave',
  },
  {
    dimensions: ['Scalability'],
    what: 'cluster autoscaling (node group sizes and limits)',
    kind: 'outside',
    missing: () => 'node group sizes and the cluster autoscaler\'s limits live in the cloud provider, not in the Kubernetes API',
  },
  {
    dimensions: ['Security'],
    what: 'image vulnerabilities',
    kind: 'outside',
    missing: () => 'no vulnerability reports or SBOMs are read: images are judged by reference (tag, digest, registry), not by content',
  },
  {
    dimensions: ['Security'],
    what: 'node and control-plane configuration (kubelet, API server flags, etcd)',
    kind: 'input',
    missing: (f) => (f.live ? 'the API does not show kubelet and API server flags: judged only where objects reveal them' : 'files carry no node or control-plane configuration'),
  },
  {
    dimensions: ['Architecture'],
    what: 'the control plane\'s own availability (API server replicas, etcd members)',
    kind: 'input',
    missing: (f) => (f.live ? undefined : 'files carry no control-plane objects: scan the live cluster (--cluster)'),
  },
];

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What the control needed to have something to judge. */
function needed(c: Control): string {
  if (c.targets === 'container' || c.targets === 'podSpec') return 'workloads (pods or pod templates)';
  const kinds = [...new Set(c.kinds)].sort(cmp);
  return kinds.length ? `${kinds.join(', ')} objects` : 'objects';
}

/** The not-judged list of one dimension. */
export function notJudgedFor(dimension: Dimension, controls: readonly Control[], evaluations: ReadonlyMap<string, ControlEvaluation>, facts: InputFacts, withFindings: ReadonlySet<string>): NotJudged[] {
  const out: NotJudged[] = [];
  if (controls.length === 0) out.push({ kind: 'control', what: `every aspect of ${dimension}`, reason: 'no control that ran informs this dimension (none in this kordon version, or the controls chosen in .kordon.yaml or by the library caller left them out)', controls: [] });
  // controls with nothing to judge, grouped by what they needed
  const idle = new Map<string, { kinds: string[]; ids: string[] }>();
  for (const c of controls) {
    const e = evaluations.get(c.id);
    if ((e?.evaluated ?? 0) > 0 || withFindings.has(c.id)) continue;
    const kinds = c.targets === 'container' || c.targets === 'podSpec' ? [] : [...new Set(c.kinds)].sort(cmp);
    const key = needed(c);
    const group = idle.get(key);
    if (group) group.ids.push(c.id);
    else idle.set(key, { kinds, ids: [c.id] });
  }
  // evidence the inputs lack; the idle controls that lack only its kinds are listed with it
  const evidence: NotJudged[] = [];
  for (const ev of EVIDENCE) {
    if (!ev.dimensions.includes(dimension)) continue;
    const why = ev.missing(facts);
    if (why === undefined) continue;
    const folded: string[] = [];
    if (ev.kinds) {
      for (const [key, g] of idle) {
        if (g.kinds.length > 0 && g.kinds.every((k) => ev.kinds!.includes(k))) {
          folded.push(...g.ids);
          idle.delete(key);
        }
      }
    }
    evidence.push({ kind: ev.kind, what: ev.what, reason: why, ...(folded.length ? { controls: folded.sort(cmp) } : {}) });
  }
  for (const [need, g] of [...idle].sort((a, b) => cmp(a[0], b[0]))) {
    g.ids.sort(cmp);
    out.push({ kind: 'control', what: `${g.ids.length} control(s) with nothing to judge`, reason: `no ${need} in the inputs`, controls: g.ids });
  }
  out.push(...evidence);
  // resources a cluster read could not list, when a control of this dimension judges their kind
  const judgedKinds = new Set<string>();
  for (const c of controls) {
    if (c.targets === 'container' || c.targets === 'podSpec') for (const k of ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob']) judgedKinds.add(k);
    else for (const k of c.kinds) judgedKinds.add(k);
  }
  for (const c of facts.coverage) {
    if (!c.error || !judgedKinds.has(c.kind)) continue;
    out.push({ kind: 'input', what: `${c.kind} (${c.resource}${c.namespace ? ` in ${c.namespace}` : ''})`, reason: `could not be read: ${c.error}` });
  }
  return out;
}
