/**
 * The optional-type helpers of cel-go (cel.OptionalTypes, in the Kubernetes environment since
 * 1.28) the engine lacks: `optional.ofNonZeroValue(x)`, the `optMap(v, expr)` and
 * `optFlatMap(v, expr)` macros, and equality of optionals (`optional.none() == optional.none()`,
 * `optional.of(1) != optional.of(2)`). The engine brings `optional.of`, `optional.none`,
 * `hasValue`, `value`, `or` and `orValue`.
 */
import { Optional, type Environment } from '@marcbachmann/cel-js';
import { UnsignedInt } from './values.js';
import { CelRuntimeError, chargeCost } from './runtime.js';
import { Quantity } from './quantity.js';
import type { AstNode, CelType, Checker, Ctx, Evaluator } from './macro-types.js';


/** cel-go's zero values: null, false, 0, 0u, 0.0, '', b'', [], {} (and a zero timestamp/duration). */
export function isZeroValue(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === '' || v === 0 || v === 0n) return true;
  if (v instanceof UnsignedInt) return v.valueOf() === 0n;
  if (v instanceof Uint8Array || Array.isArray(v)) return v.length === 0;
  if (v instanceof Map || v instanceof Set) return v.size === 0;
  if (v instanceof Date) return v.getTime() === 0;
  if (v instanceof Quantity) return false;
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.keys(v).length === 0;
  return false;
}

/** Equality of two CEL values as cel-go's (numbers across types, lists and maps deeply). */
export function celValueEquals(a: unknown, b: unknown): boolean {
  const num = (x: unknown): number | bigint | undefined => (typeof x === 'number' || typeof x === 'bigint' ? x : x instanceof UnsignedInt ? x.valueOf() : undefined);
  const na = num(a);
  const nb = num(b);
  if (na !== undefined || nb !== undefined) {
    if (na === undefined || nb === undefined) return false;
    if (typeof na === 'bigint' && typeof nb === 'bigint') return na === nb;
    // eslint-disable-next-line eqeqeq
    return na == nb;
  }
  if (a instanceof Optional || b instanceof Optional) {
    if (!(a instanceof Optional && b instanceof Optional)) return false;
    if (!a.hasValue() || !b.hasValue()) return a.hasValue() === b.hasValue();
    return celValueEquals(a.value(), b.value());
  }
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i]);
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => celValueEquals(x, b[i]));
  const entries = (x: unknown): Array<[unknown, unknown]> | undefined =>
    x instanceof Map ? [...x.entries()] : x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype ? Object.entries(x) : undefined;
  const ea = entries(a);
  const eb = entries(b);
  if (ea || eb) {
    if (!ea || !eb || ea.length !== eb.length) return false;
    return ea.every(([k, v]) => {
      const other = eb.find(([k2]) => celValueEquals(k, k2) || String(k) === String(k2));
      return other !== undefined && celValueEquals(v, other[1]);
    });
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof Quantity && b instanceof Quantity) return a.compareTo(b) === 0;
  return a === b;
}

interface OptMacro {
  flat: boolean;
  receiver: AstNode;
  varName: string;
  body: AstNode;
  /** Whether the body reads the variable (found once). */
  usesVariable?: boolean;
  ctx1?: Ctx;
  evaluate(ev: Evaluator, m: OptMacro, ctx: Ctx): unknown;
  typeCheck(chk: Checker, m: OptMacro, ctx: Ctx): CelType;
  async: false;
}

function typeCheck(chk: Checker, m: OptMacro, ctx: Ctx): CelType {
  const name = m.flat ? 'optFlatMap' : 'optMap';
  const t = chk.check(m.receiver, ctx);
  let inner: CelType;
  if (t.kind === 'optional') inner = t.valueType && t.valueType.kind !== 'param' ? t.valueType : chk.getType('dyn');
  else if (t.kind === 'dyn') inner = chk.getType('dyn');
  else throw chk.createError('optional_expected', `${name}() receiver must be optional, got '${t.type ?? t.kind}'`, m.receiver);
  m.ctx1 = ctx.forkWithVariable(m.varName, inner);
  const body = chk.check(m.body, m.ctx1);
  if (m.flat) {
    if (body.kind !== 'optional' && body.kind !== 'dyn') throw chk.createError('optional_expected', `optFlatMap() expression must return an optional, got '${body.type ?? body.kind}'`, m.body);
    return body.kind === 'optional' ? body : chk.getType('optional<dyn>');
  }
  return chk.getType(`optional<${body.kind === 'param' ? 'dyn' : (body.type ?? 'dyn')}>`);
}

/**
 * As cel-go's expansion `o.hasValue() ? optional.of(cel.bind(v, o.value(), e)) : optional.none()`
 * (optFlatMap without `optional.of`): the receiver is evaluated again for `value()`, and each
 * call costs 1 (the empty branch's `optional.none()` too), so the runtime cost is the API server's.
 */
/** Whether an expression reads the identifier (anywhere: a conservative approximation of cel-go's first use). */
function readsIdentifier(node: unknown, name: string, seen = new Set<object>()): boolean {
  if (node === null || typeof node !== 'object' || seen.has(node)) return false;
  seen.add(node);
  if (Array.isArray(node)) return node.some((x) => readsIdentifier(x, name, seen));
  const n = node as { op?: unknown; args?: unknown };
  if (typeof n.op !== 'string') return false;
  if (n.op === 'id') return n.args === name;
  return readsIdentifier(n.args, name, seen);
}

function evaluate(ev: Evaluator, m: OptMacro, ctx: Ctx): unknown {
  const name = m.flat ? 'optFlatMap' : 'optMap';
  const o = ev.run(m.receiver, ctx);
  if (!(o instanceof Optional)) throw new CelRuntimeError(`${name}() receiver must be optional`);
  chargeCost(1);
  if (!o.hasValue()) return (chargeCost(1), Optional.none());
  // cel.bind's variable is evaluated lazily, on first use: a body that does not read it is not
  // charged for `o.value()` (nor for evaluating `o` again)
  let value = o.value();
  if ((m.usesVariable ??= readsIdentifier(m.body, m.varName))) {
    const again = ev.run(m.receiver, ctx);
    chargeCost(1);
    if (again instanceof Optional && again.hasValue()) value = again.value();
  }
  const c = m.ctx1!.reuse(ctx).setIterValue(value, ev);
  const r = ev.run(m.body, c);
  if (!m.flat) {
    chargeCost(1);
    return Optional.of(r);
  }
  if (!(r instanceof Optional)) throw new CelRuntimeError('optFlatMap() expression must return an optional');
  return r;
}

export function registerOptionalHelpers(env: Environment): void {
  env.registerFunction('OptionalNamespace.ofNonZeroValue(dyn): optional<dyn>', (_: unknown, v: unknown) => (isZeroValue(v) ? Optional.none() : Optional.of(v)));
  for (const flat of [false, true]) {
    env.registerFunction(`optional.${flat ? 'optFlatMap' : 'optMap'}(ast, ast): optional<dyn>`, ((opts: { args: AstNode[]; receiver: AstNode }) => {
      const v = opts.args[0]!;
      if (v?.op !== 'id' || typeof v.args !== 'string') throw Object.assign(new Error(`${flat ? 'optFlatMap' : 'optMap'}() variable name must be a simple identifier`), { name: 'ParseError' });
      const macro: OptMacro = { flat, receiver: opts.receiver, varName: v.args, body: opts.args[1]!, evaluate, typeCheck, async: false };
      return macro;
    }) as never);
  }
  env.registerOperator('optional<dyn> == optional<dyn>', (a: unknown, b: unknown) => celValueEquals(a, b));
}
