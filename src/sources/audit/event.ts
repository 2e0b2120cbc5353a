/**
 * The audit event as kordon judges it: what an audit.k8s.io/v1 (or v1beta1) Event carries,
 * normalised. Real logs mix versions and shapes; an event is judged on what it carries, so every
 * field but the identity of the request is optional (docs/audit.md).
 */

export type Stage = 'RequestReceived' | 'ResponseStarted' | 'ResponseComplete' | 'Panic';
const STAGES: ReadonlySet<string> = new Set(['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic']);

export interface AuditUser {
  username: string;
  groups: string[];
  uid?: string;
  /** The pod a bound service-account token was issued for (user.extra authentication.kubernetes.io/pod-name). */
  podName?: string;
}

export interface ObjectRef {
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  apiGroup?: string;
  apiVersion?: string;
}

export interface AuditEvent {
  auditID: string;
  stage?: Stage;
  level?: string;
  verb: string;
  requestURI?: string;
  user: AuditUser;
  /** The identity the request acted as (impersonation); `user` is then the impersonator. */
  impersonatedUser?: AuditUser;
  sourceIPs?: string[];
  userAgent?: string;
  objectRef?: ObjectRef;
  /** HTTP status of the response (responseStatus.code), when the event has one. */
  code?: number;
  reason?: string;
  message?: string;
  requestObject?: unknown;
  responseObject?: unknown;
  /** requestReceivedTimestamp, else stageTimestamp, else the v1beta1 `timestamp`. */
  time?: string;
  /** `time` in ms since the epoch (NaN when absent or unreadable). */
  timeMs: number;
  annotations: Record<string, string>;
  /** The event was cut (size limits) and repaired: fields after the cut are missing. */
  truncated?: boolean;
  /** Where the event was read. */
  source: string;
  line?: number;
}

/** Why a value is not an audit event (junk), or undefined when it is one. */
export type NormalizeResult = { event: AuditEvent } | { skip: string };

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function strList(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
}

function userOf(v: unknown): AuditUser | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const u = v as Record<string, unknown>;
  const username = str(u.username);
  if (username === undefined) return undefined;
  const uid = str(u.uid);
  const extra = u.extra && typeof u.extra === 'object' ? (u.extra as Record<string, unknown>) : undefined;
  const podName = strList(extra?.['authentication.kubernetes.io/pod-name'])?.[0];
  return { username, groups: strList(u.groups) ?? [], ...(uid ? { uid } : {}), ...(podName ? { podName } : {}) };
}

function objectRefOf(v: unknown): ObjectRef | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const ref: ObjectRef = {};
  for (const k of ['resource', 'subresource', 'namespace', 'name', 'apiGroup', 'apiVersion'] as const) {
    const s = str(o[k]);
    if (s) ref[k] = s;
  }
  return Object.keys(ref).length ? ref : undefined;
}

/**
 * Turns a parsed value into an AuditEvent, or says why it is not one. Accepts audit.k8s.io/v1
 * and v1beta1 Events and events without `kind`/`apiVersion` (what some shippers keep); requires
 * what no judgement can do without: an auditID, a verb and a user name.
 */
export function normalizeEvent(raw: unknown, source: string, line: number | undefined, truncated = false): NormalizeResult {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { skip: 'not an object' };
  const e = raw as Record<string, unknown>;
  const kind = e.kind;
  if (kind !== undefined && kind !== 'Event') return { skip: typeof kind === 'string' ? `kind ${JSON.stringify(kind.slice(0, 40))} is not an audit Event` : 'kind is not a string' };
  const apiVersion = e.apiVersion;
  if (apiVersion !== undefined && (typeof apiVersion !== 'string' || !/^audit\.k8s\.io\/v1(beta1|alpha1)?$/.test(apiVersion))) {
    return { skip: typeof apiVersion === 'string' ? `apiVersion ${JSON.stringify(apiVersion.slice(0, 40))} is not audit.k8s.io` : 'apiVersion is not a string' };
  }
  const auditID = str(e.auditID);
  if (!auditID) return { skip: 'no auditID' };
  const verb = str(e.verb);
  if (!verb) return { skip: 'no verb' };
  const user = userOf(e.user);
  if (!user) return { skip: 'no user.username' };
  const stageRaw = str(e.stage);
  const stage = stageRaw && STAGES.has(stageRaw) ? (stageRaw as Stage) : undefined;
  const status = e.responseStatus && typeof e.responseStatus === 'object' ? (e.responseStatus as Record<string, unknown>) : undefined;
  const code = typeof status?.code === 'number' ? status.code : undefined;
  const annotations: Record<string, string> = {};
  if (e.annotations && typeof e.annotations === 'object' && !Array.isArray(e.annotations)) {
    for (const [k, v] of Object.entries(e.annotations as Record<string, unknown>)) if (typeof v === 'string') annotations[k] = v;
  }
  const time = str(e.requestReceivedTimestamp) ?? str(e.stageTimestamp) ?? str(e.timestamp);
  const ev: AuditEvent = {
    auditID,
    verb,
    user,
    timeMs: time ? Date.parse(time) : NaN,
    annotations,
    source,
  };
  if (stage) ev.stage = stage;
  const level = str(e.level);
  if (level) ev.level = level;
  const uri = str(e.requestURI);
  if (uri) ev.requestURI = uri;
  const imp = userOf(e.impersonatedUser);
  if (imp) ev.impersonatedUser = imp;
  const ips = strList(e.sourceIPs);
  if (ips?.length) ev.sourceIPs = ips;
  const ua = str(e.userAgent);
  if (ua) ev.userAgent = ua;
  const ref = objectRefOf(e.objectRef);
  if (ref) ev.objectRef = ref;
  if (code !== undefined) ev.code = code;
  const reason = str(status?.reason);
  if (reason) ev.reason = reason;
  const message = str(status?.message);
  if (message) ev.message = message;
  if (e.requestObject !== undefined) ev.requestObject = e.requestObject;
  if (e.responseObject !== undefined) ev.responseObject = e.responseObject;
  if (time) ev.time = time;
  if (truncated) ev.truncated = true;
  if (line !== undefined) ev.line = line;
  return { event: ev };
}

/** The identity the request acted as: the impersonated user when there is one. */
export function actingUser(e: AuditEvent): AuditUser {
  return e.impersonatedUser ?? e.user;
}

/** A complete event: the response is known (ResponseComplete, Panic, or no stage but a status). */
export function isComplete(e: AuditEvent): boolean {
  return e.stage === 'ResponseComplete' || e.stage === 'Panic' || (e.stage === undefined && e.code !== undefined);
}

/** The request was allowed by authorization (annotation), or, without the annotation, answered 2xx/101. */
export function wasAllowed(e: AuditEvent): boolean {
  const d = e.annotations['authorization.k8s.io/decision'];
  if (d) return d === 'allow';
  return e.code !== undefined && e.code < 400;
}

export function succeeded(e: AuditEvent): boolean {
  return e.code !== undefined && e.code >= 200 && e.code < 300;
}
