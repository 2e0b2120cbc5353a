/**
 * kordon's CEL engine: @marcbachmann/cel-js (docs/adr/0011-cel-engine.md) with the Kubernetes
 * libraries, JSON values read as the API server reads them (integers are CEL ints), compile
 * errors with line and column, and the API server's runtime cost limits.
 */
import { Environment } from '@marcbachmann/cel-js';
import { registerKubernetesLibraries } from './library.js';
import { CelRuntimeError, CostLimitError, CostTracker, PER_CALL_LIMIT, withTracker } from './runtime.js';
import { compileRegex } from './regex.js';

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

function environmentFor(variables: readonly string[]): Environment {
  const key = [...variables].sort().join(',');
  let env = environments.get(key);
  if (!env) {
    env = registerKubernetesLibraries(new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: false, unlistedVariablesAreDyn: false }));
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

interface AstLike {
  op?: string;
  evaluate?: (ev: unknown, ast: unknown, ctx: unknown) => unknown;
  meta?: { alternate?: unknown; macro?: unknown };
}

/** Charge one cost unit for every evaluated step (every AST node evaluation, every loop step). */
function instrument(root: unknown, tick: () => void): void {
  const seen = new Set<object>();
  const visit = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const x of v) visit(x);
      return;
    }
    const node = v as AstLike;
    if (typeof node.op === 'string' && typeof node.evaluate === 'function' && node.meta) {
      const proto = Object.getPrototypeOf(node) as { evaluate: NonNullable<AstLike['evaluate']> };
      let resolved: AstLike['evaluate'];
      const wrapped = function (this: AstLike, ev: unknown, ast: unknown, ctx: unknown): unknown {
        tick();
        if (resolved) return resolved.call(this, ev, ast, ctx);
        const r = proto.evaluate.call(this, ev, ast, ctx);
        resolved = this.evaluate;
        this.evaluate = wrapped;
        return r;
      };
      node.evaluate = wrapped;
      visit(node.meta.alternate);
      visit(node.meta.macro);
    }
    if (Object.getPrototypeOf(v) !== Object.prototype && !Array.isArray(v) && !(typeof node.op === 'string')) {
      // a macro object: walk its fields
    }
    for (const x of Object.values(v)) visit(x);
  };
  visit(root);
}

const STRING_FACTOR = 0.1;
const REGEX_FACTOR = 0.25;
const len = (v: unknown): number => (typeof v === 'string' ? v.length : Array.isArray(v) ? v.length : v instanceof Uint8Array ? v.length : 0);
const traverse = (v: unknown, factor = 1): number => Math.ceil(len(v) * factor * STRING_FACTOR);

/**
 * The call costs cel-go charges for the string functions the engine has built in
 * (interpreter/runtimecost.go), and RE2's inline flags for `matches` (the engine's own
 * `matches` is JavaScript's RegExp): both put on the checked call nodes.
 */
const BUILT_IN_CALLS: Record<string, { cost: (vals: unknown[]) => number; impl?: (vals: unknown[]) => unknown }> = {
  startsWith: { cost: ([r]) => traverse(r) },
  endsWith: { cost: ([r]) => traverse(r) },
  contains: { cost: ([r, a]) => traverse(r) * traverse(a) },
  lowerAscii: { cost: ([r]) => traverse(r) },
  upperAscii: { cost: ([r]) => traverse(r) },
  trim: { cost: ([r]) => traverse(r) },
  substring: { cost: ([r]) => traverse(r) },
  indexOf: { cost: ([r]) => (typeof r === 'string' ? traverse(r) : 0) },
  lastIndexOf: { cost: ([r]) => (typeof r === 'string' ? traverse(r) : 0) },
  split: { cost: ([r]) => traverse(r, 2) },
  join: { cost: ([r]) => (Array.isArray(r) ? Math.ceil(r.reduce((a: number, x) => a + len(x), 0) * 2 * STRING_FACTOR) : 0) },
  matches: {
    cost: ([r, re]) => Math.ceil((1 + len(r)) * STRING_FACTOR) * Math.ceil(len(re) * REGEX_FACTOR),
    impl: ([r, re]) => (typeof r === 'string' && typeof re === 'string' ? compileRegex(re).test(r) : undefined),
  },
};

interface CallNode {
  op?: string;
  args?: unknown;
  handle?: (vals: unknown, ev: unknown, ast: unknown) => unknown;
}

function builtInCosts(root: unknown, charge: (n: number) => void): void {
  const seen = new Set<object>();
  const visit = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    const node = v as CallNode & AstLike;
    if (node.op === 'rcall' && Array.isArray(node.args) && typeof node.args[0] === 'string' && typeof node.handle === 'function') {
      const entry = BUILT_IN_CALLS[node.args[0]];
      if (entry) {
        const orig = node.handle;
        node.handle = (vals, ev, ast) => {
          if (!Array.isArray(vals)) return orig(vals, ev, ast);
          charge(entry.cost(vals));
          if (entry.impl) {
            const r = entry.impl(vals);
            if (r !== undefined) return r;
          }
          return orig(vals, ev, ast);
        };
      }
    }
    if (node.meta) {
      visit(node.meta.alternate);
      visit(node.meta.macro);
    }
    for (const x of Array.isArray(v) ? v : Object.values(v)) visit(x);
  };
  visit(root);
}

/**
 * Compile (parse and type-check) an expression over the given variables (all `dyn`, as for
 * objects without a schema). Errors carry the position inside the expression.
 */
export function compileCel(expression: string, variables: readonly string[]): CompileResult {
  if (expression.length > MAX_EXPRESSION_LENGTH) return { ok: false, error: { message: `expression is ${expression.length} characters long, more than the ${MAX_EXPRESSION_LENGTH} allowed` } };
  if (expression.trim() === '') return { ok: false, error: { message: 'expression is empty' } };
  const env = environmentFor(variables);
  let parsed: ReturnType<Environment['parse']>;
  try {
    parsed = env.parse(expression);
  } catch (e) {
    return { ok: false, error: describeError(e, expression) };
  }
  const checked = parsed.check();
  if (!checked.valid) return { ok: false, error: describeError(checked.error, expression) };
  let tracker: CostTracker | undefined;
  instrument(parsed.ast, () => tracker?.charge(1));
  builtInCosts(parsed.ast, (n) => tracker?.charge(n));
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
