/**
 * cel-go's two-variable comprehensions (ext.TwoVarComprehensions, in the Kubernetes CEL
 * environment since 1.33): `all(i, v, p)`, `exists(i, v, p)`, `existsOne(i, v, p)`,
 * `transformList(i, v, [filter,] expr)`, `transformMap(k, v, [filter,] expr)` and
 * `transformMapEntry(k, v, [filter,] expr)`, as macros on the engine's registration API. Over
 * a list the first variable is the index (int) and the second the element; over a map the key
 * and the value.
 *
 * Semantics as cel-go: `all` and `exists` stop at the deciding element and an error on another
 * element only counts when no element decided (`[1, 'a'].exists(i, v, v == 1)` is true);
 * `existsOne` and the transforms fail on any error; `transformMapEntry` fails on a key produced
 * twice. Every evaluated step is charged by the cost instrumentation (engine.ts), as cel-go
 * charges each step of the expanded comprehension.
 */
import type { Environment } from '@marcbachmann/cel-js';
import { CelRuntimeError, CostLimitError, chargeCost } from './runtime.js';
import { isConstant } from './cost.js';
import type { AstNode, CelType, Checker, Ctx, Evaluator } from './macro-types.js';

/* The engine's checker, evaluator, types and contexts, as far as the macros use them. */

type Kind = 'all' | 'exists' | 'existsOne' | 'transformList' | 'transformMap' | 'transformMapEntry';

interface TwoVarMacro {
  kind: Kind;
  receiver: AstNode;
  first: string;
  second: string;
  filter?: AstNode;
  body: AstNode;
  /** The contexts with both variables, made by typeCheck (the second's parent is the first). */
  ctx1?: Ctx;
  ctx2?: Ctx;
  evaluate(ev: Evaluator, m: TwoVarMacro, ctx: Ctx): unknown;
  typeCheck(chk: Checker, m: TwoVarMacro, ctx: Ctx): CelType;
  async: false;
}

function fail(message: string): never {
  throw new CelRuntimeError(message);
}

function identifier(node: AstNode, kind: Kind, which: string, chkError: (m: string) => Error): string {
  if (node?.op === 'id' && typeof node.args === 'string') return node.args;
  throw chkError(`${kind}() ${which} variable name must be a simple identifier`);
}

function typeCheck(chk: Checker, m: TwoVarMacro, ctx: Ctx): CelType {
  const range = chk.check(m.receiver, ctx);
  const dyn = chk.getType('dyn');
  const known = (t: CelType | undefined): CelType => (!t || t.kind === 'param' ? dyn : t);
  let firstType: CelType;
  let secondType: CelType;
  if (range.kind === 'list') {
    firstType = chk.getType('int');
    secondType = known(range.valueType);
  } else if (range.kind === 'map') {
    firstType = known(range.keyType);
    secondType = known(range.valueType);
  } else if (range.kind === 'dyn') {
    firstType = dyn;
    secondType = dyn;
  } else {
    throw chk.createError('invalid_comprehension_range', `expression of type '${chk.formatType?.(range) ?? range.kind}' cannot be the range of a comprehension (must be list, map, or dynamic)`, m.receiver);
  }
  if (m.first === m.second) throw chk.createError('invalid_macro_argument', `${m.kind}() the two variables must have different names`, m.body);
  m.ctx1 = ctx.forkWithVariable(m.first, firstType);
  m.ctx2 = m.ctx1.forkWithVariable(m.second, secondType);
  const boolish = (node: AstNode, what: string): void => {
    const t = chk.check(node, m.ctx2!);
    if (t.type !== 'bool' && t.kind !== 'dyn') throw chk.createError('invalid_macro_argument', `${m.kind}() ${what} must return bool`, node);
  };
  if (m.filter) boolish(m.filter, 'filter');
  if (m.kind === 'all' || m.kind === 'exists' || m.kind === 'existsOne') {
    boolish(m.body, 'predicate');
    return chk.getType('bool');
  }
  const bodyType = chk.check(m.body, m.ctx2);
  if (m.kind === 'transformList') return chk.registry.getListType(known(bodyType));
  if (m.kind === 'transformMap') return chk.registry.getMapType(firstType, known(bodyType));
  // transformMapEntry: the body is a map of one entry
  if (bodyType.kind !== 'map' && bodyType.kind !== 'dyn') throw chk.createError('invalid_macro_argument', `transformMapEntry() expression must return a map`, m.body);
  return bodyType.kind === 'map' ? chk.registry.getMapType(known(bodyType.keyType), known(bodyType.valueType)) : bodyType;
}

/** The (first, second) pairs of a list (index, element) or a map (key, value). */
function pairsOf(range: unknown): Array<[unknown, unknown]> {
  if (Array.isArray(range)) return range.map((v, i) => [BigInt(i), v]);
  if (range instanceof Set) return [...range].map((v, i) => [BigInt(i), v]);
  if (range instanceof Map) return [...range.entries()];
  if (range !== null && typeof range === 'object' && !(range instanceof Uint8Array)) return Object.entries(range);
  return fail('expression cannot be the range of a comprehension (must be list, map, or dynamic)');
}

function asBool(v: unknown, kind: Kind): boolean {
  if (typeof v === 'boolean') return v;
  return fail(`no such overload: ${kind}() predicate returned a non-bool value`);
}

function entriesOf(v: unknown): Array<[unknown, unknown]> {
  if (v instanceof Map) return [...v.entries()];
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array)) return Object.entries(v);
  return fail('transformMapEntry() expression must return a map');
}

function evaluate(ev: Evaluator, m: TwoVarMacro, ctx: Ctx): unknown {
  const range = ev.run(m.receiver, ctx);
  const pairs = pairsOf(range);
  const c1 = m.ctx1!.reuse(ctx);
  const c2 = m.ctx2!.reuse(c1);
  const bind = (a: unknown, b: unknown): Ctx => (c1.setIterValue(a, ev), c2.setIterValue(b, ev));
  const run = (node: AstNode, a: unknown, b: unknown): unknown => ev.run(node, bind(a, b));
  // costs as cel-go's expansion of the macros: the loop condition before each step of all and
  // exists (2, 3: `@not_strictly_false(__result__)`, `...(!__result__)`) and the accumulator (1),
  // an element added to a list 12 (`__result__ + [e]`), to a map 3 (`@mapInsert(__result__, k,
  // e)`) or 2 (an entry map), the result 1 (existsOne 2); a filtered-out element nothing.
  const passes = (a: unknown, b: unknown): boolean => !m.filter || asBool(run(m.filter, a, b), m.kind);
  switch (m.kind) {
    case 'all':
    case 'exists': {
      const decisive = m.kind === 'exists';
      const condCost = decisive ? 3 : 2;
      let error: unknown;
      let decided = false;
      try {
        for (const [a, b] of pairs) {
          chargeCost(condCost);
          if (decided) break;
          chargeCost(1);
          let r: boolean;
          try {
            r = asBool(run(m.body, a, b), m.kind);
          } catch (e) {
            if (e instanceof CostLimitError) throw e;
            error ??= e;
            continue;
          }
          if (r === decisive) decided = true;
        }
      } finally {
        chargeCost(1);
      }
      if (decided) return decisive;
      if (error !== undefined) throw error;
      return !decisive;
    }
    case 'existsOne': {
      let n = 0;
      for (const [a, b] of pairs) {
        if (asBool(run(m.body, a, b), m.kind)) {
          chargeCost(2);
          n++;
        }
      }
      chargeCost(2);
      return n === 1;
    }
    case 'transformList': {
      const out: unknown[] = [];
      const add = 2 + (isConstant(m.body) ? 0 : 10);
      for (const [a, b] of pairs) {
        if (!passes(a, b)) continue;
        chargeCost(add);
        out.push(run(m.body, a, b));
      }
      chargeCost(1);
      return out;
    }
    case 'transformMap': {
      const out = new Map<unknown, unknown>();
      for (const [a, b] of pairs) {
        if (!passes(a, b)) continue;
        chargeCost(3);
        out.set(a, run(m.body, a, b));
      }
      chargeCost(1);
      return plainIfStringKeys(out);
    }
    case 'transformMapEntry': {
      const out = new Map<unknown, unknown>();
      for (const [a, b] of pairs) {
        if (!passes(a, b)) continue;
        chargeCost(2);
        for (const [k, v] of entriesOf(run(m.body, a, b))) {
          if (out.has(k)) fail(`insert failed: key ${typeof k === 'string' ? JSON.stringify(k) : String(k)} already exists`);
          out.set(k, v);
        }
      }
      chargeCost(1);
      return plainIfStringKeys(out);
    }
  }
}

/** Maps with string keys are plain objects in the engine (as map literals and JSON objects are). */
function plainIfStringKeys(m: Map<unknown, unknown>): unknown {
  if (![...m.keys()].every((k) => typeof k === 'string')) return m;
  const out: Record<string, unknown> = {};
  for (const [k, v] of m) if (k !== '__proto__' && k !== 'constructor' && k !== 'prototype') out[k as string] = v;
  return out;
}

/** Register the two-variable comprehension macros on an environment. */
export function registerTwoVarComprehensions(env: Environment): void {
  const define = (kind: Kind, name: string, withFilter: boolean, ret: string): void => {
    const params = withFilter ? 'ast, ast, ast, ast' : 'ast, ast, ast';
    env.registerFunction(`list.${name}(${params}): ${ret}`, ((opts: { args: AstNode[]; receiver: AstNode; parser?: { createError?: unknown } }) => {
      const { args, receiver } = opts;
      const err = (msg: string): Error => Object.assign(new Error(msg), { name: 'ParseError' });
      const macro: TwoVarMacro = {
        kind,
        receiver,
        first: identifier(args[0]!, kind, 'first', err),
        second: identifier(args[1]!, kind, 'second', err),
        ...(withFilter ? { filter: args[2]! } : {}),
        body: args[withFilter ? 3 : 2]!,
        evaluate,
        typeCheck,
        async: false,
      };
      return macro;
    }) as never);
  };
  define('all', 'all', false, 'bool');
  define('exists', 'exists', false, 'bool');
  define('existsOne', 'existsOne', false, 'bool');
  define('existsOne', 'exists_one', false, 'bool');
  define('transformList', 'transformList', false, 'list<dyn>');
  define('transformList', 'transformList', true, 'list<dyn>');
  define('transformMap', 'transformMap', false, 'map<dyn, dyn>');
  define('transformMap', 'transformMap', true, 'map<dyn, dyn>');
  define('transformMapEntry', 'transformMapEntry', false, 'map<dyn, dyn>');
  define('transformMapEntry', 'transformMapEntry', true, 'map<dyn, dyn>');
}
