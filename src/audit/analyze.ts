/**
 * The audit analysis: events in (in log order), detections out. Pure: no I/O, no clock (event
 * times only). State is bounded by what it tracks (actors, recent bindings, recent execs,
 * detection groups), never by the number of events:
 *
 * - event detections (detections.ts), aggregated per detection, actor and object;
 * - sequences (KOR-0950..0952): a new binding then its use; an exec into a pod then secret reads
 *   by its service account; a burst of denied requests then an allowed one;
 * - anomalies (KOR-0960): a service account using a verb and resource it never used before,
 *   once it has a history in this log;
 * - admission outcomes (KOR-0970): requests refused by PodSecurity, admission webhooks or
 *   ValidatingAdmissionPolicies, with the object that would have been created;
 * - usage (usage.ts) is fed from the same stream.
 */
import type { Severity } from '../engine/types.js';
import { SEVERITIES } from '../engine/types.js';
import { actingUser, isComplete, succeeded, type AuditEvent, type AuditUser } from '../sources/audit/event.js';
import { defaultDetectionConfig, EVENT_DETECTIONS, type AuditObject, type DetectionConfig, type DetectionDef, type Hit } from './detections.js';
import { CONTEXT_DETECTIONS } from './context-detections.js';
import { asObject, containersOf, podSpecIn } from './pod.js';

export interface Actor {
  username: string;
  kind: 'user' | 'serviceaccount' | 'node' | 'anonymous' | 'system';
  groups: string[];
  /** For service accounts. */
  namespace?: string;
  name?: string;
  /** The identity that impersonated this one. */
  impersonator?: string;
}

export interface DetectionContext {
  /** The detection's own severity before context changed it. */
  baseSeverity: Severity;
  /** Why the severity is what it is (context that raised or lowered it), in order. */
  reasons: string[];
  /** Facts of the events (names, flags; never secret or config values). */
  details: Record<string, string | number | boolean | string[]>;
  /** Events detected (auditIDs lists at most 20). */
  count: number;
  firstSeen?: string;
  lastSeen?: string;
  /** Some of the events were cut by a size limit and judged on part of their fields. */
  truncated?: boolean;
  /** What the actor can reach (with --inventory or --cluster). */
  reach?: { pathsToCrownJewels: number; categories: string[]; example?: string };
  /** For bindings: attack paths the new binding opens (with an inventory). */
  opens?: { paths: number; categories: string[]; example?: string };
}

export interface Detection {
  id: string;
  name: string;
  title: string;
  severity: Severity;
  falco: string[];
  mitre: string[];
  actor: Actor;
  auditIDs: string[];
  objects: AuditObject[];
  context: DetectionContext;
}

export interface AnalyzeOptions {
  config?: DetectionConfig;
  /** Detections (ids, names or globs) not to run. */
  skip?: (id: string, name: string) => boolean;
  /** How long a sequence's second step may follow the first (ms; default 1 h). */
  sequenceWindowMs?: number;
  /** Denied requests (403) that make a burst (default 5), within burstWindowMs (default 5 min). */
  burstCount?: number;
  burstWindowMs?: number;
  /** A service account is judged for first use once it has this many requests (default 20) ... */
  anomalyMinRequests?: number;
  /** ... over at least this long (ms; default 1 h). */
  anomalyMinHistoryMs?: number;
  /** Pod → service account, from an inventory (the log's own pod creations are added). */
  podServiceAccounts?: Map<string, string>;
  /** Called for each new detection group as soon as it is found (streaming output). */
  onDetection?: (d: Detection) => void;
}

const MAX_IDS = 20;

/** A detection → the more specific ones that report the same event instead of it. */
export const SUPERSEDED_BY: Record<string, string[]> = {
  'KOR-0923': ['KOR-0913', 'KOR-0914', 'KOR-0915', 'KOR-0916', 'KOR-0917'],
  'KOR-0916': ['KOR-0915', 'KOR-0917'],
  'KOR-0922': ['KOR-0901', 'KOR-0902', 'KOR-0903', 'KOR-0904', 'KOR-0905', 'KOR-0910', 'KOR-0912', 'KOR-0926'],
  'KOR-0924': [],
};
const MAX_TRACKED = 100_000;

export function actorOf(u: AuditUser, impersonator?: AuditUser): Actor {
  const name = u.username;
  let a: Actor;
  const sa = /^system:serviceaccount:([^:]+):(.+)$/.exec(name);
  if (sa) a = { username: name, kind: 'serviceaccount', groups: u.groups, namespace: sa[1]!, name: sa[2]! };
  else if (name.startsWith('system:node:')) a = { username: name, kind: 'node', groups: u.groups };
  else if (name === 'system:anonymous') a = { username: name, kind: 'anonymous', groups: u.groups };
  else if (name.startsWith('system:')) a = { username: name, kind: 'system', groups: u.groups };
  else a = { username: name, kind: 'user', groups: u.groups };
  if (impersonator) a.impersonator = impersonator.username;
  return a;
}

function actorOfEvent(e: AuditEvent): Actor {
  return actorOf(actingUser(e), e.impersonatedUser ? e.user : undefined);
}

const objKey = (o: AuditObject): string => `${o.apiGroup ?? ''}/${o.resource}/${o.subresource ?? ''}/${o.namespace ?? ''}/${o.name ?? ''}`;

export function rankOf(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/**
 * A map that forgets its oldest insertions beyond `cap` (a ring of keys: O(1) per insertion;
 * taking a Map's first key again and again walks the holes deletions leave: quadratic).
 * A key set again counts from its first insertion.
 */
class Bounded<K, V> extends Map<K, V> {
  private readonly ring: Array<K | undefined> = [];
  private at = 0;
  constructor(private readonly cap: number) {
    super();
  }
  override set(k: K, v: V): this {
    if (super.has(k)) return super.set(k, v);
    const old = this.ring[this.at];
    if (old !== undefined) super.delete(old);
    this.ring[this.at] = k;
    this.at = (this.at + 1) % this.cap;
    return super.set(k, v);
  }
}

interface Group {
  d: Detection;
  firstMs: number;
}

const SENSITIVE = new Set(['secrets', 'pods/exec', 'pods/attach', 'pods/portforward', 'serviceaccounts/token', 'clusterrolebindings', 'rolebindings', 'clusterroles', 'roles', 'nodes/proxy', 'certificatesigningrequests/approval', 'mutatingwebhookconfigurations', 'validatingwebhookconfigurations']);
const WRITE = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

export class AuditAnalyzer {
  private readonly groups = new Map<string, Group>();
  private readonly cfg: DetectionConfig;
  private readonly defs: Map<string, DetectionDef>;
  /** auditIDs judged at ResponseStarted by the streaming detections. */
  private readonly startedJudged = new Bounded<string, true>(MAX_TRACKED);
  /** Bindings created in this log: name → facts. */
  private readonly bindings = new Bounded<string, { auditID: string; ms: number; role: string; subjects: string[]; used: boolean }>(MAX_TRACKED);
  /** pod (ns/name) → service account (ns/name). */
  private readonly podSa: Bounded<string, string>;
  /** Execs: service account username → the exec. */
  private readonly execs = new Bounded<string, { pod: string; auditID: string; ms: number; actor: Actor; reported: Set<string> }>(MAX_TRACKED);
  /** Denied requests per actor. */
  private readonly denials = new Bounded<string, { times: number[]; pairs: Set<string>; ids: string[] }>(MAX_TRACKED);
  /** Service account history for first-use anomalies. */
  private readonly history = new Bounded<string, { firstMs: number; n: number; pairs: Set<string> }>(MAX_TRACKED);
  readonly stats = { judged: 0, detections: 0 };
  private lastMs = NaN;

  constructor(private readonly opts: AnalyzeOptions = {}) {
    this.cfg = opts.config ?? defaultDetectionConfig();
    this.defs = new Map([...EVENT_DETECTIONS, ...CONTEXT_DETECTIONS].filter((d) => !opts.skip?.(d.id, d.name)).map((d) => [d.id, d]));
    this.podSa = new Bounded(MAX_TRACKED * 2);
    for (const [k, v] of opts.podServiceAccounts ?? []) this.podSa.set(k, v);
  }

  private on(id: string): DetectionDef | undefined {
    return this.defs.get(id);
  }

  /** Judges one event (in log order). */
  add(e: AuditEvent): void {
    if (!Number.isNaN(e.timeMs)) this.lastMs = e.timeMs;
    const complete = isComplete(e);
    const started = e.stage === 'ResponseStarted';
    if (!complete && !started) return;
    this.stats.judged++;
    const streamingAlready = complete && this.startedJudged.has(e.auditID);
    if (started) this.startedJudged.set(e.auditID, true);
    const hits: Array<[DetectionDef, Hit]> = [];
    for (const def of this.defs.values()) {
      if (!def.match) continue;
      if (started && !def.streaming) continue;
      if (def.streaming && streamingAlready) continue;
      const hit = def.match(e, this.cfg);
      if (hit) hits.push([def, hit]);
    }
    // one root cause, one detection: the most specific one names the others (`also`)
    const ids = new Set(hits.map(([d]) => d.id));
    for (const [def, hit] of hits) {
      if ((SUPERSEDED_BY[def.id] ?? []).some((id) => ids.has(id))) continue;
      const also = hits.filter(([d]) => (SUPERSEDED_BY[d.id] ?? []).includes(def.id)).map(([d]) => d.id);
      this.record(def, e, also.length ? { ...hit, details: { ...hit.details, also } } : hit, actorOfEvent(e));
    }
    if (complete) {
      this.trackPods(e);
      this.sequences(e);
      this.anomalies(e);
      this.admission(e);
    } else if (started) this.trackExec(e);
  }

  /** Records a hit: a new group, or one more event in an existing group. */
  /** Records a hit; returns the group when it is new. */
  private record(def: DetectionDef, e: AuditEvent, hit: Hit, actor: Actor, earlierIds: string[] = []): Group | undefined {
    const key = `${def.id}\u0000${actor.username}\u0000${actor.impersonator ?? ''}\u0000${hit.key ?? hit.objects.map(objKey).join('|')}`;
    const g = this.groups.get(key);
    const sev = hit.severity ?? def.severity;
    if (g) {
      const c = g.d.context;
      c.count++;
      if (g.d.auditIDs.length < MAX_IDS && !g.d.auditIDs.includes(e.auditID)) g.d.auditIDs.push(e.auditID);
      if (e.time && (!c.lastSeen || e.time > c.lastSeen)) c.lastSeen = e.time;
      if (e.time && (!c.firstSeen || e.time < c.firstSeen)) c.firstSeen = e.time;
      if (rankOf(sev) < rankOf(g.d.severity)) {
        g.d.severity = sev;
        c.baseSeverity = sev;
      }
      if (e.truncated) c.truncated = true;
      mergeDetails(c.details, hit.details);
      return undefined;
    }
    if (this.groups.size >= 200_000) return undefined; // bounded: the report says how many groups there are
    const d: Detection = {
      id: def.id,
      name: def.name,
      title: def.title,
      severity: sev,
      falco: [...def.falco],
      mitre: [...def.mitre],
      actor,
      auditIDs: [...new Set([...earlierIds.slice(0, MAX_IDS - 1), e.auditID])],
      objects: hit.objects,
      context: {
        baseSeverity: sev,
        reasons: [],
        details: { ...hit.details },
        count: 1,
        ...(e.time ? { firstSeen: e.time, lastSeen: e.time } : {}),
        ...(e.truncated ? { truncated: true } : {}),
      },
    };
    const group = { d, firstMs: e.timeMs };
    this.groups.set(key, group);
    this.stats.detections++;
    this.opts.onDetection?.(d);
    return group;
  }

  // --- state for sequences

  private trackPods(e: AuditEvent): void {
    if (e.verb !== 'create' || e.objectRef?.resource !== 'pods' || e.objectRef.subresource || !succeeded(e)) return;
    const o = asObject(e.responseObject) ?? asObject(e.requestObject);
    const meta = asObject(o?.metadata);
    const spec = asObject(o?.spec);
    const ns = (typeof meta?.namespace === 'string' ? meta.namespace : undefined) ?? e.objectRef.namespace;
    const name = (typeof meta?.name === 'string' ? meta.name : undefined) ?? e.objectRef.name;
    if (!ns || !name) return;
    const sa = typeof spec?.serviceAccountName === 'string' ? spec.serviceAccountName : 'default';
    this.podSa.set(`${ns}/${name}`, `${ns}/${sa}`);
  }

  private trackExec(e: AuditEvent): void {
    const r = e.objectRef;
    if (r?.resource !== 'pods' || (r.subresource !== 'exec' && r.subresource !== 'attach') || !r.namespace || !r.name) return;
    // authorized is what matters: the actor may exec there (the kubelet's answer does not change that)
    const decision = e.annotations['authorization.k8s.io/decision'];
    if (decision ? decision !== 'allow' : e.code === 401 || e.code === 403) return;
    const sa = this.podSa.get(`${r.namespace}/${r.name}`);
    if (!sa) return;
    const [ns, name] = sa.split('/');
    this.execs.set(`system:serviceaccount:${ns}:${name}`, { pod: `${r.namespace}/${r.name}`, auditID: e.auditID, ms: e.timeMs, actor: actorOfEvent(e), reported: new Set() });
  }

  private sequences(e: AuditEvent): void {
    const win = this.opts.sequenceWindowMs ?? 3_600_000;
    const user = actingUser(e);
    const r = e.objectRef;
    // exec that completed (not only started) also counts
    if (r?.resource === 'pods' && (r.subresource === 'exec' || r.subresource === 'attach')) this.trackExec(e);
    // 1. binding then use
    if (r && (r.resource === 'rolebindings' || r.resource === 'clusterrolebindings') && !r.subresource && e.verb === 'create' && succeeded(e) && user.username !== 'system:apiserver') {
      const o = asObject(e.requestObject);
      const name = r.name ?? (typeof asObject(o?.metadata)?.name === 'string' ? (asObject(o?.metadata)!.name as string) : undefined);
      if (name) {
        const rr = asObject(o?.roleRef);
        const subjects = (Array.isArray(o?.subjects) ? (o!.subjects as unknown[]) : []).map((s) => {
          const so = asObject(s) ?? {};
          if (so.kind === 'ServiceAccount') return `system:serviceaccount:${typeof so.namespace === 'string' ? so.namespace : (r.namespace ?? '')}:${String(so.name)}`;
          return `${so.kind === 'Group' ? 'group:' : ''}${String(so.name)}`;
        });
        const kind = r.resource === 'rolebindings' ? 'RoleBinding' : 'ClusterRoleBinding';
        this.bindings.set(`${kind}/${r.resource === 'rolebindings' ? `${r.namespace ?? ''}/` : ''}${name}`, { auditID: e.auditID, ms: e.timeMs, role: `${String(rr?.kind ?? '?')}/${String(rr?.name ?? '?')}`, subjects, used: false });
      }
    }
    const reason = e.annotations['authorization.k8s.io/reason'];
    if (reason && e.annotations['authorization.k8s.io/decision'] === 'allow' && this.on('KOR-0950')) {
      const m = /^RBAC: allowed by (RoleBinding|ClusterRoleBinding) "([^"]+)"(?: of (?:Role|ClusterRole) "([^"]+)")? to (\w+) "([^"]+)"(?: in namespace "([^"]+)")?/.exec(reason);
      if (m) {
        // the reason names a RoleBinding as "name/namespace"
        let key: string;
        if (m[1] === 'RoleBinding') {
          const slash = m[2]!.lastIndexOf('/');
          key = slash >= 0 ? `RoleBinding/${m[2]!.slice(slash + 1)}/${m[2]!.slice(0, slash)}` : `RoleBinding/${r?.namespace ?? ''}/${m[2]}`;
        } else key = `ClusterRoleBinding/${m[2]}`;
        const b = this.bindings.get(key);
        if (b && !b.used && (Number.isNaN(b.ms) || Number.isNaN(e.timeMs) || e.timeMs - b.ms <= win)) {
          b.used = true;
          const def = this.on('KOR-0950')!;
          const target = refOf(e);
          this.recordSeq(def, e, { objects: target ? [target] : [], details: { binding: key, role: b.role, bindingAuditID: b.auditID, firstUse: `${e.verb} ${r?.resource ?? e.requestURI ?? ''}${r?.subresource ? `/${r.subresource}` : ''}` }, key: key }, [b.auditID]);
        }
      }
    }
    // 2. exec then secret reads by the pod's service account
    if (r?.resource === 'secrets' && ['get', 'list', 'watch'].includes(e.verb) && succeeded(e) && this.on('KOR-0951')) {
      const x = this.execs.get(user.username);
      if (x && (Number.isNaN(x.ms) || Number.isNaN(e.timeMs) || (e.timeMs >= x.ms && e.timeMs - x.ms <= win))) {
        const samePod = user.podName ? `${r.namespace ?? ''}/${user.podName}` === x.pod || user.podName === x.pod.split('/')[1] : undefined;
        if (samePod !== false) {
          const def = this.on('KOR-0951')!;
          const target = refOf(e);
          this.recordSeq(def, e, {
            objects: [{ resource: 'pods', namespace: x.pod.split('/')[0]!, name: x.pod.split('/')[1]! }, ...(target ? [target] : [])],
            details: { execBy: x.actor.username, execAuditID: x.auditID, serviceAccount: user.username, tokenBoundToPod: samePod === true },
            key: `${x.auditID}`,
          }, [x.auditID], x.actor);
        }
      }
    }
    // 3. denied burst then allowed
    if (this.on('KOR-0952')) {
      const bwin = this.opts.burstWindowMs ?? 300_000;
      const need = this.opts.burstCount ?? 5;
      const pair = `${e.verb} ${r?.resource ?? e.requestURI?.split('?')[0] ?? ''}${r?.subresource ? `/${r.subresource}` : ''}`;
      const st = this.denials.get(user.username);
      if (e.code === 403) {
        const s = st ?? { times: [], pairs: new Set<string>(), ids: [] };
        s.times.push(e.timeMs);
        s.pairs.add(pair);
        if (s.ids.length < MAX_IDS) s.ids.push(e.auditID);
        while (s.times.length > need * 4) s.times.shift();
        if (s.pairs.size > 64) s.pairs.delete(s.pairs.values().next().value!);
        this.denials.set(user.username, s);
      } else if (st && succeeded(e)) {
        const recent = st.times.filter((t) => Number.isNaN(t) || Number.isNaN(e.timeMs) || e.timeMs - t <= bwin);
        const res = r ? `${r.resource}${r.subresource ? `/${r.subresource}` : ''}` : '';
        if (recent.length >= need && (st.pairs.has(pair) || SENSITIVE.has(res) || WRITE.has(e.verb))) {
          const def = this.on('KOR-0952')!;
          const target = refOf(e);
          this.recordSeq(def, e, { objects: target ? [target] : [], details: { denied: recent.length, deniedRequests: [...st.pairs].sort().slice(0, 10), allowed: pair }, key: pair }, st.ids);
          this.denials.delete(user.username);
        }
      }
    }
  }

  private recordSeq(def: DetectionDef, e: AuditEvent, hit: Hit, earlierIds: string[], actor?: Actor): void {
    this.record(def, e, hit, actor ?? actorOfEvent(e), earlierIds);
  }

  private anomalies(e: AuditEvent): void {
    const def = this.on('KOR-0960');
    if (!def) return;
    const user = actingUser(e);
    if (!user.username.startsWith('system:serviceaccount:') || !succeeded(e) || !e.objectRef?.resource) return;
    const res = `${e.objectRef.resource}${e.objectRef.subresource ? `/${e.objectRef.subresource}` : ''}`;
    const pair = `${e.verb} ${e.objectRef.apiGroup ? `${e.objectRef.apiGroup}/` : ''}${res}`;
    const h = this.history.get(user.username);
    if (!h) {
      this.history.set(user.username, { firstMs: e.timeMs, n: 1, pairs: new Set([pair]) });
      return;
    }
    h.n++;
    if (h.pairs.has(pair)) return;
    const minN = this.opts.anomalyMinRequests ?? 20;
    const minMs = this.opts.anomalyMinHistoryMs ?? 3_600_000;
    const established = h.n > minN && !Number.isNaN(h.firstMs) && !Number.isNaN(e.timeMs) && e.timeMs - h.firstMs >= minMs;
    if (h.pairs.size < 512) h.pairs.add(pair);
    if (!established) return;
    const sev: Severity = SENSITIVE.has(res) || (WRITE.has(e.verb) && (res === 'pods' || res.endsWith('bindings'))) ? 'medium' : 'low';
    const target = refOf(e);
    this.record(def, e, {
      objects: target ? [target] : [],
      details: { request: pair, history: `${h.n - 1} earlier requests since ${new Date(h.firstMs).toISOString()}, ${h.pairs.size - 1} distinct verb/resource pairs` },
      severity: sev,
      key: pair,
    }, actorOfEvent(e));
  }

  private admission(e: AuditEvent): void {
    const def = this.on('KOR-0970');
    if (!def || e.code === undefined || e.code < 400) return;
    const msg = e.message ?? '';
    let by: string | undefined;
    let detail: string | undefined;
    const psa = /violates PodSecurity "([^"]+)": (.*)$/s.exec(msg);
    const hook = /admission webhook "([^"]+)" denied the request(?::\s*(.*))?$/s.exec(msg);
    const vap = /ValidatingAdmissionPolicy '([^']+)' with binding '([^']+)' denied request(?::\s*(.*))?$/s.exec(msg);
    if (psa) {
      by = `PodSecurity ${psa[1]}`;
      detail = psa[2];
    } else if (hook) {
      by = `webhook ${hook[1]}`;
      detail = hook[2];
    } else if (vap) {
      by = `ValidatingAdmissionPolicy ${vap[1]} (binding ${vap[2]})`;
      detail = vap[3];
    } else return;
    const target = refOf(e);
    const details: Hit['details'] = { deniedBy: by };
    if (detail) details.reason = detail.slice(0, 500);
    const spec = podSpecIn(e.requestObject);
    if (spec) {
      const cs = containersOf(spec);
      details.images = cs.map((c) => c.image ?? '?');
      const flags = [
        ...cs.filter((c) => c.sc?.privileged === true).map((c) => `privileged:${c.name}`),
        ...(['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((k) => spec[k] === true),
      ];
      if (flags.length) details.wouldHave = flags;
    }
    const kind = asObject(e.requestObject)?.kind;
    if (typeof kind === 'string') details.kind = kind;
    this.record(def, e, { objects: target ? [target] : [], details, severity: spec && details.wouldHave ? 'medium' : 'low' }, actorOfEvent(e));
  }

  /** The detections found so far, in a stable order (severity, id, actor, objects). */
  detections(): Detection[] {
    return [...this.groups.values()].map((g) => g.d).sort(compareDetections);
  }

  /** The time of the last event with a time, for reports. */
  get lastEventMs(): number {
    return this.lastMs;
  }
}

function refOf(e: AuditEvent): AuditObject | undefined {
  const r = e.objectRef;
  if (!r?.resource) return undefined;
  return { resource: r.resource, ...(r.subresource ? { subresource: r.subresource } : {}), ...(r.namespace ? { namespace: r.namespace } : {}), ...(r.name ? { name: r.name } : {}), ...(r.apiGroup ? { apiGroup: r.apiGroup } : {}) };
}

function mergeDetails(into: DetectionContext['details'], more: Hit['details']): void {
  for (const [k, v] of Object.entries(more)) {
    const cur = into[k];
    if (Array.isArray(v) && Array.isArray(cur)) {
      const merged = [...new Set([...cur, ...v])];
      into[k] = merged.length > 20 ? merged.slice(0, 20) : merged;
    } else if (cur === undefined) into[k] = v;
    else if (k === 'outcome' && cur !== v && typeof cur === 'string' && !cur.includes(String(v))) into[k] = `${cur}, ${String(v)}`;
  }
}

export function compareDetections(a: Detection, b: Detection): number {
  return (
    rankOf(a.severity) - rankOf(b.severity) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) ||
    (a.actor.username < b.actor.username ? -1 : a.actor.username > b.actor.username ? 1 : 0) ||
    cmpStr(a.objects.map(objKey).join('|'), b.objects.map(objKey).join('|')) ||
    cmpStr(a.context.firstSeen ?? '', b.context.firstSeen ?? '') ||
    cmpStr(a.auditIDs[0] ?? '', b.auditIDs[0] ?? '')
  );
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
