/**
 * Shape validation at the inventory's door: the fields kordon reads must have the types the
 * Kubernetes API gives them (src/inventory/shapes.generated.ts, generated from the
 * kube-apiserver's OpenAPI v3 documents by scripts/gen-shapes.ts).
 *
 * A field of the wrong type (`env: "x"`, `ports: {}`, `runAsUser: "0"`, a label whose value is a
 * number) is removed from the object and reported once, by its path and what was expected; the
 * value itself is never quoted (it may be a secret). A list with an element of the wrong type is
 * removed whole (removing only the element would shift its neighbours' positions). An object
 * whose identity is unusable (metadata not a mapping, a name or namespace that is not a string)
 * is skipped. `null` is what the API server reads as "not set": such fields are dropped
 * silently (a null entry of a map or list of strings becomes "", Go's zero value, as the API
 * server decodes it). Everything else of the object is kept and analysed.
 *
 * Only the listed fields are visited, so the cost is a few property reads per field kordon uses.
 */
import { KIND_SHAPES, SHAPES } from './shapes.generated.js';

/**
 * s string, i integer, n number, b boolean, is int-or-string, q quantity (string or number),
 * o a mapping (inside not judged), ['a', T] list of T, ['m', T] map of T, {r: S} schema S.
 */
export type Shape = 's' | 'i' | 'n' | 'b' | 'is' | 'q' | 'o' | readonly ['a', Shape] | readonly ['m', Shape] | { readonly r: string };
export type ShapeTable = Readonly<Record<string, Readonly<Record<string, Shape>>>>;

export interface ShapeIssue {
  /** JSON pointer of the bad field inside the object. */
  pointer: string;
  /** What the API expects there ("a list", "a whole number", ...). */
  expected: string;
  /** What was found ("a string", "a mapping", ...): a type, never the value. */
  found: string;
  /** The whole list was dropped because of this element. */
  listDropped?: boolean;
  /** The value is a template placeholder CI fills in later (`__REPLICAS__`, `${PORT}`): a warning, not an error. */
  placeholder?: boolean;
}

/** Placeholders that deploy pipelines substitute (envsubst, sed, Helm-less templating): valid YAML strings. */
const PLACEHOLDER = /^\s*(\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|__[A-Za-z0-9_]+__|\{\{.*\}\}|<[^<>]+>|%[A-Za-z_][A-Za-z0-9_]*%|@[A-Za-z_][A-Za-z0-9_]*@)\s*$/;

function isPlaceholder(v: unknown): boolean {
  return typeof v === 'string' && PLACEHOLDER.test(v);
}

export interface ShapeCheck {
  /** Set when the object cannot be kept: its identity (kind, metadata, name, namespace) is unusable. */
  skip?: ShapeIssue;
  /** Fields removed from the object. */
  issues: ShapeIssue[];
}

const META = 'meta.v1.ObjectMeta';
/** API groups whose kinds keep their shapes across versions (an old `extensions/v1beta1` Deployment reads as `apps/v1`'s). */
const BUILT_IN_GROUPS = new Set(['', 'apps', 'batch', 'extensions', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'apiextensions.k8s.io', 'policy']);
const BY_KIND = new Map<string, string>();
for (const [gvk, schema] of Object.entries(KIND_SHAPES)) {
  const kind = gvk.slice(gvk.lastIndexOf('/') + 1);
  if (!BY_KIND.has(kind)) BY_KIND.set(kind, schema);
}

/** The schema an object's top level is judged by: its own kind's, or just its metadata's (custom resources). */
export function rootSchemaOf(apiVersion: string, kind: string): string | undefined {
  const exact = KIND_SHAPES[`${apiVersion}/${kind}`];
  if (exact) return exact;
  const slash = apiVersion.indexOf('/');
  const group = slash === -1 ? '' : apiVersion.slice(0, slash);
  return BUILT_IN_GROUPS.has(group) ? BY_KIND.get(kind) : undefined;
}

/** Checks (and repairs in place) one decoded object. */
export function checkObjectShape(object: Record<string, unknown>): ShapeCheck {
  const issues: ShapeIssue[] = [];
  if (!isMapping(object)) return { skip: { pointer: '', expected: 'a mapping', found: typeName(object) }, issues };
  if (typeof object['kind'] !== 'string') return { skip: { pointer: '/kind', expected: 'a string', found: typeName(object['kind']) }, issues };
  if (typeof object['apiVersion'] !== 'string') return { skip: { pointer: '/apiVersion', expected: 'a string', found: typeName(object['apiVersion']) }, issues };
  const meta = object['metadata'];
  if (!isMapping(meta)) return { skip: { pointer: '/metadata', expected: 'a mapping', found: typeName(meta) }, issues };
  for (const field of ['name', 'namespace'] as const) {
    const v = meta[field];
    if (v === null) delete meta[field];
    else if (v !== undefined && typeof v !== 'string') return { skip: { pointer: `/metadata/${field}`, expected: 'a string', found: typeName(v) }, issues };
  }
  const root = rootSchemaOf(object['apiVersion'], object['kind']);
  const at: Array<string | number> = [];
  visit(object, root ? compiled(root) : META_ONLY, at, issues);
  return { issues };
}

// The table compiled once into arrays (no pointer strings built unless a field is bad: the
// common case, a well-typed object, costs a few property reads and type tests per field).
const S = 0, B = 1, I = 2, N = 3, IS = 4, Q = 5, O = 6, ARR = 7, MAP = 8, REF = 9;
interface Node {
  t: number;
  inner?: Node;
  schema?: Compiled;
  shape: Shape;
}
interface Compiled {
  /** Field → its node: the object's own keys are looked up here (most schema fields are absent from an object, and a missing property costs more to ask for than a present key). */
  fields: Map<string, Node>;
}
const compiledSchemas = new Map<string, Compiled>();

function compiled(name: string): Compiled {
  let c = compiledSchemas.get(name);
  if (c) return c;
  c = { fields: new Map() };
  compiledSchemas.set(name, c); // before its fields: a schema may (indirectly) refer to itself
  for (const [k, shape] of Object.entries(SHAPES[name] ?? {})) c.fields.set(k, node(shape));
  return c;
}

function node(shape: Shape): Node {
  if (typeof shape === 'string') return { t: { s: S, b: B, i: I, n: N, is: IS, q: Q, o: O }[shape], shape };
  if (Array.isArray(shape)) return { t: shape[0] === 'a' ? ARR : MAP, inner: node(shape[1] as Shape), shape };
  return { t: REF, schema: compiled((shape as { r: string }).r), shape };
}

const META_ONLY: Compiled = { fields: new Map([['metadata', { t: REF, schema: compiled(META), shape: { r: META } }]]) };

function pointerOf(at: ReadonlyArray<string | number>): string {
  let p = '';
  for (const seg of at) p += '/' + (typeof seg === 'number' ? String(seg) : escape(seg));
  return p;
}

function visit(o: Record<string, unknown>, schema: Compiled, at: Array<string | number>, issues: ShapeIssue[]): void {
  const fields = schema.fields;
  // own keys only (decoded objects have no inherited enumerable ones); deleting the current key is safe in for-in
  for (const field in o) {
    const n = fields.get(field);
    if (n === undefined) continue;
    const v = o[field];
    if (v === undefined) continue;
    if (v === null) {
      delete o[field];
      continue;
    }
    at.push(field);
    const r = fits(v, n, at, issues);
    if (r !== OK) {
      delete o[field];
      if (r === BAD) issues.push({ pointer: pointerOf(at), expected: expectedText(n.shape), found: typeName(v), ...(isPlaceholder(v) ? { placeholder: true } : {}) });
    }
    at.pop();
  }
}

const OK = 0;
const BAD = 1;
/** Removed, and the issue already recorded (a list with a bad element). */
const DROPPED = 2;

function fits(v: unknown, n: Node, at: Array<string | number>, issues: ShapeIssue[]): number {
  switch (n.t) {
    case S: return typeof v === 'string' ? OK : BAD;
    case B: return typeof v === 'boolean' ? OK : BAD;
    case I: return typeof v === 'number' && Number.isInteger(v) ? OK : BAD;
    case N: return typeof v === 'number' && Number.isFinite(v) ? OK : BAD;
    case IS: return typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v)) ? OK : BAD;
    case Q: return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) ? OK : BAD;
    case O: return isMapping(v) ? OK : BAD;
    case REF:
      if (!isMapping(v)) return BAD;
      visit(v, n.schema!, at, issues);
      return OK;
    case ARR: {
      if (!Array.isArray(v)) return BAD;
      const inner = n.inner!;
      for (let i = 0; i < v.length; i++) {
        const e = v[i];
        if (e === null && inner.t === S) {
          v[i] = ''; // as the API server decodes it (Go's zero value)
          continue;
        }
        at.push(i);
        const r = e === null || e === undefined ? BAD : fits(e, inner, at, issues);
        if (r === BAD) issues.push({ pointer: pointerOf(at), expected: expectedText(inner.shape), found: typeName(e), listDropped: true });
        at.pop();
        if (r !== OK) return DROPPED;
      }
      return OK;
    }
    default: {
      if (!isMapping(v)) return BAD;
      const inner = n.inner!;
      const strings = inner.t === S;
      // own keys only (decoded objects have no inherited enumerable ones); deleting the current key is safe in for-in
      for (const k in v) {
        const e = v[k];
        if (strings && typeof e === 'string') continue; // the common case: labels, annotations, data
        if (e === null) {
          // as the API server decodes it: a string map's entry becomes "", any other entry is unset
          if (strings) v[k] = '';
          else delete v[k];
          continue;
        }
        at.push(k);
        const r = fits(e, inner, at, issues);
        if (r !== OK) {
          delete v[k];
          if (r === BAD) issues.push({ pointer: pointerOf(at), expected: expectedText(inner.shape), found: typeName(e) });
        }
        at.pop();
      }
      return OK;
    }
  }
}

export function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function escape(s: string): string {
  return s.includes('~') || s.includes('/') ? s.replace(/~/g, '~0').replace(/\//g, '~1') : s;
}

/** The type of a value in words: never the value itself. */
export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  switch (typeof v) {
    case 'string': return 'a string';
    case 'boolean': return 'true/false';
    case 'number': return Number.isInteger(v) ? 'a whole number' : Number.isFinite(v) ? 'a fraction' : 'a non-finite number';
    case 'bigint': return 'a whole number';
    case 'object': return 'a mapping';
    default: return typeof v;
  }
}

export function expectedText(shape: Shape): string {
  if (typeof shape === 'string') {
    switch (shape) {
      case 's': return 'a string';
      case 'b': return 'true or false';
      case 'i': return 'a whole number';
      case 'n': return 'a number';
      case 'is': return 'a whole number or a string';
      case 'q': return 'a quantity (a number or a string)';
      case 'o': return 'a mapping';
    }
  }
  if (Array.isArray(shape)) return shape[0] === 'a' ? `a list of ${plural(shape[1] as Shape)}` : `a mapping of ${plural(shape[1] as Shape)}`;
  return 'a mapping';
}

function plural(shape: Shape): string {
  const t = expectedText(shape);
  if (t === 'a string') return 'strings';
  if (t === 'a whole number') return 'whole numbers';
  if (t === 'a mapping') return 'mappings';
  if (t === 'true or false') return 'true/false values';
  return t.replace(/^an? /, '') + ' values';
}

/** `/spec/containers/0/env` → `spec.containers[0].env`. */
export function fieldPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
