/**
 * kordon's CEL engine: @marcbachmann/cel-js (docs/adr/0011-cel-engine.md) with the Kubernetes
 * libraries, JSON values read as the API server reads them (integers are CEL ints), compile
 * errors with line and column, and the API server's runtime cost limits.
 */
import { Environment } from '@marcbachmann/cel-js';
import { DEFAULT_CEL_MINOR, registerKubernetesLibraries } from './library.js';
import { CelRuntimeError, CostLimitError, CostTracker, PER_CALL_LIMIT, withTracker } from './runtime.js';
import { instrumentCosts } from './cost.js';
import { extendHas, homogeneousLiteralError, installOptionalLiterals } from './optional-literals.js';

export interface CelPosition {
  /** 1-based line and column inside the expression. */
  line: number;
  column: number;
  offset: number;
}

export interface CelCompileError {
  message: string;
  position?: CelPosition;
}

export interface CelProgram {
  expression: string;
  /** Evaluate with the given variables (JSON values: converted with toCel). */
  evaluate(vars: Record<string, unknown>, tracker?: CostTracker): unknown;
}

export type CompileResult = { ok: true; program: CelProgram; type: string } | { ok: false; error: CelCompileError };

export type CelEvalResult = { ok: true; value: unknown; cost: number } | { ok: false; error: string; cost: number; costExceeded: boolean };

/** The API server's maximum expression length for validations (CEL's ast limits aside). */
export const MAX_EXPRESSION_LENGTH = 5 * 1024;

const environments = new Map<string, Environment>();

function environmentFor(variables: readonly string[], minor: number): Environment {
  const key = `${minor}:${[...variables].sort().join(',')}`;
  let env = environments.get(key);
  if (!env) {
    env = registerKubernetesLibraries(new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: false, unlistedVariablesAreDyn: false }), minor);
    installOptionalLiterals(env);
    for (const v of variables) env.registerVariable(v, 'dyn');
    environments.set(key, env);
  }
  return env;
}

export function positionOf(expression: string, offset: number): CelPosition {
  const before = expression.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return { line, column, offset };
}

function describeError(e: unknown, expression: string): CelCompileError {
  const err = e as { message?: string; range?: { start: number }; summary?: string };
  const first = String(err.summary ?? err.message ?? e).split('\n')[0]!.trim();
  const position = typeof err.range?.start === 'number' ? positionOf(expression, err.range.start) : undefined;
  return position ? { message: first, position } : { message: first };
}

/** Format a compile error as `line L, column C: message`. */
export function formatCompileError(e: CelCompileError): string {
  return e.position ? `line ${e.position.line}, column ${e.position.column}: ${e.message}` : e.message;
}

export interface CompileOptions {
  /**
   * cel-go's bindings extension (`cel.bind(v, init, e)`). The API server's CEL environment
   * (k8s.io/apiserver pkg/cel/environment/base.go, v0.35.4 and v0.37.0) does not include it, so
   * kordon refuses it as the server does ("undeclared reference to 'cel'"); only the conformance
   * suite turns it on to test the engine itself.
   */
  bindings?: boolean;
  /**
   * List and map literals of mixed element types (`[1, 'a']`): the CEL default, but not the API
   * server's (it enables cel.HomogeneousAggregateLiterals); the conformance suite only.
   */
  heterogeneousLiterals?: boolean;
  /**
   * The Kubernetes version whose CEL environment is used (`v1.37`, `1.33.2`): libraries come with
   * the version that introduced them (base.go); default: DEFAULT_CEL_MINOR (the newest kordon
   * ships). Versions before 1.30 are read as 1.30, versions after 1.37 as 1.37.
   */
  kubeVersion?: string;
}

/** The environment's minor version for a Kubernetes version text (see CompileOptions.kubeVersion). */
export function celMinor(kubeVersion: string | undefined): number {
  const m = kubeVersion === undefined ? undefined : /^v?1\.(0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[-+].*)?$/.exec(kubeVersion.trim());
  if (!m) return DEFAULT_CEL_MINOR;
  return Math.min(37, Math.max(30, Number(m[1])));
}

/** The first reference to the `cel` namespace (cel.bind), which the API server does not declare. */
function celNamespaceReference(node: unknown, seen = new Set<object>()): { start: number } | undefined {
  if (node === null || typeof node !== 'object' || seen.has(node)) return undefined;
  seen.add(node);
  if (Array.isArray(node)) {
    for (const x of node) {
      const r = celNamespaceReference(x, seen);
      if (r) return r;
    }
    return undefined;
  }
  const n = node as { op?: unknown; args?: unknown; start?: number };
  if (typeof n.op !== 'string') return undefined;
  if (n.op === 'id' && n.args === 'cel') return { start: n.start ?? 0 };
  return celNamespaceReference(n.args, seen);
}

/**
 * Compile (parse and type-check) an expression over the given variables (all `dyn`, as for
 * objects without a schema). Errors carry the position inside the expression.
 */
export function compileCel(expression: string, variables: readonly string[], options: CompileOptions = {}): CompileResult {
  const r = compileIn(expression, variables, options);
  if (r.ok || r.error.message.startsWith('expression is')) return r;
  // what a newer Kubernetes version's environment has (includes() in 1.37, ...): say so
  const minor = celMinor(options.kubeVersion);
  for (let n = minor + 1; n <= 37; n++) {
    if (compileIn(expression, variables, { ...options, kubeVersion: `1.${n}` }).ok) {
      return { ok: false, error: { ...r.error, message: `${r.error.message} (in the CEL environment of Kubernetes 1.${n} and later; the target version is 1.${minor}: --kube-version)` } };
    }
  }
  return r;
}

function compileIn(expression: string, variables: readonly string[], options: CompileOptions): CompileResult {
  if (expression.length > MAX_EXPRESSION_LENGTH) return { ok: false, error: { message: `expression is ${expression.length} characters long, more than the ${MAX_EXPRESSION_LENGTH} allowed` } };
  if (expression.trim() === '') return { ok: false, error: { message: 'expression is empty' } };
  const env = environmentFor(variables, celMinor(options.kubeVersion));
  let parsed: ReturnType<Environment['parse']>;
  try {
    parsed = env.parse(expression);
  } catch (e) {
    return { ok: false, error: describeError(e, expression) };
  }
  extendHas(parsed.ast);
  if (!options.bindings) {
    const ref = celNamespaceReference(parsed.ast);
    if (ref) return { ok: false, error: { message: "undeclared reference to 'cel' (in container ''): cel.bind is not in the API server's CEL environment", position: positionOf(expression, ref.start) } };
  }
  const checked = parsed.check();
  if (!checked.valid) return { ok: false, error: describeError(checked.error, expression) };
  // the API server's environment has cel.HomogeneousAggregateLiterals (base.go): [1, 'a'] and
  // [object.x, 1] do not compile
  if (!options.heterogeneousLiterals) {
    const mixed = homogeneousLiteralError(parsed.ast);
    if (mixed) return { ok: false, error: { message: mixed.message, position: positionOf(expression, mixed.start) } };
  }
  let tracker: CostTracker | undefined;
  instrumentCosts(parsed.ast, (n) => tracker?.charge(n));
  const program: CelProgram = {
    expression,
    evaluate(vars, t) {
      const prev = tracker;
      tracker = t ?? new CostTracker(PER_CALL_LIMIT);
      const active = tracker;
      try {
        return withTracker(active, () => parsed(vars));
      } finally {
        tracker = prev;
      }
    },
  };
  return { ok: true, program, type: String(checked.type) };
}

/** Evaluate, never throwing: errors (also a cost limit) come back as a message. */
export function evaluateCel(program: CelProgram, vars: Record<string, unknown>, limit = PER_CALL_LIMIT): CelEvalResult {
  const tracker = new CostTracker(limit);
  try {
    const value = program.evaluate(vars, tracker);
    // a quantifier may have absorbed the cancellation as an element's error and decided anyway
    if (tracker.cost > limit) return { ok: false, error: 'operation cancelled: actual cost limit exceeded', cost: tracker.cost, costExceeded: true };
    return { ok: true, value, cost: tracker.cost };
  } catch (e) {
    if (e instanceof CostLimitError || tracker.cost > limit) return { ok: false, error: 'operation cancelled: actual cost limit exceeded', cost: tracker.cost, costExceeded: true };
    const msg = e instanceof CelRuntimeError ? e.message : celGoMessage(String((e as Error).message ?? e).split('\n')[0]!.trim());
    return { ok: false, error: msg, cost: tracker.cost, costExceeded: false };
  }
}

/** The engine's runtime error texts in cel-go's words, where they say the same thing. */
function celGoMessage(msg: string): string {
  const m = /^No such key: (.*)$/.exec(msg);
  if (m) return `no such key: ${m[1]}`;
  if (/^Index out of range/i.test(msg)) return msg.replace(/^Index out of range/i, 'index out of range');
  return msg.replace(/^no matching overload/i, 'no such overload');
}

/**
 * A JSON value as the API server hands it to CEL: integers become CEL ints (bigint), other
 * numbers doubles; objects are maps. Shared sub-trees are converted once.
 */
export function toCel(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map(toCel);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toCel(x);
    return out;
  }
  return v;
}

/** A CEL result back to JSON (ints to numbers where safe). */
export function fromCel(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(fromCel);
  if (v instanceof Map) return Object.fromEntries([...v.entries()].map(([k, x]) => [String(k), fromCel(x)]));
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fromCel(x)]));
  return v;
}
