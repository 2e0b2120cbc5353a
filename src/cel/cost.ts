/**
 * The API server's runtime cost of a CEL expression, counted as cel-go counts it
 * (interpreter/runtimecost.go with k8s.io/apiserver's CostEstimator, the program planned with
 * OptOptimize and presence tests free), on the engine's AST:
 *
 * - constants cost nothing (list and map literals of constants are folded: nothing either);
 *   an identifier 1; a field selection or constant index 1 on a variable's path
 *   (`object.spec.x[0]`) and 2 on a computed value (`f(x).y`: the relative attribute and its
 *   qualifier); an index that is a path (`m[k]`) nothing beyond that path; `has(a.b.c)` the path
 *   without its last field;
 * - `&&`, `||`, `?:`, `or`, `orValue` nothing of their own; a list literal 10, a map literal 30;
 * - a function call 1, or its own cost where cel-go or the Kubernetes library has one
 *   (string functions by length, regex by length times pattern, authorization checks 350,000,
 *   ...: charged by the function); `==`, `!=` and ordering of strings, bytes, lists and maps by
 *   the smaller size / 10; `+` of strings by the sum of the lengths / 10; `in` a list its size
 *   (nothing for a constant list: a set lookup);
 * - comprehensions as cel-go expands the macros: `all` 3 per step (the loop condition and the
 *   accumulator), `exists` 4, a `map`/`filter` element added 12 (`__result__ + [x]`), the
 *   result 1 (`exists_one` 2), the loop condition once more when `all`/`exists` decide early.
 *
 * `test/live/vap-cost.test.ts` checks the total against the real kube-apiserver at the limit.
 */
import { Optional } from '@marcbachmann/cel-js';
import { compileRegex } from './regex.js';
import { UnsignedInt } from './values.js';
import { withDispatch } from './runtime.js';
import { omittingLiteral } from './optional-literals.js';

const STRING_FACTOR = 0.1;
const REGEX_FACTOR = 0.25;

/** cel-go's Size() of a value: runes of a string, bytes, elements, entries; 1 for the rest. */
export function celSize(v: unknown): number {
  if (typeof v === 'string') {
    // runes: characters outside the BMP are one rune but two UTF-16 units
    let n = v.length;
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff) n--;
    }
    return n;
  }
  if (v instanceof Uint8Array || Array.isArray(v)) return v.length;
  if (v instanceof Map || v instanceof Set) return v.size;
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.keys(v).length;
  // instanceof, not the class's name: the bundle (esbuild) may rename the engine's classes
  if (v instanceof Optional) return v.hasValue() ? celSize(v.value()) : 1;
  return 1;
}

const sized = (v: unknown): boolean => typeof v === 'string' || v instanceof Uint8Array || Array.isArray(v) || v instanceof Map || v instanceof Set || (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype);
const strTraverse = (v: unknown, factor = 1): number => Math.ceil(celSize(v) * factor * STRING_FACTOR);

/**
 * The call costs of the functions the engine has built in, where cel-go's differ from 1
 * (interpreter/runtimecost.go and k8s.io/apiserver's library/cost.go), and RE2's inline flags
 * for `matches` (the engine's own `matches` is JavaScript's RegExp).
 */
const BUILT_IN_CALLS: Record<string, { cost: (vals: unknown[]) => number; impl?: (vals: unknown[]) => unknown }> = {
  startsWith: { cost: ([r]) => strTraverse(r) },
  endsWith: { cost: ([r]) => strTraverse(r) },
  contains: { cost: ([r, a]) => (typeof r === 'string' ? strTraverse(r) * strTraverse(a) : 0) },
  lowerAscii: { cost: ([r]) => strTraverse(r) },
  upperAscii: { cost: ([r]) => strTraverse(r) },
  trim: { cost: ([r]) => strTraverse(r) },
  substring: { cost: ([r]) => strTraverse(r) },
  // library/cost.go's traversalCost: a string's length / 10, rounded down
  indexOf: { cost: ([r]) => (typeof r === 'string' ? Math.floor(celSize(r) * STRING_FACTOR) : 0) },
  lastIndexOf: { cost: ([r]) => (typeof r === 'string' ? Math.floor(celSize(r) * STRING_FACTOR) : 0) },
  split: { cost: ([r]) => strTraverse(r, 2) },
  join: { cost: () => 0 },
  matches: {
    cost: ([r, re]) => Math.ceil((1 + celSize(r)) * STRING_FACTOR) * Math.ceil(celSize(re) * REGEX_FACTOR),
    impl: ([r, re]) => (typeof r === 'string' && typeof re === 'string' ? compileRegex(re).test(r) : undefined),
  },
};

/** Functions that charge their own cost (the library's handlers, BUILT_IN_CALLS): the call itself adds nothing. */
const SELF_CHARGED_RECEIVER = new Set([...Object.keys(BUILT_IN_CALLS), 'includes', 'fieldSelector', 'labelSelector', 'isSorted', 'sum', 'min', 'max', 'replace', 'find', 'findAll', 'isCanonical', 'validate', 'check', 'format', 'quote', 'range', 'distinct', 'flatten', 'slice', 'sort', 'reverse', 'intersects', 'equivalent', 'containsIP', 'containsCIDR']);
const SELF_CHARGED_GLOBAL = new Set(['quantity', 'isQuantity', 'ip', 'isIP', 'cidr', 'isCIDR', 'url', 'isURL', 'semver', 'isSemver']);
/** Namespaces (constants) that are part of a function's name in cel-go, not identifiers. */
const NAMESPACES = new Set(['optional', 'sets', 'strings', 'lists', 'ip', 'format', 'math', 'base64']);
/** Non-strict optional helpers cel-go evaluates without a call cost. */
const FREE_RECEIVER = new Set(['or', 'orValue']);

interface Node {
  op: string;
  args: unknown;
  meta?: { alternate?: unknown; macro?: unknown; macroHasProps?: unknown[] };
  evaluate: (ev: unknown, ast: unknown, ctx: unknown) => unknown;
  /** The value of the last evaluation (read by the operator above it). */
  __v?: unknown;
  /** The type the checker gave the node. */
  checkedType?: { kind?: string };
}

/** An optional without a value. */
const isNone = (v: unknown): boolean => v instanceof Optional && !v.hasValue();

const isNode = (v: unknown): v is Node => v !== null && typeof v === 'object' && typeof (v as Node).op === 'string' && typeof (v as Node).evaluate === 'function';

/** A variable's path: an identifier with selections and indexes (cel-go's absolute attribute). */
function isAttribute(n: unknown): boolean {
  if (!isNode(n)) return false;
  if (n.op === 'id') return !NAMESPACES.has(n.args as string);
  if (n.op === '.' || n.op === '.?' || n.op === '[]' || n.op === '[?]') return isAttribute((n.args as unknown[])[0]);
  return false;
}

/** An operand a qualifier is appended to (an attribute, absolute or relative) rather than one it starts. */
function isQualifiable(n: unknown): boolean {
  if (!isNode(n)) return false;
  if (n.op === 'id') return !NAMESPACES.has(n.args as string);
  return n.op === '.' || n.op === '.?' || n.op === '[]' || n.op === '[?]';
}

/** A literal the planner folds into a constant. */
export function isConstant(n: unknown): boolean {
  if (!isNode(n)) return false;
  if (n.op === 'value') return true;
  if (n.op === 'list') return (n.args as unknown[]).every(isConstant);
  if (n.op === 'map') return (n.args as Array<[unknown, unknown]>).every(([k, v]) => isConstant(k) && isConstant(v));
  return false;
}

type Costing = { fixed: number; after?: (node: Node, result: unknown) => number };

/** The operand's type is only known at runtime (cel-go then dispatches dynamically: a call of cost 1). */
const isDyn = (n: Node): boolean => n.checkedType?.kind === 'dyn';

function operatorCost(op: string, node: Node): Costing | undefined {
  const [l, r] = node.args as [Node, Node];
  // `<` and `+` between two dyn operands have several overloads: no size-based cost
  const dynamic = isDyn(l) && isDyn(r);
  switch (op) {
    case '==':
    case '!=':
      return { fixed: 0, after: () => Math.ceil(Math.min(celSize(l.__v), celSize(r.__v)) * STRING_FACTOR) };
    case '<':
    case '<=':
    case '>':
    case '>=':
      if (dynamic) return { fixed: 1 };
      return { fixed: 0, after: () => (sized(l.__v) && sized(r.__v) ? Math.ceil(Math.min(celSize(l.__v), celSize(r.__v)) * STRING_FACTOR) : 1) };
    case '+':
      if (dynamic) return { fixed: 1 };
      return { fixed: 0, after: () => ((typeof l.__v === 'string' && typeof r.__v === 'string') || (l.__v instanceof Uint8Array && r.__v instanceof Uint8Array) ? Math.ceil((celSize(l.__v) + celSize(r.__v)) * STRING_FACTOR) : 1) };
    case 'in':
      if (isConstant(r)) return { fixed: 0 };
      // a list by its size when the checker knows it is a list (in_list), else dispatched: 1
      if (r.checkedType?.kind !== 'list') return { fixed: 1 };
      return { fixed: 0, after: () => (Array.isArray(r.__v) || r.__v instanceof Set ? celSize(r.__v) : 1) };
    case '-':
    case '*':
    case '/':
    case '%':
      return { fixed: 1 };
  }
  return undefined;
}

/** The cost of one node (what it adds beyond its children). */
function costOf(n: Node, synthetic: Map<Node, number>): Costing {
  const s = synthetic.get(n);
  if (s !== undefined) return { fixed: s };
  switch (n.op) {
    case 'value':
      return { fixed: 0 };
    case 'id':
      return { fixed: NAMESPACES.has(n.args as string) ? 0 : 1 };
    case '.': {
      // a qualifier on a path; on a computed value, the relative attribute it starts costs 1 more;
      // after an absent optional (`object.?a.b`) the qualifier is not applied: refunded
      const operand = (n.args as Node[])[0]!;
      return { fixed: isQualifiable(operand) ? 1 : 2, after: () => (isNone(operand.__v) ? -1 : 0) };
    }
    case '.?':
      // an optional qualifier is charged only when it finds the field (cel-go observes the step then)
      return { fixed: isQualifiable((n.args as unknown[])[0]) ? 0 : 1, after: (_, r) => (isNone(r) ? 0 : 1) };
    case '[]':
    case '[?]': {
      // an index that is itself a path (`l[i]`, `m[object.x]`) is resolved with it: only its own cost
      const [operand, index] = n.args as unknown[];
      const relative = isQualifiable(operand) ? 0 : 1;
      const qualifier = !isConstant(index) && isQualifiable(index) ? 0 : 1;
      if (n.op === '[?]') return { fixed: relative, after: (_, r) => (isNone(r) ? 0 : qualifier) };
      return { fixed: relative + qualifier, after: () => (isNone((operand as Node).__v) ? -qualifier : 0) };
    }
    case '&&':
    case '||':
    case '?:':
      return { fixed: 0 };
    case '!_':
    case '-_':
      return { fixed: 1 };
    case 'list':
      return { fixed: isConstant(n) ? 0 : 10 };
    case 'map':
      return { fixed: isConstant(n) ? 0 : 30 };
    case 'accuValue':
    case 'accuInc':
    case 'accuPush':
      return { fixed: 0 };
    case 'call':
    case 'rcall': {
      const name = (n.args as unknown[])[0] as string;
      if (n.meta?.alternate) return { fixed: 0 };
      if (n.meta?.macro) {
        // has(a.b.c): the path without the tested field (the base identifier charges itself)
        // on a computed value (`has({...}.a)`), the relative attribute costs 1 more
        if (name === 'has') {
          const props = (n.meta.macro as { macroHasProps?: Node[] }).macroHasProps ?? [];
          return { fixed: Math.max(0, props.length - (props.at(-1)?.op === 'id' ? 2 : 1)) };
        }
        if (n.op === 'rcall' && FREE_RECEIVER.has(name)) return { fixed: 0 };
        return { fixed: 0 }; // the macro charges its own steps
      }
      if (n.op === 'rcall' ? SELF_CHARGED_RECEIVER.has(name) : SELF_CHARGED_GLOBAL.has(name)) return { fixed: 0 };
      return { fixed: 1 };
    }
    case 'comprehension':
      return { fixed: 0 };
  }
  return operatorCost(n.op, n) ?? { fixed: 1 };
}

interface ComprehensionArgs {
  kind?: string;
  errorsAreFatal?: boolean;
  init: Node;
  step: Node;
  condition?: (accu: unknown) => boolean;
}

/**
 * Give the engine's synthetic comprehension nodes cel-go's costs; returns the cost of the
 * comprehension node itself (its result expression).
 */
function planComprehension(n: Node, synthetic: Map<Node, number>, charge: (c: number) => void): number {
  const a = n.args as ComprehensionArgs;
  const step = a.step;
  const pushCost = (push: Node): number => 2 + (isConstant(push.args) ? 0 : 10);
  if (a.kind === 'quantifier') {
    const init = (a.init.args as unknown);
    if (init === true || init === false) {
      // all: @not_strictly_false(__result__) per step (2) and `__result__ && p` (1)
      // exists: @not_strictly_false(!__result__) (3) and `__result__ || p` (1)
      const condCost = init === true ? 2 : 3;
      const cond = a.condition;
      if (cond) a.condition = (accu: unknown) => (charge(condCost), cond(accu));
      synthetic.set(step, 1);
      for (const x of (step.args as Node[]).slice(1)) synthetic.set(x, 0);
      return 1;
    }
    // exists_one: `p ? __result__ + 1 : __result__`, the result `__result__ == 1`
    synthetic.set(step, 0);
    const [, inc, keep] = step.args as Node[];
    if (inc) synthetic.set(inc, 2);
    if (keep) synthetic.set(keep, 0);
    return 2;
  }
  if (step.op === 'accuPush') {
    synthetic.set(step, pushCost(step));
    return 1;
  }
  if (step.op === '?:') {
    const [, push, keep] = step.args as Node[];
    synthetic.set(step, 0);
    if (push?.op === 'accuPush') synthetic.set(push, pushCost(push));
    if (keep) synthetic.set(keep, 0);
    return 1;
  }
  return 1;
}

/**
 * Wrap every node of a checked AST so that evaluating it charges cel-go's cost. `charge` is
 * called with the units; library functions charge theirs through runtime.ts.
 */
export function instrumentCosts(root: unknown, charge: (units: number) => void): void {
  const seen = new Set<object>();
  const synthetic = new Map<Node, number>();
  const nodes: Node[] = [];
  const collect = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const x of v) collect(x);
      return;
    }
    if (isNode(v) && (v as Node).meta !== undefined) {
      nodes.push(v);
      const m = (v as Node).meta!;
      collect(m.alternate);
      collect(m.macro);
    }
    for (const x of Object.values(v)) collect(x);
  };
  collect(root);
  const comprehensionCost = new Map<Node, number>();
  for (const n of nodes) if (n.op === 'comprehension') comprehensionCost.set(n, planComprehension(n, synthetic, charge));
  for (const n of nodes) {
    const c = n.op === 'comprehension' ? { fixed: comprehensionCost.get(n)! } : costOf(n, synthetic);
    const builtIn = n.op === 'rcall' && !n.meta?.alternate && !n.meta?.macro ? BUILT_IN_CALLS[(n.args as unknown[])[0] as string] : undefined;
    if (builtIn) wrapHandle(n, builtIn, charge);
    else if (n.op === 'rcall' && (n.args as unknown[])[0] === 'sort') wrapDispatch(n, sortResolved(n));
    else if (n.op === 'rcall' && ((n.args as unknown[])[0] === 'containsIP' || (n.args as unknown[])[0] === 'containsCIDR')) wrapDispatch(n, argumentResolved(n));
    // a list or map literal with optional entries leaves out the absent ones
    const omit = n.op === 'list' || n.op === 'map' ? omittingLiteral(n) : undefined;
    const proto = Object.getPrototypeOf(n) as { evaluate: Node['evaluate'] };
    let resolved: Node['evaluate'] | undefined;
    const wrapped = function (this: Node, ev: unknown, ast: unknown, ctx: unknown): unknown {
      if (c.fixed) charge(c.fixed);
      let r: unknown;
      if (resolved) r = resolved.call(this, ev, ast, ctx);
      else {
        r = proto.evaluate.call(this, ev, ast, ctx);
        resolved = this.evaluate;
        this.evaluate = wrapped;
      }
      if (omit) r = omit(r);
      if (c.after) charge(c.after(this, r));
      this.__v = r;
      return r;
    };
    n.evaluate = wrapped;
  }
}

interface CallNode extends Node {
  handle?: (vals: unknown, ev: unknown, ast: unknown) => unknown;
}

/** `l.sort()`: the checker resolves one overload for a typed list only. */
function sortResolved(n: Node): boolean {
  const receiver = (n.args as unknown[])[1] as Node & { checkedType?: { kind?: string; valueType?: { kind?: string } } };
  const t = receiver?.checkedType;
  return t?.kind === 'list' && t.valueType !== undefined && t.valueType.kind !== 'dyn' && t.valueType.kind !== 'param';
}

/** `c.containsIP(x)`, `c.containsCIDR(x)`: one overload unless the argument is `dyn` (string or IP/CIDR). */
function argumentResolved(n: Node): boolean {
  const arg = ((n.args as unknown[])[2] as Node[] | undefined)?.[0];
  const kind = arg?.checkedType?.kind;
  return kind !== undefined && kind !== 'dyn';
}

/** Tell the function whether the checker resolved its overload (cel-go then knows the overload id). */
function wrapDispatch(n: CallNode, typed: boolean): void {
  if (typeof n.handle !== 'function') return;
  const orig = n.handle;
  n.handle = (vals, ev, ast) => withDispatch(typed, () => orig(vals, ev, ast));
}

/** The engine's built-in string functions: charge cel-go's call cost, and use RE2 flags for matches. */
function wrapHandle(n: CallNode, entry: (typeof BUILT_IN_CALLS)[string], charge: (c: number) => void): void {
  if (typeof n.handle !== 'function') return;
  const orig = n.handle;
  const name = (n.args as unknown[])[0];
  n.handle = (vals, ev, ast) => {
    if (!Array.isArray(vals)) return orig(vals, ev, ast);
    charge(entry.cost(vals));
    if (entry.impl) {
      const r = entry.impl(vals);
      if (r !== undefined) return r;
    }
    const r = orig(vals, ev, ast);
    // join: the length of what it built, twice, / 10
    if (name === 'join' && typeof r === 'string') charge(Math.ceil(celSize(r) * 2 * STRING_FACTOR));
    return r;
  };
}

export { UnsignedInt };
