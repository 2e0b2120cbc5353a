/**
 * The Kubernetes CEL libraries (k8s.io/apiserver/pkg/cel/library) on top of the engine: lists,
 * regex, quantity, ip/cidr, url, semver, format, sets, the strings extension's missing
 * functions and the authorizer. Each function charges the call cost the API server's cost
 * estimator charges for it (cost.go's CallCost), so runtime costs follow upstream.
 */
import { Environment, Optional } from '@marcbachmann/cel-js';
import { CIDR, IPAddr } from './net.js';
import { Quantity } from './quantity.js';
import { Semver } from './semver.js';
import { chargeCost, CelRuntimeError, isTypedDispatch } from './runtime.js';
import { compileRegex } from './regex.js';
import { NAMED_FORMATS, CelFormat } from './format.js';
import { registerTwoVarComprehensions } from './comprehensions.js';
import { registerOptionalHelpers } from './optionals.js';
import { registerListsExtension } from './lists-ext.js';
import { Duration, UnsignedInt } from './values.js';

const STRING_FACTOR = 0.1;
const REGEX_FACTOR = 0.25;

function strCost(s: string, factor = 1): number {
  return Math.ceil(s.length * factor * STRING_FACTOR);
}

/** Cost of walking a value as a data tree (upstream traversalCost). */
export function traversalCost(v: unknown): number {
  if (typeof v === 'string') return Math.floor(v.length * STRING_FACTOR);
  if (v instanceof Uint8Array) return Math.floor(v.length * STRING_FACTOR);
  if (Array.isArray(v)) return v.reduce((a: number, x) => a + traversalCost(x), 0);
  if (v instanceof Map) {
    let c = 0;
    for (const [k, x] of v) c += traversalCost(k) + traversalCost(x);
    return c;
  }
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    let c = 0;
    for (const [k, x] of Object.entries(v)) c += traversalCost(k) + traversalCost(x);
    return c;
  }
  return 1;
}

function fail(message: string): never {
  throw new CelRuntimeError(message);
}

function compareValues(a: unknown, b: unknown): number {
  if (a instanceof Quantity && b instanceof Quantity) return a.compareTo(b);
  if (a instanceof Semver && b instanceof Semver) return a.compareTo(b);
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
    return Number(a) < Number(b) ? -1 : Number(a) > Number(b) ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  return fail('no such overload: values of these types cannot be compared');
}

function celEquals(a: unknown, b: unknown): boolean {
  if (typeof a === 'bigint' || typeof a === 'number') return (typeof b === 'bigint' || typeof b === 'number') && Number(a) === Number(b) && (typeof a !== 'bigint' || typeof b !== 'bigint' || a === b);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => celEquals(x, b[i]));
  if (a instanceof Quantity && b instanceof Quantity) return a.compareTo(b) === 0;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Object.getPrototypeOf(a) === Object.prototype && Object.getPrototypeOf(b) === Object.prototype) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => k in b && celEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

function toQuantity(v: unknown): Quantity {
  if (v instanceof Quantity) return v;
  if (typeof v === 'bigint') return new Quantity(v, 1n);
  return fail('no such overload');
}

/** A namespace value, so `sets.contains(...)`, `ip.isCanonical(...)` resolve as receiver calls. */
class SetsNamespace {}
class IpNamespace {}
class FormatNamespace {}
class StringsNamespace {}

export interface AuthorizerAttributes {
  /** Set for `authorizer.serviceAccount(ns, name)`; otherwise the request's user. */
  user?: { kind: 'ServiceAccount'; namespace: string; name: string };
  path?: string;
  group?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  verb: string;
}
export interface AuthorizerDecision {
  decision: 'allow' | 'deny' | 'noOpinion';
  reason: string;
  error?: string;
}
/** Answers an authorization check (kordon answers with its RBAC engine). */
export type AuthorizeFn = (attrs: AuthorizerAttributes) => AuthorizerDecision;

export class Authorizer {
  constructor(
    readonly authorize: AuthorizeFn,
    readonly user?: AuthorizerAttributes['user'],
    readonly requestResource?: { group: string; resource: string; subresource: string; namespace: string; name: string },
  ) {}
}
export class PathCheck {
  constructor(readonly authz: Authorizer, readonly path: string) {}
}
export class GroupCheck {
  constructor(readonly authz: Authorizer, readonly group: string) {}
}
export class ResourceCheck {
  constructor(
    readonly authz: Authorizer,
    readonly group: string,
    readonly resource: string,
    readonly subresource = '',
    readonly namespace = '',
    readonly name = '',
  ) {}
  /** AuthzSelectors (1.32+): carried to the check; RBAC, which answers kordon's checks, ignores selectors. */
  fieldSelector = '';
  labelSelector = '';
  with(p: Partial<Pick<ResourceCheck, 'subresource' | 'namespace' | 'name' | 'fieldSelector' | 'labelSelector'>>): ResourceCheck {
    const r = new ResourceCheck(this.authz, this.group, this.resource, p.subresource ?? this.subresource, p.namespace ?? this.namespace, p.name ?? this.name);
    r.fieldSelector = p.fieldSelector ?? this.fieldSelector;
    r.labelSelector = p.labelSelector ?? this.labelSelector;
    return r;
  }
}
export class Decision {
  constructor(readonly d: AuthorizerDecision) {}
}

/** URL per Go's url.ParseRequestURI: an absolute URI or an absolute path. */
export class CelURL {
  constructor(
    readonly scheme: string,
    readonly host: string,
    readonly hostname: string,
    readonly port: string,
    readonly escapedPath: string,
    readonly query: Record<string, string[]>,
  ) {}
  static parse(text: string): CelURL | undefined {
    if (/\s/.test(text) || text.includes('#')) return undefined;
    const q = text.indexOf('?');
    const rawQuery = q === -1 ? '' : text.slice(q + 1);
    const query: Record<string, string[]> = {};
    for (const part of rawQuery.split('&')) {
      if (!part) continue;
      const eq = part.indexOf('=');
      // a pair with a malformed %-escape is left out, as Go's URL.Query() leaves it out
      let k: string;
      let v: string;
      try {
        k = decodeURIComponent(eq === -1 ? part : part.slice(0, eq));
        v = decodeURIComponent(eq === -1 ? '' : part.slice(eq + 1));
      } catch {
        continue;
      }
      (query[k] ??= []).push(v);
    }
    if (text.startsWith('/')) return new CelURL('', '', '', '', q === -1 ? text : text.slice(0, q), query);
    const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/.exec(q === -1 ? text : text.slice(0, q));
    if (!m) return undefined;
    const scheme = m[1]!;
    const rest = m[2]!;
    if (!rest.startsWith('//')) return rest.startsWith('/') ? new CelURL(scheme, '', '', '', rest, query) : undefined;
    const slash = rest.indexOf('/', 2);
    let host = slash === -1 ? rest.slice(2) : rest.slice(2, slash);
    const at = host.lastIndexOf('@');
    if (at !== -1) host = host.slice(at + 1);
    const path = slash === -1 ? '' : rest.slice(slash);
    let hostname = host;
    let port = '';
    const v6 = /^\[([^\]]*)\](?::(\d*))?$/.exec(host);
    if (v6) {
      hostname = v6[1]!;
      port = v6[2] ?? '';
    } else if (host.includes(':')) {
      const c = host.lastIndexOf(':');
      hostname = host.slice(0, c);
      port = host.slice(c + 1);
      if (!/^\d*$/.test(port)) return undefined;
    }
    return new CelURL(scheme, host, hostname, port, path, query);
  }
}

function regexFindCost(s: string, re: string): number {
  return Math.ceil((1 + s.length) * STRING_FACTOR) * Math.ceil(re.length * REGEX_FACTOR);
}

/** Go's strings.Replace with n < 0 meaning all. */
function replaceN(s: string, from: string, to: string, n: bigint): string {
  if (n === 0n) return s;
  let out = '';
  let rest = s;
  let count = 0n;
  if (from === '') {
    const chars = [...s];
    const parts: string[] = [];
    for (let i = 0; i <= chars.length; i++) {
      if (n < 0n || count < n) {
        parts.push(to);
        count++;
      }
      if (i < chars.length) parts.push(chars[i]!);
    }
    return parts.join('');
  }
  while (n < 0n || count < n) {
    const i = rest.indexOf(from);
    if (i === -1) break;
    out += rest.slice(0, i) + to;
    rest = rest.slice(i + from.length);
    count++;
  }
  return out + rest;
}

function quote(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** An int or uint argument as a bigint. */
function integerOf(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (v instanceof UnsignedInt) return v.valueOf();
  return undefined;
}

/** Go's %.<p>f: the exact binary value rounded half to even (JavaScript's toFixed rounds ties up). */
function fixed(x: number, p: number): string {
  const out = x.toFixed(p);
  if (Math.abs(x) >= 1e21 || p > 90) return out;
  const exact = Math.abs(x).toFixed(100);
  const dot = exact.indexOf('.');
  const rest = exact.slice(dot + 1 + p);
  if (!/^50*$/.test(rest)) return out;
  // a tie: toFixed rounded away from zero; Go keeps the even neighbour
  const kept = exact.slice(0, dot + 1 + p).replace(/\.$/, '');
  const last = Number(kept[kept.length - 1]);
  return last % 2 === 0 ? (x < 0 ? '-' : '') + kept : out;
}

/** `"%s %d".format([...])`: the strings extension's formatting verbs (cel-go ext.Strings v2+). */
function formatString(fmt: string, args: unknown[]): string {
  let i = 0;
  return fmt.replace(/%(?:\.(\d+))?(.?)/g, (_whole, prec: string | undefined, verb: string) => {
    if (verb === '%' && prec === undefined) return '%';
    if (!/^[sdfebox X]$/.test(verb) || verb === ' ') fail(`could not parse formatting clause: unrecognized formatting clause "${verb}"`);
    if (i >= args.length) fail(`index ${i} out of range`);
    const v = args[i++];
    switch (verb) {
      case 's':
        return stringOf(v);
      case 'd': {
        const n = integerOf(v);
        if (n !== undefined) return String(n);
        if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
        return fail('error during formatting: decimal clause can only be used on integers, was given ' + typeName(v));
      }
      case 'f':
      case 'e': {
        const x = typeof v === 'number' ? v : integerOf(v) !== undefined ? Number(integerOf(v)) : undefined;
        if (x === undefined) return fail(`error during formatting: ${verb === 'f' ? 'fixed-point' : 'scientific'} clause can only be used on doubles, was given ${typeName(v)}`);
        const p = prec === undefined ? 6 : Number(prec);
        if (Number.isNaN(x)) return 'NaN';
        if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
        if (verb === 'f') return fixed(x, p);
        return x.toExponential(p).replace(/e([+-])(\d)$/, 'e$10$2');
      }
      case 'x':
      case 'X': {
        let out: string;
        const n = integerOf(v);
        if (n !== undefined) out = n < 0n ? '-' + (-n).toString(16) : n.toString(16);
        else if (typeof v === 'string') out = Buffer.from(v, 'utf8').toString('hex');
        else if (v instanceof Uint8Array) out = Buffer.from(v).toString('hex');
        else return fail('error during formatting: only integers, byte buffers, and strings can be formatted as hex, was given ' + typeName(v));
        return verb === 'X' ? out.toUpperCase() : out;
      }
      case 'o': {
        const n = integerOf(v);
        if (n === undefined) return fail('error during formatting: octal clause can only be used on integers, was given ' + typeName(v));
        return n < 0n ? '-' + (-n).toString(8) : n.toString(8);
      }
      case 'b': {
        if (typeof v === 'boolean') return v ? '1' : '0';
        const n = integerOf(v);
        if (n === undefined) return fail('error during formatting: only integers and bools can be formatted as binary, was given ' + typeName(v));
        return n < 0n ? '-' + (-n).toString(2) : n.toString(2);
      }
    }
    return fail(`could not parse formatting clause: unrecognized formatting clause "${verb}"`);
  });
}

function typeName(v: unknown): string {
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'double';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (v === null) return 'null_type';
  if (v instanceof UnsignedInt) return 'uint';
  if (v instanceof Uint8Array) return 'bytes';
  if (Array.isArray(v)) return 'list';
  return 'map';
}

/** A timestamp as cel-go prints it (RFC 3339, UTC, the fraction without trailing zeros). */
function timestampText(t: Date): string {
  return t.toISOString().replace(/\.(\d*?)0*Z$/, (_m, f: string) => (f ? `.${f}Z` : 'Z'));
}

/** A duration as cel-go prints it: seconds with the fraction that is not zero (`6347s`, `1.5s`). */
function durationText(d: Duration): string {
  const total = d.seconds * 1_000_000_000n + BigInt(d.nanos);
  const neg = total < 0n;
  const abs = neg ? -total : total;
  const secs = abs / 1_000_000_000n;
  const frac = (abs % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${secs}${frac ? `.${frac}` : ''}s`;
}

function stringOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return Number.isInteger(v) ? v.toFixed(0) === String(v) ? String(v) : String(v) : String(v);
  if (v === null) return 'null';
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  if (Array.isArray(v)) return `[${v.map(stringOf).join(', ')}]`;
  if (v instanceof Date) return timestampText(v);
  if (v instanceof Quantity || v instanceof IPAddr || v instanceof CIDR) return v.toString();
  if (v instanceof Duration) return durationText(v);
  if (v instanceof UnsignedInt) return String(v.valueOf());
  if (v && typeof v === 'object' && Object.prototype.toString.call(v).startsWith('[object Type<')) return String((v as { name: string }).name);
  if (v && typeof v === 'object') {
    const entries = v instanceof Map ? [...v.entries()] : Object.entries(v);
    return `{${entries.map(([k, x]) => `${stringOf(k)}: ${stringOf(x)}`).sort().join(', ')}}`;
  }
  return String(v);
}

/** Register every Kubernetes library function on a fresh environment. */
/**
 * The Kubernetes minor version whose CEL environment kordon compiles for when no target version
 * is given: the newest kordon ships (NEWEST_KUBERNETES_VERSION, v1.37; a unit test keeps them
 * equal).
 */
export const DEFAULT_CEL_MINOR = 37;

/**
 * Register the API server's CEL libraries of one Kubernetes minor version (k8s.io/apiserver
 * pkg/cel/environment/base.go: each library from the version that introduced it). kordon's
 * oldest target is 1.30; what came before is always there.
 */
export function registerKubernetesLibraries(env: Environment, minor = DEFAULT_CEL_MINOR): Environment {
  if (minor >= 32) registerTwoVarComprehensions(env);
  registerOptionalHelpers(env);
  if (minor >= 34) registerListsExtension(env, minor);
  // ---- lists (library/lists.go)
  const traversal = <T>(f: (l: unknown[]) => T) => (l: unknown[]) => {
    chargeCost(traversalCost(l));
    return f(l);
  };
  env.registerFunction('list.isSorted(): bool', traversal((l) => l.every((x, i) => i === 0 || compareValues(l[i - 1], x) <= 0)));
  env.registerFunction('list.sum(): dyn', traversal((l) => {
    if (l.length === 0) return 0n;
    if (l.every((x) => typeof x === 'bigint')) return (l as bigint[]).reduce((a, b) => a + b, 0n);
    if (l.every((x) => typeof x === 'number')) return (l as number[]).reduce((a, b) => a + b, 0);
    return fail('no such overload: sum of mixed types');
  }));
  env.registerFunction('list.min(): dyn', traversal((l) => (l.length === 0 ? fail('min called on empty list') : l.reduce((a, b) => (compareValues(b, a) < 0 ? b : a)))));
  env.registerFunction('list.max(): dyn', traversal((l) => (l.length === 0 ? fail('max called on empty list') : l.reduce((a, b) => (compareValues(b, a) > 0 ? b : a)))));
  env.registerFunction('list.indexOf(dyn): int', (l: unknown[], x: unknown) => {
    chargeCost(traversalCost(l));
    return BigInt(l.findIndex((y) => celEquals(y, x)));
  });
  env.registerFunction('list.lastIndexOf(dyn): int', (l: unknown[], x: unknown) => {
    chargeCost(traversalCost(l));
    for (let i = l.length - 1; i >= 0; i--) if (celEquals(l[i], x)) return BigInt(i);
    return -1n;
  });
  // Kubernetes 1.37 (library.Lists version 1): `<dyn>.includes(<dyn>)`, a list's membership, or
  // equality for any other receiver; charged a traversal of the receiver as the other list functions
  if (minor >= 37) {
    env.registerFunction('dyn.includes(dyn): bool', (target: unknown, x: unknown) => {
      chargeCost(traversalCost(target));
      return Array.isArray(target) ? target.some((y) => celEquals(y, x)) : celEquals(target, x);
    });
  }
  // ---- conversions and orderings of the standard library the engine lacks
  const MAX_INT = 2n ** 63n - 1n;
  env.registerFunction('int(uint): int', (u: UnsignedInt) => (u.valueOf() > MAX_INT ? fail('range error converting uint to int') : u.valueOf()));
  env.registerFunction('int(google.protobuf.Timestamp): int', (t: Date) => BigInt(Math.floor(t.getTime() / 1000)));
  env.registerFunction('duration(google.protobuf.Duration): google.protobuf.Duration', (d: Duration) => d);
  env.registerFunction('timestamp(google.protobuf.Timestamp): google.protobuf.Timestamp', (t: Date) => t);
  env.registerFunction('string(google.protobuf.Duration): string', (d: Duration) => durationText(d));
  env.registerFunction('string(google.protobuf.Timestamp): string', (t: Date) => timestampText(t));
  const compareBytes = (a: Uint8Array, b: Uint8Array): number => {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
    return a.length - b.length;
  };
  env.registerOperator('bytes < bytes', (a: Uint8Array, b: Uint8Array) => compareBytes(a, b) < 0);
  env.registerOperator('bytes <= bytes', (a: Uint8Array, b: Uint8Array) => compareBytes(a, b) <= 0);
  env.registerOperator('bytes > bytes', (a: Uint8Array, b: Uint8Array) => compareBytes(a, b) > 0);
  env.registerOperator('bytes >= bytes', (a: Uint8Array, b: Uint8Array) => compareBytes(a, b) >= 0);
  // ---- sets (cel-go ext.Sets)
  env.registerType('kubernetes.SetsNamespace', SetsNamespace);
  env.registerConstant('sets', 'kubernetes.SetsNamespace', new SetsNamespace());
  const contains = (a: unknown[], b: unknown[]) => b.every((x) => a.some((y) => celEquals(x, y)));
  // cel-go's cost trackers: the call and |a| x |b| comparisons (twice for equivalent)
  const setsCost = (a: unknown[], b: unknown[], factor: number): void => chargeCost(1 + Math.floor(a.length * b.length * factor));
  env.registerFunction('kubernetes.SetsNamespace.contains(list, list): bool', (_: unknown, a: unknown[], b: unknown[]) => (setsCost(a, b, 1), contains(a, b)));
  env.registerFunction('kubernetes.SetsNamespace.equivalent(list, list): bool', (_: unknown, a: unknown[], b: unknown[]) => (setsCost(a, b, 2), contains(a, b) && contains(b, a)));
  env.registerFunction('kubernetes.SetsNamespace.intersects(list, list): bool', (_: unknown, a: unknown[], b: unknown[]) => (setsCost(a, b, 1), a.some((x) => b.some((y) => celEquals(x, y)))));
  // ---- strings extension functions the engine lacks
  env.registerFunction('string.charAt(int): string', (s: string, i: bigint) => {
    const chars = [...s];
    if (i < 0n || i > BigInt(chars.length)) fail(`index out of range: ${i}`);
    return chars[Number(i)] ?? '';
  });
  env.registerFunction('string.replace(string, string): string', (s: string, a: string, b: string) => (chargeCost(strCost(s, 2)), replaceN(s, a, b, -1n)));
  env.registerFunction('string.replace(string, string, int): string', (s: string, a: string, b: string, n: bigint) => (chargeCost(strCost(s, 2)), replaceN(s, a, b, n)));
  env.registerFunction('string.format(list): string', (s: string, args: unknown[]) => (chargeCost(strCost(s)), formatString(s, args)));
  env.registerType('kubernetes.StringsNamespace', StringsNamespace);
  env.registerConstant('strings', 'kubernetes.StringsNamespace', new StringsNamespace());
  env.registerFunction('kubernetes.StringsNamespace.quote(string): string', (_: unknown, s: string) => (chargeCost(strCost(s)), quote(s)));
  // ---- regex (library/regex.go)
  env.registerFunction('string.find(string): string', (s: string, re: string) => {
    chargeCost(regexFindCost(s, re));
    return compileRegex(re).exec(s)?.[0] ?? '';
  });
  env.registerFunction('string.findAll(string): list<string>', (s: string, re: string) => {
    chargeCost(regexFindCost(s, re));
    return [...s.matchAll(compileRegex(re, 'g'))].map((m) => m[0]);
  });
  env.registerFunction('string.findAll(string, int): list<string>', (s: string, re: string, n: bigint) => {
    chargeCost(regexFindCost(s, re));
    if (n === 0n) return [];
    const all = [...s.matchAll(compileRegex(re, 'g'))].map((m) => m[0]);
    return n < 0n ? all : all.slice(0, Number(n));
  });
  // ---- quantity (library/quantity.go)
  env.registerType('kubernetes.Quantity', Quantity);
  const parseQuantity = (s: string) => {
    chargeCost(strCost(s));
    return Quantity.parse(s) ?? fail(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  };
  env.registerFunction('quantity(string): kubernetes.Quantity', parseQuantity);
  env.registerFunction('isQuantity(string): bool', (s: string) => (chargeCost(strCost(s)), Quantity.parse(s) !== undefined));
  env.registerFunction('kubernetes.Quantity.sign(): int', (q: Quantity) => BigInt(q.sign()));
  env.registerFunction('kubernetes.Quantity.isInteger(): bool', (q: Quantity) => q.isInteger());
  env.registerFunction('kubernetes.Quantity.asInteger(): int', (q: Quantity) => q.asInteger() ?? fail('cannot convert value to integer'));
  env.registerFunction('kubernetes.Quantity.asApproximateFloat(): double', (q: Quantity) => q.asApproximateFloat());
  env.registerFunction('kubernetes.Quantity.isGreaterThan(kubernetes.Quantity): bool', (a: Quantity, b: Quantity) => a.compareTo(b) > 0);
  env.registerFunction('kubernetes.Quantity.isLessThan(kubernetes.Quantity): bool', (a: Quantity, b: Quantity) => a.compareTo(b) < 0);
  env.registerFunction('kubernetes.Quantity.compareTo(kubernetes.Quantity): int', (a: Quantity, b: Quantity) => BigInt(a.compareTo(b)));
  env.registerFunction('kubernetes.Quantity.add(kubernetes.Quantity): kubernetes.Quantity', (a: Quantity, b: Quantity) => a.add(b));
  env.registerFunction('kubernetes.Quantity.add(int): kubernetes.Quantity', (a: Quantity, b: bigint) => a.add(toQuantity(b)));
  env.registerFunction('kubernetes.Quantity.sub(kubernetes.Quantity): kubernetes.Quantity', (a: Quantity, b: Quantity) => a.sub(b));
  env.registerFunction('kubernetes.Quantity.sub(int): kubernetes.Quantity', (a: Quantity, b: bigint) => a.sub(toQuantity(b)));
  env.registerOperator('kubernetes.Quantity == kubernetes.Quantity', (a: Quantity, b: Quantity) => a.compareTo(b) === 0);
  // ---- ip / cidr (library/ip.go, cidr.go)
  env.registerType('net.IP', IPAddr);
  env.registerType('net.CIDR', CIDR);
  env.registerType('kubernetes.IpNamespace', IpNamespace);
  env.registerConstant('ip', 'kubernetes.IpNamespace', new IpNamespace());
  const parseIP = (s: string): IPAddr => {
    chargeCost(strCost(s));
    if (s.includes('%')) fail(`IP address with zone value is not allowed`);
    return IPAddr.parse(s) ?? fail(`IP Address "${s}" parse error during conversion from string: ParseAddr("${s}"): unable to parse IP`);
  };
  const parseCIDR = (s: string): CIDR => {
    chargeCost(strCost(s));
    return CIDR.parse(s) ?? fail(`network address parse error during conversion from string: network address "${s}" is not valid`);
  };
  env.registerFunction('ip(string): net.IP', parseIP);
  env.registerFunction('isIP(string): bool', (s: string) => (chargeCost(strCost(s)), IPAddr.parse(s) !== undefined));
  env.registerFunction('kubernetes.IpNamespace.isCanonical(string): bool', (_: unknown, s: string) => {
    chargeCost(strCost(s, 2));
    if (s.includes('%')) fail(`IP address with zone value is not allowed`);
    const ip = IPAddr.parse(s) ?? fail(`IP Address "${s}" parse error during conversion from string: ParseAddr("${s}"): unable to parse IP`);
    return ip.toString() === s;
  });
  env.registerFunction('net.IP.family(): int', (ip: IPAddr) => BigInt(ip.family));
  env.registerFunction('net.IP.isUnspecified(): bool', (ip: IPAddr) => ip.isUnspecified());
  env.registerFunction('net.IP.isLoopback(): bool', (ip: IPAddr) => ip.isLoopback());
  env.registerFunction('net.IP.isLinkLocalMulticast(): bool', (ip: IPAddr) => ip.isLinkLocalMulticast());
  env.registerFunction('net.IP.isLinkLocalUnicast(): bool', (ip: IPAddr) => ip.isLinkLocalUnicast());
  env.registerFunction('net.IP.isGlobalUnicast(): bool', (ip: IPAddr) => ip.isGlobalUnicast());
  env.registerFunction('string(net.IP): string', (ip: IPAddr) => ip.toString());
  env.registerOperator('net.IP == net.IP', (a: IPAddr, b: IPAddr) => a.family === b.family && a.value === b.value);
  env.registerFunction('cidr(string): net.CIDR', parseCIDR);
  env.registerFunction('isCIDR(string): bool', (s: string) => (chargeCost(strCost(s)), CIDR.parse(s) !== undefined));
  // cost.go: comparing the prefix's bytes (the CIDR's Size(), ceil(prefix bits / 8)) twice, for
  // containsCIDR the masking again plus 1; the string overloads add the parse, but only when the
  // checker resolved that overload (an argument of type dyn is dispatched at runtime: no parse cost)
  const containsCost = (c: CIDR, extra: number, s: string | undefined): void =>
    chargeCost(Math.ceil(2 * c.size() * 0.1) + extra + (s !== undefined && isTypedDispatch() ? strCost(s) : 0));
  const quietIP = (s: string): IPAddr => {
    if (s.includes('%')) fail(`IP address with zone value is not allowed`);
    return IPAddr.parse(s) ?? fail(`IP Address "${s}" parse error during conversion from string: ParseAddr("${s}"): unable to parse IP`);
  };
  const quietCIDR = (s: string): CIDR => CIDR.parse(s) ?? fail(`network address parse error during conversion from string: network address "${s}" is not valid`);
  env.registerFunction('net.CIDR.containsIP(net.IP): bool', (c: CIDR, ip: IPAddr) => (containsCost(c, 0, undefined), c.containsIP(ip)));
  env.registerFunction('net.CIDR.containsIP(string): bool', (c: CIDR, ip: string) => (containsCost(c, 0, ip), c.containsIP(quietIP(ip))));
  env.registerFunction('net.CIDR.containsCIDR(net.CIDR): bool', (c: CIDR, o: CIDR) => (containsCost(c, Math.ceil(c.size() * 0.1) + 1, undefined), c.containsCIDR(o)));
  env.registerFunction('net.CIDR.containsCIDR(string): bool', (c: CIDR, o: string) => (containsCost(c, Math.ceil(c.size() * 0.1) + 1, o), c.containsCIDR(quietCIDR(o))));
  env.registerFunction('net.CIDR.ip(): net.IP', (c: CIDR) => c.addr);
  env.registerFunction('net.CIDR.masked(): net.CIDR', (c: CIDR) => c.masked());
  env.registerFunction('net.CIDR.prefixLength(): int', (c: CIDR) => BigInt(c.prefix));
  env.registerFunction('string(net.CIDR): string', (c: CIDR) => c.toString());
  env.registerOperator('net.CIDR == net.CIDR', (a: CIDR, b: CIDR) => a.toString() === b.toString());
  // ---- url (library/urls.go)
  env.registerType('kubernetes.URL', CelURL);
  env.registerFunction('url(string): kubernetes.URL', (s: string) => (chargeCost(strCost(s)), CelURL.parse(s) ?? fail(`URL parse error during conversion from string: parse "${s}": invalid URI for request`)));
  env.registerFunction('isURL(string): bool', (s: string) => (chargeCost(strCost(s)), CelURL.parse(s) !== undefined));
  env.registerFunction('kubernetes.URL.getScheme(): string', (u: CelURL) => u.scheme);
  env.registerFunction('kubernetes.URL.getHost(): string', (u: CelURL) => u.host);
  env.registerFunction('kubernetes.URL.getHostname(): string', (u: CelURL) => u.hostname);
  env.registerFunction('kubernetes.URL.getPort(): string', (u: CelURL) => u.port);
  env.registerFunction('kubernetes.URL.getEscapedPath(): string', (u: CelURL) => u.escapedPath);
  env.registerFunction('kubernetes.URL.getQuery(): map<string, list<string>>', (u: CelURL) => u.query);
  // ---- semver (library/semverlib.go, 1.33+)
  if (minor >= 33) {
    env.registerType('kubernetes.Semver', Semver);
    const parseSemver = (s: string, normalize: boolean) => (chargeCost(strCost(s)), Semver.parse(s, normalize) ?? fail(`could not parse semver "${s}"`));
    env.registerFunction('semver(string): kubernetes.Semver', (s: string) => parseSemver(s, false));
    env.registerFunction('semver(string, bool): kubernetes.Semver', (s: string, n: boolean) => parseSemver(s, n));
    env.registerFunction('isSemver(string): bool', (s: string) => (chargeCost(strCost(s)), Semver.parse(s) !== undefined));
    env.registerFunction('isSemver(string, bool): bool', (s: string, n: boolean) => (chargeCost(strCost(s)), Semver.parse(s, n) !== undefined));
    env.registerFunction('kubernetes.Semver.major(): int', (v: Semver) => v.major);
    env.registerFunction('kubernetes.Semver.minor(): int', (v: Semver) => v.minor);
    env.registerFunction('kubernetes.Semver.patch(): int', (v: Semver) => v.patch);
    env.registerFunction('kubernetes.Semver.isGreaterThan(kubernetes.Semver): bool', (a: Semver, b: Semver) => a.compareTo(b) > 0);
    env.registerFunction('kubernetes.Semver.isLessThan(kubernetes.Semver): bool', (a: Semver, b: Semver) => a.compareTo(b) < 0);
    env.registerFunction('kubernetes.Semver.compareTo(kubernetes.Semver): int', (a: Semver, b: Semver) => BigInt(a.compareTo(b)));
    env.registerOperator('kubernetes.Semver == kubernetes.Semver', (a: Semver, b: Semver) => a.compareTo(b) === 0);
  }
  // ---- format (library/format.go, 1.31+)
  if (minor >= 31) {
    env.registerType('kubernetes.NamedFormat', CelFormat);
    env.registerType('kubernetes.FormatNamespace', FormatNamespace);
    env.registerConstant('format', 'kubernetes.FormatNamespace', new FormatNamespace());
    for (const name of Object.keys(NAMED_FORMATS)) {
      env.registerFunction(`kubernetes.FormatNamespace.${name}(): kubernetes.NamedFormat`, () => new CelFormat(name));
    }
    env.registerFunction('kubernetes.FormatNamespace.named(string): optional<kubernetes.NamedFormat>', (_: unknown, n: string) => (n in NAMED_FORMATS ? Optional.of(new CelFormat(n)) : Optional.none()));
    env.registerFunction('kubernetes.NamedFormat.validate(string): optional<list<string>>', (f: CelFormat, s: string) => {
      chargeCost(Math.ceil((1 + s.length) * STRING_FACTOR) * Math.ceil(f.maxRegexSize * REGEX_FACTOR));
      const errs = NAMED_FORMATS[f.name]!(s);
      return errs.length ? Optional.of(errs) : Optional.none();
    });
  }
  // ---- authorizer (library/authz.go), answered by a callback
  env.registerType('kubernetes.authorization.Authorizer', Authorizer);
  env.registerType('kubernetes.authorization.PathCheck', PathCheck);
  env.registerType('kubernetes.authorization.GroupCheck', GroupCheck);
  env.registerType('kubernetes.authorization.ResourceCheck', ResourceCheck);
  env.registerType('kubernetes.authorization.Decision', Decision);
  const A = 'kubernetes.authorization.';
  env.registerFunction(`${A}Authorizer.path(string): ${A}PathCheck`, (a: Authorizer, p: string) => new PathCheck(a, p));
  env.registerFunction(`${A}Authorizer.group(string): ${A}GroupCheck`, (a: Authorizer, g: string) => new GroupCheck(a, g));
  env.registerFunction(`${A}Authorizer.serviceAccount(string, string): ${A}Authorizer`, (a: Authorizer, ns: string, n: string) => new Authorizer(a.authorize, { kind: 'ServiceAccount', namespace: ns, name: n }));
  env.registerFunction(`${A}GroupCheck.resource(string): ${A}ResourceCheck`, (g: GroupCheck, r: string) => new ResourceCheck(g.authz, g.group, r));
  env.registerFunction(`${A}ResourceCheck.subresource(string): ${A}ResourceCheck`, (r: ResourceCheck, s: string) => r.with({ subresource: s }));
  env.registerFunction(`${A}ResourceCheck.namespace(string): ${A}ResourceCheck`, (r: ResourceCheck, s: string) => r.with({ namespace: s }));
  env.registerFunction(`${A}ResourceCheck.name(string): ${A}ResourceCheck`, (r: ResourceCheck, s: string) => r.with({ name: s }));
  // AuthzSelectors (in the environment from 1.31 behind the AuthorizeWithSelectors gate: on by
  // default from 1.32, GA in 1.34): a selector is parsed into requirements, charged as cost.go's
  // selectorCostEstimate (10 + length / 10 + 50 per two characters); RBAC ignores them
  if (minor >= 32) {
    const selectorCost = (s: string): number => 10 + strCost(s) + 50 * Math.ceil([...s].length * 0.5);
    env.registerFunction(`${A}ResourceCheck.fieldSelector(string): ${A}ResourceCheck`, (r: ResourceCheck, s: string) => (chargeCost(selectorCost(s)), r.with({ fieldSelector: s })));
    env.registerFunction(`${A}ResourceCheck.labelSelector(string): ${A}ResourceCheck`, (r: ResourceCheck, s: string) => (chargeCost(selectorCost(s)), r.with({ labelSelector: s })));
  }
  const check = (authz: Authorizer, attrs: Omit<AuthorizerAttributes, 'user'>) => {
    chargeCost(350000);
    return new Decision(authz.authorize({ ...attrs, ...(authz.user ? { user: authz.user } : {}) }));
  };
  env.registerFunction(`${A}PathCheck.check(string): ${A}Decision`, (p: PathCheck, verb: string) => check(p.authz, { path: p.path, verb }));
  env.registerFunction(`${A}ResourceCheck.check(string): ${A}Decision`, (r: ResourceCheck, verb: string) =>
    check(r.authz, { group: r.group, resource: r.resource, subresource: r.subresource, namespace: r.namespace, name: r.name, verb }),
  );
  env.registerFunction(`${A}Decision.allowed(): bool`, (d: Decision) => d.d.decision === 'allow');
  env.registerFunction(`${A}Decision.reason(): string`, (d: Decision) => d.d.reason);
  env.registerFunction(`${A}Decision.errored(): bool`, (d: Decision) => d.d.error !== undefined);
  env.registerFunction(`${A}Decision.error(): string`, (d: Decision) => d.d.error ?? '');
  return env;
}

export { stringOf, compareValues };
