/**
 * Two parts of cel-go's optional types the engine's parser lacks, which the Kubernetes CEL
 * environment has (it enables optional types):
 *
 * - optional entries in list and map literals: `[a, ?b]` adds `b`'s value when the optional
 *   `b` has one and nothing otherwise; `{'k': v, ?'o': w}` adds the entry `'o'` only when `w`
 *   has a value (an entry of a non-optional value is a type error, at runtime for `dyn`);
 * - `has()` over a selection on any expression, not only on a variable: `has({'a': 1}.a)`,
 *   `has(optional.of(m).c)`.
 *
 * The engine (@marcbachmann/cel-js, pinned) exports neither its parser nor its AST types. Its
 * macro API hands a macro's expander the parser, so the parser is reached through a macro of
 * kordon's own once, and its list and map element parsing is extended in place: an entry marked
 * `?` becomes a macro node (no registered function: nothing a user can call by name) that
 * yields the optional's value or `OMITTED`, and the literal drops the omitted entries
 * (`dropOmitted`, called by the cost instrumentation's evaluation wrapper). `has()` gets a type
 * check that accepts any expression under the selections (the engine's own evaluation of the
 * macro already walks any base). cel-go charges an entry nothing of its own: the literal's 10 or
 * 30 and the entry's expression (test/live/cel-cost-oracle.test.ts).
 */
import { Optional, type Environment } from '@marcbachmann/cel-js';
import { CelRuntimeError } from './runtime.js';
import type { AstNode, CelType, Checker, Ctx, Evaluator } from './macro-types.js';

/** The value an absent optional entry evaluates to; the literal leaves it out. */
export const OMITTED: unique symbol = Symbol('omitted optional entry');

const ENTRY = '@optional_entry';

/* The engine's parser tokens (lib/parser.js of @marcbachmann/cel-js 8.0.0). */
const T = { LBRACKET: 23, RBRACKET: 24, COMMA: 28, COLON: 29, QUESTION: 30 } as const;

interface Node extends AstNode {
  start: number;
  end: number;
  pos: number;
  meta: { check?: unknown; evaluate?: unknown; macro?: unknown };
  input: string;
  setMeta(key: string, value: unknown): Node;
}
interface Parser {
  input: string;
  type: number;
  lexer: { pos: number };
  limits: { maxListElements: number };
  astNodesRemaining: number;
  registry: { enableOptionalTypes?: boolean };
  match(t: number): boolean;
  consume(t: number): number;
  parseExpression(): Node;
  parseList(): Node;
  parseProperty(): [Node, Node];
}
type NodeClass = new (input: string, pos: number, start: number, end: number, op: { name: string; check: unknown; evaluate: unknown }, args: unknown) => Node;

interface EntryMacro {
  arg: AstNode;
  evaluate(ev: Evaluator, m: EntryMacro, ctx: Ctx): unknown;
  typeCheck(chk: Checker, m: EntryMacro, ctx: Ctx): CelType;
  async: false;
}

// instanceof, not the class's name: the bundle (esbuild) may rename the engine's classes
const isOptional = (v: unknown): v is Optional => v instanceof Optional;

function entryMacro(arg: AstNode): EntryMacro {
  return {
    arg,
    async: false,
    typeCheck(chk, m, ctx) {
      const t = chk.check(m.arg, ctx);
      if (t.kind === 'optional') {
        const v = t.valueType ?? chk.getType('dyn');
        // optional.none(): a free type parameter, which any other element's type settles (as cel-go)
        return v.kind === 'param' ? (Object.create(v, { isEmpty: { value: () => true } }) as CelType) : v;
      }
      if (t.kind === 'dyn') return t;
      throw chk.createError('invalid_optional_entry', `expected type 'optional_type' but found '${chk.formatType?.(t) ?? t.type ?? t.kind}' (an optional entry: [?x], {?k: v})`, m.arg);
    },
    evaluate(ev, m, ctx) {
      const v = ev.run(m.arg, ctx);
      if (!isOptional(v)) throw new CelRuntimeError('cannot initialize optional list element or map entry from non-optional value');
      return v.hasValue() ? v.value() : OMITTED;
    },
  };
}

let installed = false;

/**
 * Extend the engine's parser (once per process): `?` entries in list and map literals. Needs an
 * environment to reach the parser through; `has()` is handled per expression (`extendHas`).
 */
export function installOptionalLiterals(env: Environment): void {
  if (installed) return;
  let parser: Parser | undefined;
  let callNode: Node | undefined;
  const probe = '__kordon_parser_probe__';
  env.registerFunction(`${probe}(ast): bool`, ((opts: { parser: Parser; ast: Node }) => {
    parser = opts.parser;
    callNode = opts.ast;
    return {
      evaluate: () => false,
      // only the probe itself compiles, before installation: a user's call is unknown, as on the server
      typeCheck: (chk: Checker, _m: unknown, _ctx: Ctx) => {
        if (installed) throw chk.createError('undeclared_reference', `undeclared reference to '${probe}'`, opts.ast);
        return chk.getType('bool');
      },
      async: false,
    };
  }) as never);
  const sample = env.parse(`[${probe}(1)]`) as unknown as { ast: Node };
  if (!parser || !callNode) throw new Error('CEL engine: the parser could not be reached for optional entries');
  const listNode = sample.ast;
  const ASTNode = listNode.constructor as NodeClass;
  const listOp = { name: 'list', check: listNode.meta.check, evaluate: listNode.meta.evaluate };
  const callOp = { name: 'call', check: callNode.meta.check, evaluate: callNode.meta.evaluate };
  const proto = Object.getPrototypeOf(parser) as Parser;
  const entry = (p: Parser, e: Node): Node => {
    p.astNodesRemaining--;
    return new ASTNode(p.input, e.start, e.start, e.end, callOp, [ENTRY, [e]]).setMeta('macro', entryMacro(e)).setMeta('async', false);
  };
  const element = (p: Parser): Node => {
    if (p.registry.enableOptionalTypes && p.match(T.QUESTION)) {
      p.consume(T.QUESTION);
      return entry(p, p.parseExpression());
    }
    return p.parseExpression();
  };
  proto.parseList = function (this: Parser): Node {
    const start = this.consume(T.LBRACKET);
    const elements: Node[] = [];
    let remaining = this.limits.maxListElements;
    while (!this.match(T.RBRACKET)) {
      elements.push(element(this));
      if (!remaining--) throw Object.assign(new Error(`Exceeded maxListElements (${this.limits.maxListElements})`), { range: { start: elements.at(-1)!.start } });
      if (!this.match(T.COMMA)) break;
      this.consume(T.COMMA);
    }
    const end = this.lexer.pos;
    this.consume(T.RBRACKET);
    this.astNodesRemaining--;
    return new ASTNode(this.input, start, start, end, listOp, elements);
  };
  proto.parseProperty = function (this: Parser): [Node, Node] {
    const optional = !!this.registry.enableOptionalTypes && this.match(T.QUESTION);
    if (optional) this.consume(T.QUESTION);
    const key = this.parseExpression();
    this.consume(T.COLON);
    const value = this.parseExpression();
    return [key, optional ? entry(this, value) : value];
  };
  installed = true;
}

const isEntry = (n: unknown): boolean => {
  const x = n as Node | undefined;
  return !!x && x.op === 'call' && Array.isArray(x.args) && x.args[0] === ENTRY;
};

/** For a list or map literal with optional entries: the function that drops the omitted ones. */
export function omittingLiteral(n: { op: string; args: unknown }): ((v: unknown) => unknown) | undefined {
  if (n.op === 'list' && (n.args as unknown[]).some(isEntry)) return (v) => (Array.isArray(v) ? v.filter((x) => x !== OMITTED) : v);
  if (n.op === 'map' && (n.args as Array<[unknown, unknown]>).some(([, v]) => isEntry(v))) {
    return (v) => {
      if (v instanceof Map) {
        for (const [k, x] of [...v]) if (x === OMITTED) v.delete(k);
        return v;
      }
      if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (x === OMITTED) delete (v as Record<string, unknown>)[k];
      return v;
    };
  }
  return undefined;
}

/**
 * `has(e.f...)` with any expression `e` under the selections: the engine's macro accepts a
 * variable only; its evaluation already starts from any expression.
 */
export function extendHas(root: unknown): void {
  const seen = new Set<object>();
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) return v.forEach(walk);
    const n = v as Node;
    if (typeof n.op !== 'string') return;
    const macro = n.meta?.macro as { args?: Node[]; macroHasProps?: Node[]; typeCheck?: (chk: Checker, m: unknown, ctx: Ctx) => CelType } | undefined;
    if (n.op === 'call' && Array.isArray(n.args) && n.args[0] === 'has' && macro?.typeCheck && macro.args?.length === 1) {
      const orig = macro.typeCheck;
      macro.typeCheck = (chk, m, ctx) => {
        let node = macro.args![0]!;
        if (node.op !== '.') return orig(chk, m, ctx);
        const props: Node[] = [];
        while (node.op === '.' || node.op === '.?') {
          props.push(node);
          node = (node.args as Node[])[0]!;
        }
        if (node.op === 'id') return orig(chk, m, ctx);
        chk.check(node, ctx);
        props.push(node);
        macro.macroHasProps = props;
        return chk.getType('bool');
      };
    }
    walk(n.args);
  };
  walk(root);
}

interface TypedNode {
  op: string;
  args: unknown;
  start?: number;
  checkedType?: { name?: string; type?: string; hasPlaceholderType?: boolean };
  meta?: { macro?: unknown; alternate?: unknown };
}

const typeName = (t: TypedNode['checkedType']): string | undefined => (t && !t.hasPlaceholderType ? String(t.name ?? t.type) : undefined);

/**
 * cel-go's ValidateHomogeneousAggregateLiterals, which the API server's environment enables: the
 * elements of a list literal, and the keys and the values of a map literal, must be of one type
 * (an optional entry by its value's type; `dyn` is a type of its own: `[object.x, 1]` does not
 * compile), except in literals anywhere inside a `format()` call (the strings extension exempts
 * it: `'%s has %d'.format([name, n])`). Run on the checked AST; a type with a free parameter
 * (`[]`, `optional.none()`) fits any.
 */
export function homogeneousLiteralError(root: unknown): { message: string; start: number } | undefined {
  const seen = new Set<object>();
  let found: { message: string; start: number } | undefined;
  const mismatch = (first: TypedNode[], what: (n: TypedNode) => TypedNode | undefined): void => {
    let expected: string | undefined;
    for (const e of first) {
      const n = what(e);
      const t = typeName(n?.checkedType);
      if (t === undefined) continue;
      if (expected === undefined) expected = t;
      else if (t !== expected && !found) found = { message: `expected type '${expected}' but found '${t}' (list and map literals have elements of one type)`, start: n?.start ?? 0 };
    }
  };
  const walk = (v: unknown, exempt: boolean): void => {
    if (found || v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) return v.forEach((x) => walk(x, exempt));
    const n = v as TypedNode;
    if (typeof n.op !== 'string') return;
    const inFormat = exempt || ((n.op === 'rcall' || n.op === 'call') && Array.isArray(n.args) && n.args[0] === 'format');
    if (!inFormat && (n.op === 'list' || n.op === 'map')) {
      // an optional entry of a `dyn` value: cel-go's checker lets it through, its literal
      // validator then fails on it (v0.26: the API server drops the request creating the policy)
      const values = n.op === 'list' ? (n.args as TypedNode[]) : (n.args as Array<[TypedNode, TypedNode]>).map(([, x]) => x);
      for (const e of values) {
        const arg = isEntry(e) ? ((e.args as unknown[])[1] as TypedNode[])[0] : undefined;
        const kind = (arg?.checkedType as { kind?: string } | undefined)?.kind;
        if (kind === 'dyn' && !found) found = { message: "expected type 'optional_type' but found 'dyn' (an optional entry needs an optional value: the API server cannot compile a policy with this)", start: arg?.start ?? 0 };
      }
    }
    if (!inFormat && n.op === 'list') mismatch(n.args as TypedNode[], (e) => e);
    if (!inFormat && n.op === 'map') {
      const entries = n.args as Array<[TypedNode, TypedNode]>;
      mismatch(entries.map(([k]) => k), (e) => e);
      mismatch(entries.map(([, x]) => x), (e) => e);
    }
    walk(n.args, inFormat);
  };
  walk(root, false);
  return found;
}
