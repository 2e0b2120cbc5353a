/**
 * The parts of @marcbachmann/cel-js's type checker and evaluator that kordon's macros use
 * (comprehensions.ts, lists-ext.ts, optionals.ts): the package does not export these types.
 */
export interface CelType {
  kind: string;
  /** The type's name (`bool`, `list<int>`, ...). */
  type?: string;
  valueType?: CelType;
  keyType?: CelType;
}
export interface Checker {
  check(node: unknown, ctx: Ctx): CelType;
  getType(name: string): CelType;
  registry: { getListType(t: CelType): CelType; getMapType(k: CelType, v: CelType): CelType };
  createError(code: string, message: string, node: unknown): Error;
  formatType?(t: CelType): string;
}
export interface Ctx {
  forkWithVariable(name: string, type: CelType): Ctx;
  reuse(parent: Ctx): Ctx;
  setIterValue(v: unknown, ev: Evaluator): Ctx;
}
export interface Evaluator {
  run(node: unknown, ctx: Ctx): unknown;
}
export interface AstNode {
  op: string;
  args: unknown;
}
