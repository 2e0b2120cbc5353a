/**
 * AdmissionReview v1 handling: the same controls, exceptions and configuration as `kordon scan`,
 * judging the one object of a request (with the cluster context the webhook keeps, for
 * cross-object controls). Pure: no I/O, no clock but the one passed in. docs/webhook.md.
 */
import type { Control, Finding, JsonPatchOp, Severity } from '../engine/types.js';
import { SEVERITIES } from '../engine/types.js';
import type { ExceptionRule } from '../engine/exceptions.js';
import { runControls } from '../engine/run.js';
import { Inventory } from '../inventory/inventory.js';
import type { K8sObject, Origin } from '../inventory/types.js';
import { applyPatch } from './patch.js';

export const ADMISSION_API_VERSION = 'admission.k8s.io/v1';

/**
 * Controls whose fixes are safe to apply automatically (no workload that worked before stops
 * working for it in practice): they may be opted in for the mutating webhook.
 */
export const SAFE_FIX_CONTROLS: Readonly<Record<string, string>> = {
  'KOR-0113': 'imagePullPolicy: Always only re-checks the registry at container start',
  'KOR-0109': 'a ServiceAccount that does not automount its token: pods that need it opt in',
  'KOR-0014': 'allowPrivilegeEscalation: false only stops setuid binaries from gaining privileges',
  'KOR-0011': 'seccomp RuntimeDefault: the runtime default profile allows what ordinary programs call',
  'KOR-0017': 'seccomp RuntimeDefault: the runtime default profile allows what ordinary programs call',
};

export interface ReviewSettings {
  controls: readonly Control[];
  exceptions?: Array<{ rule: ExceptionRule; source: string }>;
  /** Findings at or above this severity deny the request (default high). */
  denyOn?: Severity;
  /** Findings at or above this severity (and below denyOn) are returned as warnings (default low). */
  warnOn?: Severity;
  /** Never deny: every finding at or above warnOn is a warning. */
  warnOnly?: boolean;
  /** Control ids whose fixes the mutating endpoint applies (each in SAFE_FIX_CONTROLS). */
  mutate?: readonly string[];
  /** Namespaces left alone (the webhook's own, e.g.). */
  excludeNamespaces?: readonly string[];
  /** For exceptions' expiry. */
  now?: Date;
}

/** Other objects of the cluster, for controls that look beyond the reviewed object. */
export interface ReviewContext {
  /** Objects related to a request in `namespace` (its Namespace, ServiceAccounts, Services, policies...). */
  objectsFor(namespace: string | undefined): readonly K8sObject[];
}

export const EMPTY_CONTEXT: ReviewContext = { objectsFor: () => [] };

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: { code: number; message: string; reason?: string };
  warnings?: string[];
  patchType?: 'JSONPatch';
  patch?: string;
}

export interface AdmissionReviewOut {
  apiVersion: typeof ADMISSION_API_VERSION;
  kind: 'AdmissionReview';
  response: AdmissionResponse;
}

/** What a malformed review gets: an HTTP error (there is no uid to answer to), with a reason. */
export class MalformedReview extends Error {}

export interface ReviewOutcome {
  review: AdmissionReviewOut;
  /** For the decision log: the findings judged (never values: control messages name keys only). */
  findings: Finding[];
  dryRun: boolean;
  object?: { kind: string; namespace?: string; name: string };
}

const MAX_WARNINGS = 20;
const MAX_WARNING_LENGTH = 400;
const MAX_MESSAGE_FINDINGS = 10;

function rec(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Parses the fields of an AdmissionReview request kordon uses; throws MalformedReview naming what is wrong. */
export function parseReview(body: unknown): {
  uid: string;
  operation: string;
  namespace: string | undefined;
  object: K8sObject | undefined;
  oldObject: K8sObject | undefined;
  dryRun: boolean;
  subResource: string | undefined;
} {
  const review = rec(body);
  if (!review) throw new MalformedReview('the body is not a JSON object');
  if (review['apiVersion'] !== ADMISSION_API_VERSION) throw new MalformedReview(`apiVersion must be ${ADMISSION_API_VERSION} (got ${JSON.stringify(review['apiVersion'] ?? null).slice(0, 60)})`);
  if (review['kind'] !== 'AdmissionReview') throw new MalformedReview('kind must be AdmissionReview');
  const request = rec(review['request']);
  if (!request) throw new MalformedReview('request is missing or not an object');
  const uid = str(request['uid']);
  if (!uid) throw new MalformedReview('request.uid is missing or not a string');
  if (uid.length > 256) throw new MalformedReview('request.uid is longer than 256 characters');
  const operation = str(request['operation']) ?? '';
  const namespace = str(request['namespace']) || undefined;
  const objectOf = (raw: Record<string, unknown> | undefined): K8sObject | undefined => {
    if (!raw || typeof raw['kind'] !== 'string' || typeof raw['apiVersion'] !== 'string') return undefined;
    const metadata = rec(raw['metadata']) ?? {};
    const object = { ...raw, metadata: { ...metadata, ...(namespace && metadata['namespace'] === undefined ? { namespace } : {}) } } as K8sObject;
    if (object.metadata.name === undefined && typeof object.metadata.generateName === 'string') object.metadata.name = object.metadata.generateName;
    return object;
  };
  return { uid, operation, namespace, object: objectOf(rec(request['object'])), oldObject: objectOf(rec(request['oldObject'])), dryRun: request['dryRun'] === true, subResource: str(request['subResource']) };
}

const ORIGIN: Origin = { source: 'admission', documentIndex: 0, itemPointer: '', line: 1, column: 1, via: 'cluster' };

function keyOf(o: K8sObject): string {
  return `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

function clip(s: string): string {
  return s.length > MAX_WARNING_LENGTH ? s.slice(0, MAX_WARNING_LENGTH - 1) + '…' : s;
}

function line(f: Finding): string {
  const also = f.related?.length ? ` (also: ${f.related.map((r) => r.controlId).join(', ')})` : '';
  return `${f.controlId} ${f.control} (${f.severity}): ${f.message}${also}`;
}

/** What identifies a finding across an update: the control, the field and the message. */
function findingKey(f: Finding): string {
  return `${f.controlId} ${f.pointer} ${f.message}`;
}

/** The same array for the same controls (the engine caches per-selection tables by identity). */
const PER_OBJECT = new WeakMap<readonly Control[], readonly Control[]>();
function withoutInventoryControls(controls: readonly Control[]): readonly Control[] {
  let out = PER_OBJECT.get(controls);
  if (!out) PER_OBJECT.set(controls, (out = controls.filter((c) => c.targets !== 'inventory')));
  return out;
}

/** Judges one object as the scan would: the findings about it, with the context around it. */
export function judgeObject(object: K8sObject, settings: ReviewSettings, context: ReviewContext, dedupe = true): { findings: Finding[]; problems: string[] } {
  const key = keyOf(object);
  const others = context.objectsFor(object.metadata.namespace).filter((o) => keyOf(o) !== key);
  const inv = new Inventory([{ object, origin: ORIGIN }, ...others.map((o) => ({ object: o, origin: ORIGIN }))]);
  const item = inv.objects.find((i) => i.object === object);
  const problems = inv.problems.map((p) => p.message);
  if (!item) return { findings: [], problems };
  // controls that judge the inventory as a whole need the cluster around the object: without it
  // they would only say that the namespace's policies, quotas, ... are not in the request
  const controls = context === EMPTY_CONTEXT ? withoutInventoryControls(settings.controls) : settings.controls;
  const run = runControls(inv, controls, { ...(settings.exceptions ? { exceptions: settings.exceptions } : {}), now: settings.now ?? new Date(), dedupe });
  const findings = run.findings.filter((f) => f.object && f.object.kind === object.kind && f.object.name === (object.metadata.name ?? '') && (f.object.namespace ?? '') === (inv.namespaceOf(object) ?? ''));
  return { findings, problems };
}

/** Answers one AdmissionReview (validating or mutating). Throws MalformedReview when there is nothing to answer to. */
export function reviewAdmission(body: unknown, mode: 'validate' | 'mutate', settings: ReviewSettings, context: ReviewContext = EMPTY_CONTEXT): ReviewOutcome {
  const req = parseReview(body);
  const answer = (response: Omit<AdmissionResponse, 'uid'>, findings: Finding[] = [], object?: K8sObject): ReviewOutcome => ({
    review: { apiVersion: ADMISSION_API_VERSION, kind: 'AdmissionReview', response: { uid: req.uid, ...response } },
    findings,
    dryRun: req.dryRun,
    ...(object ? { object: { kind: object.kind, ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}), name: String(object.metadata.name ?? '') } } : {}),
  });
  // only creations and updates carry an object to judge; status and other subresources are not the object's spec
  if ((req.operation !== 'CREATE' && req.operation !== 'UPDATE') || !req.object) return answer({ allowed: true });
  if (req.subResource && req.subResource !== 'ephemeralcontainers') return answer({ allowed: true });
  const object = req.object;
  if (req.namespace && settings.excludeNamespaces?.includes(req.namespace)) return answer({ allowed: true }, [], object);
  if (object.kind === 'Namespace' && settings.excludeNamespaces?.includes(String(object.metadata.name ?? ''))) return answer({ allowed: true }, [], object);
  // the mutating side applies every opted-in fix, also of findings another control's stands for
  const { findings, problems } = judgeObject(object, settings, context, mode === 'validate');
  const active = findings.filter((f) => !f.suppressed);
  const rank = (s: Severity): number => SEVERITIES.indexOf(s);
  const warnOn = rank(settings.warnOn ?? 'low');
  const denyOn = rank(settings.denyOn ?? 'high');
  const controlOf = new Map(settings.controls.map((c) => [c.id, c]));
  if (mode === 'mutate') {
    const opted = new Set(settings.mutate ?? []);
    const ops: JsonPatchOp[] = active.filter((f) => opted.has(f.controlId) && f.fix).flatMap((f) => f.fix!);
    const { applied } = applyPatch(object, ops);
    if (applied.length === 0) return answer({ allowed: true }, findings, object);
    return answer(
      {
        allowed: true,
        patchType: 'JSONPatch',
        patch: Buffer.from(JSON.stringify(applied)).toString('base64'),
        warnings: [clip(`kordon fixed: ${[...new Set(active.filter((f) => opted.has(f.controlId) && f.fix).map((f) => `${f.controlId} ${f.control}`))].join(', ')}`)],
      },
      findings,
      object,
    );
  }
  // findings of controls that judge the inventory as a whole (a namespace without a NetworkPolicy
  // yet, ...) never deny: the companion object usually comes in a later request
  // a finding that stands for others (same root cause) is as severe as the worst of them
  const worst = (f: Finding): number => Math.min(rank(f.severity), ...(f.related ?? []).map((r) => rank(r.severity)));
  // an update is refused only for what it adds: a finding the object already had (the
  // Deployment controller writing its revision annotation on an old, non-compliant Deployment)
  // is a warning, or existing objects could never be changed by their controllers
  const before = req.operation === 'UPDATE' && req.oldObject ? new Set(judgeObject(req.oldObject, settings, context).findings.map(findingKey)) : undefined;
  const denying = settings.warnOnly ? [] : active.filter((f) => worst(f) <= denyOn && controlOf.get(f.controlId)?.targets !== 'inventory' && !before?.has(findingKey(f)));
  const warning = active.filter((f) => worst(f) <= warnOn && !denying.includes(f));
  const warnings = [...warning.map((f) => clip(line(f))), ...problems.map((p) => clip(`kordon could not read: ${p}`))].slice(0, MAX_WARNINGS);
  if (denying.length === 0) return answer({ allowed: true, ...(warnings.length ? { warnings } : {}) }, findings, object);
  const shown = denying.slice(0, MAX_MESSAGE_FINDINGS).map(line);
  const more = denying.length > shown.length ? ` (and ${denying.length - shown.length} more)` : '';
  return answer(
    {
      allowed: false,
      status: { code: 403, reason: 'Forbidden', message: `kordon denied ${object.kind} "${String(object.metadata.name ?? '')}": ${shown.join('; ')}${more}` },
      ...(warnings.length ? { warnings } : {}),
    },
    findings,
    object,
  );
}
