/**
 * cel-go's lists extension (ext.Lists, version 3; in the Kubernetes CEL environment since 1.34):
 * `lists.range(n)`, `distinct()`, `flatten()`, `flatten(depth)`, `reverse()`, `slice(a, b)`,
 * `sort()`, `sortBy(e, key)`, `first()` and `last()`. Kubernetes' own list library
 * (`isSorted`, `sum`, `min`, `max`, `indexOf`, `lastIndexOf`) is in library.ts.
 */
import { Optional, type Environment } from '@marcbachmann/cel-js';
import { CelRuntimeError, chargeCost, isTypedDispatch } from './runtime.js';
import { isConstant } from './cost.js';
import { celValueEquals } from './optionals.js';
import { UnsignedInt } from './values.js';
import type { AstNode, CelType, Checker, Ctx, Evaluator } from './macro-types.js';


function fail(message: string): never {
  throw new CelRuntimeError(message);
}

class ListsNamespace {}

/** The order of sort(): numbers across int, uint and double, strings, bools, bytes, timestamps, durations. */
function compare(a: unknown, b: unknown): number {
  const num = (x: unknown): number | bigint | undefined => (typeof x === 'number' || typeof x === 'bigint' ? x : x instanceof UnsignedInt ? x.valueOf() : undefined);
  const na = num(a);
  const nb = num(b);
  if (na !== undefined && nb !== undefined) return na < nb ? -1 : na > nb ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
    return a.length - b.length;
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  const cmp = (a as { compareTo?: (o: unknown) => number } | null)?.compareTo;
  if (typeof cmp === 'function' && a !== null && b !== null && typeof b === 'object' && (a as object).constructor === (b as object).constructor) return cmp.call(a, b);
  return fail('list elements must have the same type');
}

function sorted<T>(items: T[], key: (x: T) => unknown): T[] {
  return items
    .map((x, i) => ({ x, k: key(x), i }))
    .sort((p, q) => compare(p.k, q.k) || p.i - q.i)
    .map((p) => p.x);
}

function flatten(l: unknown[], depth: number): unknown[] {
  const out: unknown[] = [];
  for (const x of l) {
    if (Array.isArray(x) && depth > 0) out.push(...flatten(x, depth - 1));
    else out.push(x);
  }
  return out;
}

interface SortByMacro {
  receiver: AstNode;
  varName: string;
  key: AstNode;
  /** The key's type is known: cel-go's sort by keys is then costed per element type, else it costs 1. */
  keyTyped?: boolean;
  ctx1?: Ctx;
  evaluate(ev: Evaluator, m: SortByMacro, ctx: Ctx): unknown;
  typeCheck(chk: Checker, m: SortByMacro, ctx: Ctx): CelType;
  async: false;
}

/** cel-go's cost of a list-allocating call: the size times a factor, the call, the new list. */
const allocating = (factor: number, size: number): number => Math.floor(size * factor) + 1 + 10;
/** distinct, sort, sortBy: n² comparisons, a little more for strings and bytes. */
function selfCompare(l: unknown[]): number {
  const f = l.length && (typeof l[0] === 'string' || l[0] instanceof Uint8Array) ? 2.1 : 2;
  return allocating(f, l.length * l.length);
}

export function registerListsExtension(env: Environment, minor: number): void {
  env.registerType('kubernetes.ListsNamespace', ListsNamespace);
  env.registerConstant('lists', 'kubernetes.ListsNamespace', new ListsNamespace());
  env.registerFunction('kubernetes.ListsNamespace.range(int): list<int>', (_: unknown, n: bigint) => {
    // cel-go 0.29 (Kubernetes 1.37): a negative size and more than 1,000,000 elements are errors;
    // before, a negative size gives an empty list
    if (minor >= 37) {
      if (n < 0n) fail(`lists.range: size must be non-negative, got ${n}`);
      if (n > 1_000_000n) fail(`lists.range: size ${n} exceeds maximum allowed (1000000)`);
    }
    if (n < 0n) return [];
    if (n > 10_000_000n) fail('lists.range: size too large');
    chargeCost(allocating(1, Number(n)));
    return Array.from({ length: Number(n) }, (_x, i) => BigInt(i));
  });
  env.registerFunction('list.distinct(): list<dyn>', (l: unknown[]) => {
    chargeCost(selfCompare(l));
    const out: unknown[] = [];
    for (const x of l) if (!out.some((y) => celValueEquals(x, y))) out.push(x);
    return out;
  });
  env.registerFunction('list.flatten(): list<dyn>', (l: unknown[]) => (chargeCost(allocating(1, l.length)), flatten(l, 1)));
  env.registerFunction('list.flatten(int): list<dyn>', (l: unknown[], d: bigint) => (d < 0n ? fail('level must be non-negative') : (chargeCost(allocating(Number(d), l.length)), flatten(l, Number(d > 1000n ? 1000n : d)))));
  env.registerFunction('list.reverse(): list<dyn>', (l: unknown[]) => (chargeCost(allocating(1, l.length)), [...l].reverse()));
  env.registerFunction('list.slice(int, int): list<dyn>', (l: unknown[], a: bigint, b: bigint) => {
    if (a < 0n || b < 0n) fail(`cannot slice(${a}, ${b}), negative indexes not supported`);
    if (a > b) fail(`cannot slice(${a}, ${b}), start index must be less than or equal to end index`);
    if (b > BigInt(l.length)) fail(`cannot slice(${a}, ${b}), list is length ${l.length}`);
    chargeCost(allocating(1, Number(b - a)));
    return l.slice(Number(a), Number(b));
  });
  // sort has an overload per element type: on a list of dyn it is dispatched at runtime (cost 1)
  env.registerFunction('list.sort(): list<dyn>', (l: unknown[]) => (chargeCost(isTypedDispatch() ? selfCompare(l) : 1), sorted(l, (x) => x)));
  env.registerFunction('list.first(): optional<dyn>', (l: unknown[]) => (l.length ? Optional.of(l[0]) : Optional.none()));
  env.registerFunction('list.last(): optional<dyn>', (l: unknown[]) => (l.length ? Optional.of(l[l.length - 1]) : Optional.none()));
  env.registerFunction('list.sortBy(ast, ast): list<dyn>', ((opts: { args: AstNode[]; receiver: AstNode }) => {
    const v = opts.args[0]!;
    if (v?.op !== 'id' || typeof v.args !== 'string') throw Object.assign(new Error('sortBy(var, key) variable name must be a simple identifier'), { name: 'ParseError' });
    const macro: SortByMacro = {
      receiver: opts.receiver,
      varName: v.args,
      key: opts.args[1]!,
      typeCheck(chk, m, ctx) {
        const t = chk.check(m.receiver, ctx);
        if (t.kind !== 'list' && t.kind !== 'dyn') throw chk.createError('invalid_argument', `sortBy() receiver must be a list, got '${t.type ?? t.kind}'`, m.receiver);
        const el = t.kind === 'list' && t.valueType && t.valueType.kind !== 'param' ? t.valueType : chk.getType('dyn');
        m.ctx1 = ctx.forkWithVariable(m.varName, el);
        m.keyTyped = chk.check(m.key, m.ctx1).kind !== 'dyn';
        return t.kind === 'list' ? t : chk.registry.getListType(chk.getType('dyn'));
      },
      evaluate(ev, m, ctx) {
        const l = ev.run(m.receiver, ctx);
        if (!Array.isArray(l)) return fail('sortBy() receiver must be a list');
        const c = m.ctx1!.reuse(ctx);
        // as cel-go's expansion: the bound input read twice, `input.map(e, key)` (12 per
        // element, 2 for a constant key, and its result), the sort over the keys
        chargeCost(2);
        const perKey = 2 + (isConstant(m.key) ? 0 : 10);
        const keys = l.map((x) => (chargeCost(perKey), ev.run(m.key, c.setIterValue(x, ev))));
        chargeCost(1 + (m.keyTyped ? selfCompare(keys) : 1));
        return l
          .map((x, i) => ({ x, k: keys[i], i }))
          .sort((p, q) => compare(p.k, q.k) || p.i - q.i)
          .map((p) => p.x);
      },
      async: false,
    };
    return macro;
  }) as never);
}
