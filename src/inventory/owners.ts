/**
 * Template owners: which objects carry a pod spec that comes from their owner's template
 * (a ReplicaSet from its Deployment, a Pod from its ReplicaSet, Job, StatefulSet, DaemonSet,
 * ...). Such an object is judged once, at the top owner present in the inventory, when what it
 * runs is the owner's template; an object that differs from its owner's template (mutated at
 * admission: an injected sidecar, a changed securityContext) or has no owner in the inventory
 * is judged itself. Built once per inventory (the owner lookups go through its key index).
 *
 * The comparison is semantic: fields the API server, admission plugins and controllers add to
 * a pod or a ReplicaSet/Job template are ignored (see IGNORED_* below and docs/deduplication.md).
 */
import type { Inventory } from './inventory.js';
import { podMetadataOf, podSpecOf } from './podspec.js';
import type { InventoryObject, K8sObject } from './types.js';

export interface TemplateOwners {
  /**
   * For each object index: its owner in the inventory whose pod template made it (any template:
   * equal to its own or not), or -1.
   */
  readonly parent: Int32Array;
  /** For each object index: the index of the object that is judged for it, or -1 when it is judged itself. */
  readonly representative: Int32Array;
  /** For each object index: the pods it is judged for (pods whose representative it is), 0 if none. */
  readonly pods: Int32Array;
  /** How many objects are judged through an owner. */
  readonly covered: number;
}

const CACHE = new WeakMap<Inventory, TemplateOwners>();

/** The template-owner index of an inventory (built on first use). */
export function templateOwnersOf(inv: Inventory): TemplateOwners {
  let t = CACHE.get(inv);
  if (!t) CACHE.set(inv, (t = buildTemplateOwners(inv)));
  return t;
}

/** Owner kinds whose pod template becomes their children's spec. */
const TEMPLATE_OWNER_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController']);

function buildTemplateOwners(inv: Inventory): TemplateOwners {
  const n = inv.objects.length;
  const parent = new Int32Array(n).fill(-1);
  const same = new Uint8Array(n); // 1: the object runs its parent's template
  const representative = new Int32Array(n).fill(-1);
  const pods = new Int32Array(n);
  const templates = new Map<number, Json>(); // normalized template per owner, computed once
  const templateOf = (item: InventoryObject, at: number): Json => {
    let t = templates.get(at);
    if (t === undefined) templates.set(at, (t = normalizedTemplate(item.object, undefined)));
    return t;
  };
  const indexOf = (item: InventoryObject): number => (item.index !== undefined && inv.objects[item.index] === item ? item.index : inv.objects.indexOf(item));
  let any = false;
  for (let i = 0; i < n; i++) {
    const item = inv.objects[i]!;
    const obj = item.object;
    const refs = obj.metadata.ownerReferences;
    if (!Array.isArray(refs) || refs.length === 0 || !podSpecOf(obj)) continue;
    const ref = refs.find((r) => r && r.controller === true) ?? (refs.length === 1 ? refs[0] : undefined);
    if (!ref || !TEMPLATE_OWNER_KINDS.has(ref.kind) || typeof ref.name !== 'string') continue;
    const owner = inv.get(ref.kind, inv.namespaceOf(obj), ref.name);
    if (!owner || owner === item || !podSpecOf(owner.object)) continue;
    if (ref.uid && owner.object.metadata.uid && ref.uid !== owner.object.metadata.uid) continue; // a namesake, not the owner
    const o = indexOf(owner);
    if (o === -1) continue;
    parent[i] = o;
    // A pod's normalized form depends on its owner (StatefulSet claim volumes); templates' do not.
    const mine = item.object.kind === 'Pod' ? normalizedTemplate(item.object, owner.object) : templateOf(item, i);
    if (!deepEqual(mine, templateOf(owner, o))) continue; // differs from its template: judged itself
    same[i] = 1;
    any = true;
  }
  let covered = 0;
  if (any) {
    for (let i = 0; i < n; i++) {
      if (!same[i]) continue;
      let top = parent[i]!;
      for (let guard = 0; same[top] && guard < 8; guard++) top = parent[top]!;
      representative[i] = top;
      covered++;
      if (inv.objects[i]!.object.kind === 'Pod') pods[top]!++;
    }
  }
  return { parent, representative, pods, covered };
}

// ---------------------------------------------------------------------------
// The semantic comparison.

/** Labels controllers add to the pods (and templates) they create. */
const IGNORED_LABELS = new Set([
  'pod-template-hash',
  'controller-revision-hash',
  'pod-template-generation',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'controller-uid',
  'job-name',
  'batch.kubernetes.io/controller-uid',
  'batch.kubernetes.io/job-name',
  'batch.kubernetes.io/job-completion-index',
]);

/** Annotations the API server, CNI plugins and controllers add to running pods (prefixes). */
const IGNORED_ANNOTATION_PREFIXES = [
  'cni.projectcalico.org/',
  'k8s.v1.cni.cncf.io/',
  'kubernetes.io/psp',
  'openshift.io/scc',
  'batch.kubernetes.io/job-completion-index',
  'kubernetes.io/config.',
];

/** Pod spec fields set by the scheduler, admission plugins or controllers, which no control judges. */
const IGNORED_SPEC_FIELDS = ['nodeName', 'serviceAccount', 'hostname', 'subdomain', 'priority', 'preemptionPolicy', 'tolerations', 'affinity', 'schedulerName', 'overhead', 'resourceClaims', 'schedulingGates', 'hostnameOverride'];

/** Pod spec fields the API server defaults (absent and default are the same). */
const SPEC_DEFAULTS: Record<string, unknown> = {
  restartPolicy: 'Always',
  terminationGracePeriodSeconds: 30,
  dnsPolicy: 'ClusterFirst',
  enableServiceLinks: true,
};
const CONTAINER_DEFAULTS: Record<string, unknown> = { terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' };
const PROBE_DEFAULTS: Record<string, unknown> = { timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 };

/** The service account token volume the ServiceAccount admission plugin injects. */
const TOKEN_VOLUME_PREFIX = 'kube-api-access-';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What the controls judge in a pod template (or a pod): its labels, annotations and spec, defaults and controller additions left out. */
function normalizedTemplate(obj: K8sObject, owner: K8sObject | undefined): Json {
  const meta = podMetadataOf(obj);
  const spec = podSpecOf(obj)?.spec as unknown as Json | undefined;
  const labels: Json = {};
  for (const [k, v] of Object.entries(meta.labels ?? {})) if (!IGNORED_LABELS.has(k)) labels[k] = v;
  const annotations: Json = {};
  for (const [k, v] of Object.entries(meta.annotations ?? {})) if (!IGNORED_ANNOTATION_PREFIXES.some((p) => k.startsWith(p))) annotations[k] = v;
  return { labels, annotations, spec: spec ? normalizeSpec(spec, owner) : null };
}

/** Structural equality of JSON values (object key order and undefined members do not matter). */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Json;
  const bo = b as Json;
  let n = 0;
  for (const k in ao) {
    if (ao[k] === undefined) continue;
    n++;
    if (!deepEqual(ao[k], bo[k])) return false;
  }
  for (const k in bo) if (bo[k] !== undefined) n--;
  return n === 0;
}

function normalizeSpec(spec: Json, owner: K8sObject | undefined): Json {
  const out: Json = {};
  const claimTemplates = new Set<string>();
  if (owner?.kind === 'StatefulSet') {
    const vct = (owner['spec'] as Json | undefined)?.['volumeClaimTemplates'];
    if (Array.isArray(vct)) for (const t of vct) if (isObj(t) && isObj(t['metadata']) && typeof t['metadata']['name'] === 'string') claimTemplates.add(t['metadata']['name']);
  }
  const hostNetwork = spec['hostNetwork'] === true;
  for (const [k, v] of Object.entries(spec)) {
    if (IGNORED_SPEC_FIELDS.includes(k)) continue;
    if (k in SPEC_DEFAULTS && SPEC_DEFAULTS[k] === v) continue;
    if (k === 'serviceAccountName' && v === 'default') continue; // the ServiceAccount admission plugin's default
    if (k === 'securityContext' && isObj(v) && Object.keys(v).length === 0) continue;
    if (k === 'volumes' && Array.isArray(v)) {
      const vols = v.filter((vol) => !(isObj(vol) && typeof vol['name'] === 'string' && ((vol['name'].startsWith(TOKEN_VOLUME_PREFIX) && isObj(vol['projected'])) || (claimTemplates.has(vol['name']) && isObj(vol['persistentVolumeClaim'])))));
      if (vols.length > 0) out[k] = vols.map(normalizeVolume);
      continue;
    }
    if ((k === 'containers' || k === 'initContainers' || k === 'ephemeralContainers') && Array.isArray(v)) {
      out[k] = v.map((c) => (isObj(c) ? normalizeContainer(c, hostNetwork) : c));
      continue;
    }
    out[k] = v;
  }
  return out;
}

function normalizeVolume(vol: unknown): unknown {
  if (!isObj(vol)) return vol;
  const out: Json = {};
  for (const [k, v] of Object.entries(vol)) {
    if (isObj(v) && (k === 'configMap' || k === 'secret' || k === 'projected' || k === 'downwardAPI')) {
      const { defaultMode, ...rest } = v;
      out[k] = defaultMode === 420 ? rest : v;
    } else if (k === 'hostPath' && isObj(v) && v['type'] === '') {
      const { type: _t, ...rest } = v;
      out[k] = rest;
    } else out[k] = v;
  }
  return out;
}

function normalizeContainer(c: Json, hostNetwork: boolean): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(c)) {
    if (k in CONTAINER_DEFAULTS && CONTAINER_DEFAULTS[k] === v) continue;
    if (k === 'imagePullPolicy' && v === defaultPullPolicy(c['image'])) continue;
    if (k === 'resources' && isObj(v) && Object.keys(v).length === 0) continue;
    if (k === 'volumeMounts' && Array.isArray(v)) {
      const mounts = v.filter((m) => !(isObj(m) && typeof m['name'] === 'string' && m['name'].startsWith(TOKEN_VOLUME_PREFIX)));
      if (mounts.length > 0) out[k] = mounts;
      continue;
    }
    if (k === 'ports' && Array.isArray(v)) {
      out[k] = v.map((p) => {
        if (!isObj(p)) return p;
        const q: Json = {};
        for (const [pk, pv] of Object.entries(p)) {
          if (pk === 'protocol' && pv === 'TCP') continue;
          if (pk === 'hostPort' && hostNetwork && pv === p['containerPort']) continue; // defaulted for host-network pods
          q[pk] = pv;
        }
        return q;
      });
      continue;
    }
    if ((k === 'livenessProbe' || k === 'readinessProbe' || k === 'startupProbe') && isObj(v)) {
      const q: Json = {};
      for (const [pk, pv] of Object.entries(v)) {
        if (pk in PROBE_DEFAULTS && PROBE_DEFAULTS[pk] === pv) continue;
        if (pk === 'httpGet' && isObj(pv) && pv['scheme'] === 'HTTP') {
          const { scheme: _s, ...rest } = pv;
          q[pk] = rest;
        } else q[pk] = pv;
      }
      out[k] = q;
      continue;
    }
    if (k === 'env' && Array.isArray(v)) {
      out[k] = v.map((e) => {
        const ref = isObj(e) && isObj(e['valueFrom']) ? e['valueFrom']['fieldRef'] : undefined;
        if (!isObj(ref) || ref['apiVersion'] !== 'v1') return e;
        const { apiVersion: _a, ...rest } = ref;
        return { ...(e as Json), valueFrom: { ...((e as Json)['valueFrom'] as Json), fieldRef: rest } };
      });
      continue;
    }
    out[k] = v;
  }
  return out;
}

/** What the API server defaults imagePullPolicy to: Always for `:latest` or no tag (and no digest), else IfNotPresent. */
function defaultPullPolicy(image: unknown): string | undefined {
  if (typeof image !== 'string') return undefined;
  if (image.includes('@')) return 'IfNotPresent';
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  const tag = colon > slash ? image.slice(colon + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}
