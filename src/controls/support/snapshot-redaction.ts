/**
 * Credentials out of snapshots. A snapshot is a copy of what was read from a cluster, so that
 * an offline scan gives the same findings; Secret values are never read (sources/cluster/
 * redact.ts), and this module takes out the credentials the controls find elsewhere: literal
 * env values, command-line flags and value formats in commands, ConfigMap data, annotations,
 * labels, and the copies of all of these in the last-applied annotation.
 *
 * Each redacted value keeps what the detectors see in it (support/credentials.ts: formats
 * become stand-ins of the same format, literals become REDACTED), and the result is checked:
 * every control that judges one object is run on the object before and after, and when their
 * findings differ the redacted values are replaced by their smallest stand-ins and checked
 * again. Values are never kept to make findings match.
 */
import { Inventory } from '../../inventory/inventory.js';
import { containersOf, podSpecOf } from '../../inventory/podspec.js';
import type { K8sObject, Origin } from '../../inventory/types.js';
import { runControls } from '../../engine/run.js';
import type { Control } from '../../engine/types.js';
import { allControls } from '../index.js';
import { builtin } from '../../util/builtins.js';
import { credentialKindOfName, credentialStandIn, isPlaceholderValue, redactAuthorizationHeaders, redactCommandCredentials, redactCredentialArgs, redactCredentialText } from './credentials.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export interface RedactionResult {
  object: K8sObject;
  /** How many values were replaced. */
  redacted: number;
  /** The controls judged the redacted object differently even with the smallest stand-ins. */
  mismatch: boolean;
}

/** The value to keep for a named value (env variable, ConfigMap key, annotation). */
type Rewrite = (name: string | undefined, value: string) => string;

/**
 * Format-keeping redaction; a name that announces a credential makes the whole value one. The
 * credentials of HTTP Authorization headers (nginx snippets, JSON configs) go too.
 */
const keepShape: Rewrite = (name, value) => (name !== undefined && credentialKindOfName(name) && !isPlaceholderValue(value) ? credentialStandIn(value) : redactAuthorizationHeaders(redactCredentialText(value)));

/** Command lines: credential flags and formats, program-specific password forms (`curl -u`, `mysql -p`), Authorization headers. */
const commandArgs = (argv: readonly unknown[]): unknown[] => redactCommandCredentials(redactCredentialArgs(argv)).map((a) => (typeof a === 'string' ? redactAuthorizationHeaders(a) : a));
/** The fallback: every value that holds anything a detector sees becomes its smallest stand-in. */
const smallest: Rewrite = (name, value) => {
  const shaped = keepShape(name, value);
  return shaped === value ? value : credentialStandIn(value);
};

/** A value replaced in place, to be put back. */
type Edit = [holder: Record<string | number, unknown>, key: string | number, old: unknown];

/**
 * Rewrites the credential-bearing fields of `obj` in place, logging each replaced value in
 * `edits` (when given); returns how many values changed.
 */
function rewrite(obj: K8sObject, fn: Rewrite, args: (argv: readonly unknown[]) => unknown[], edits?: Edit[]): number {
  let n = 0;
  const put = (holder: object, key: string | number, value: unknown): void => {
    const h = holder as Record<string | number, unknown>;
    edits?.push([h, key, h[key]]);
    h[key] = value;
    n++;
  };
  const set = (holder: object, key: string | number, name: string | undefined): void => {
    const v = (holder as Record<string | number, unknown>)[key];
    if (typeof v !== 'string') return;
    const r = fn(name, v);
    if (r !== v) put(holder, key, r);
  };
  const meta = obj.metadata;
  if (meta && typeof meta === 'object') {
    const ann = meta.annotations;
    if (ann && typeof ann === 'object') {
      for (const key of Object.keys(ann)) {
        if (key === LAST_APPLIED) {
          const text = ann[key];
          if (typeof text !== 'string') continue;
          const r = lastApplied(text, fn, args);
          if (r !== text) put(ann, key, r);
        } else set(ann, key, key.slice(key.lastIndexOf('/') + 1));
      }
    }
    const labels = meta.labels;
    // a label named like a credential (`vault-token`) is one, as an annotation is
    if (labels && typeof labels === 'object') for (const key of Object.keys(labels)) set(labels, key, key.slice(key.lastIndexOf('/') + 1));
  }
  if (obj.kind === 'ConfigMap') {
    const data = obj['data'];
    const helm = isHelmRelease(obj);
    if (data && typeof data === 'object') {
      for (const key of Object.keys(data)) {
        const v = (data as Record<string, unknown>)[key];
        // a Helm release (ConfigMap driver) holds the chart's values and rendered manifests
        if (helm && key === 'release' && typeof v === 'string') {
          const standIn = helmReleaseStandIn(v);
          if (standIn !== v) put(data, key, standIn);
        } else set(data, key, key);
      }
    }
  }
  // custom resources: every string, by the name of its field (`password`, `apiKey`, at any depth) and by its format
  if (isCustomResource(obj)) {
    const walk = (holder: Record<string | number, unknown>, depth: number): void => {
      if (depth > 512) return;
      for (const key of Object.keys(holder)) {
        if (depth === 0 && (key === 'metadata' || key === 'apiVersion' || key === 'kind')) continue;
        const v = holder[key];
        if (typeof v === 'string') set(holder, key, Array.isArray(holder) ? undefined : key);
        else if (v !== null && typeof v === 'object') walk(v as Record<string | number, unknown>, depth + 1);
      }
    };
    walk(obj as Record<string, unknown>, 0);
  }
  const ps = podSpecOf(obj);
  if (ps) {
    for (const { container } of containersOf(ps)) {
      if (Array.isArray(container.env)) for (const e of container.env) if (e && typeof e === 'object') set(e, 'value', typeof e.name === 'string' ? e.name : undefined);
      for (const field of ['command', 'args'] as const) {
        const argv = container[field];
        if (!Array.isArray(argv)) continue;
        const r = args(argv);
        for (let i = 0; i < r.length; i++) if (r[i] !== argv[i]) put(argv, i, r[i]);
      }
    }
  }
  return n;
}

/** Applies `fn` to a copy of `obj` (the object itself is changed only while the copy is taken). */
function rewritten(obj: K8sObject, fn: Rewrite, args: (argv: readonly unknown[]) => unknown[]): { object: K8sObject; n: number } {
  const edits: Edit[] = [];
  const n = rewrite(obj, fn, args, edits);
  if (n === 0) return { object: obj, n };
  const copy = structuredClone(obj);
  for (let i = edits.length - 1; i >= 0; i--) {
    const [holder, key, old] = edits[i]!;
    holder[key] = old;
  }
  return { object: copy, n };
}

/** The last-applied annotation holds the applied object as JSON: it is redacted as that object. */
function lastApplied(text: string, fn: Rewrite, args: (argv: readonly unknown[]) => unknown[]): string {
  let applied: unknown;
  try {
    applied = JSON.parse(text);
  } catch {
    return fn(undefined, text);
  }
  if (!applied || typeof applied !== 'object' || Array.isArray(applied)) return fn(undefined, text);
  const o = applied as K8sObject;
  if (!o.metadata || typeof o.metadata !== 'object') return text;
  return rewrite(o, fn, args) > 0 ? JSON.stringify(o) + (text.endsWith('\n') ? '\n' : '') : text;
}

let perObject: readonly Control[] | undefined;
const ORIGIN: Origin = { source: '<redaction>', documentIndex: 0, itemPointer: '', line: 0, column: 0 };

/** What the controls that judge one object say about it (inventory-wide ones read none of these fields). */
function verdict(obj: K8sObject, controls: readonly Control[]): string {
  // every control's own verdict (not folded into one per root cause: docs/deduplication.md)
  const r = runControls(new Inventory([{ object: obj, origin: ORIGIN }]), controls, { dedupe: false });
  return JSON.stringify(r.findings.map((f) => [f.controlId, f.pointer, f.message, f.container ?? '', f.suppressed?.by ?? '']));
}

/**
 * Redacts the credentials of one object read from a cluster (a copy: `obj` is not changed).
 * `controls` are the object-level controls to check against (default: the whole catalog's).
 */
export function redactCredentials(obj: K8sObject, controls?: readonly Control[]): RedactionResult {
  // most objects hold no credential: they are neither copied nor judged
  const first = rewritten(obj, keepShape, commandArgs);
  if (first.n === 0) return { object: obj, redacted: 0, mismatch: false };
  const checked = controls ?? (perObject ??= allObjectControls());
  const want = verdict(obj, checked);
  if (verdict(first.object, checked) === want) return { object: first.object, redacted: first.n, mismatch: false };
  const smallestArgs = (argv: readonly unknown[]): unknown[] => commandArgs(argv).map((a, i) => (a === argv[i] || typeof argv[i] !== 'string' ? a : credentialStandIn(argv[i] as string).replace(/\n/g, ' ')));
  const fallback = rewritten(obj, smallest, smallestArgs);
  return { object: fallback.object, redacted: fallback.n, mismatch: verdict(fallback.object, checked) !== want };
}

/** Objects of API groups outside Kubernetes itself (a custom resource's group has a dot and is not `*.k8s.io`). */
function isCustomResource(obj: K8sObject): boolean {
  const av = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const slash = av.indexOf('/');
  if (slash < 0) return false;
  const group = av.slice(0, slash);
  return group.includes('.') && !/(^|\.)k8s\.io$/.test(group);
}

/** A Helm release stored by the ConfigMap driver (Helm 3: label owner=helm; Helm 2: OWNER=TILLER). */
function isHelmRelease(obj: K8sObject): boolean {
  const labels = obj.metadata?.labels;
  if (!labels || typeof labels !== 'object') return false;
  return String(labels['owner'] ?? '').toLowerCase() === 'helm' || String(labels['OWNER'] ?? '').toUpperCase() === 'TILLER';
}

/** The largest release a stand-in is made from (decompressed); anything larger is REDACTED whole. */
const HELM_RELEASE_MAX_BYTES = 64 * 1024 * 1024;

/**
 * The stand-in for a Helm release blob (base64 of gzip of the release JSON): a release of the
 * same encoding that keeps its name, namespace, revision, status and the chart's name and
 * versions, and drops everything that can hold a value (values, config, manifest, notes, hooks,
 * templates, files). A blob that is not such a release becomes REDACTED.
 */
export function helmReleaseStandIn(blob: string): string {
  let release: unknown;
  try {
    release = JSON.parse(builtin('zlib').gunzipSync(Buffer.from(blob, 'base64'), { maxOutputLength: HELM_RELEASE_MAX_BYTES }).toString('utf8'));
  } catch {
    return 'REDACTED';
  }
  if (!release || typeof release !== 'object' || Array.isArray(release)) return 'REDACTED';
  const r = release as Record<string, unknown>;
  const pick = (o: unknown, keys: string[], kind: 'string' | 'number' | 'any' = 'any'): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    if (!o || typeof o !== 'object') return out;
    for (const k of keys) {
      const v = (o as Record<string, unknown>)[k];
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') if (kind === 'any' || typeof v === kind) out[k] = v;
    }
    return out;
  };
  const chart = r['chart'] && typeof r['chart'] === 'object' ? (r['chart'] as Record<string, unknown>) : {};
  const standIn = {
    ...pick(r, ['name', 'namespace', 'version']),
    info: pick(r['info'], ['status', 'first_deployed', 'last_deployed']),
    chart: { metadata: pick(chart['metadata'], ['name', 'version', 'appVersion', 'apiVersion', 'type']) },
    redacted: 'values, config, manifest, notes and hooks were taken out by kordon',
  };
  return builtin('zlib').gzipSync(JSON.stringify(standIn), { level: 9 }).toString('base64');
}

function allObjectControls(): readonly Control[] {
  return allControls.filter((c) => c.targets !== 'inventory');
}
