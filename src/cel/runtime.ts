/**
 * Runtime cost accounting shared by the evaluator and the library functions. cel-go charges
 * one unit per evaluated step plus each function's call cost; the API server stops an
 * expression at PerCallLimit and a policy at RuntimeCELCostBudget.
 */

/** k8s.io/apiserver/pkg/apis/cel: the runtime cost limit of one expression. */
export const PER_CALL_LIMIT = 1_000_000;
/** k8s.io/apiserver/pkg/apis/cel: the runtime cost budget of one policy binding evaluation. */
export const RUNTIME_COST_BUDGET = 10_000_000;

export class CelRuntimeError extends Error {
  override name = 'CelRuntimeError';
}

export class CostLimitError extends Error {
  override name = 'CostLimitError';
  constructor(
    message: string,
    readonly cost: number,
    readonly limit: number,
  ) {
    super(message);
  }
}

export class CostTracker {
  cost = 0;
  constructor(readonly limit: number) {}
  charge(n: number): void {
    this.cost += n;
    if (this.cost > this.limit) throw new CostLimitError('operation cancelled: actual cost limit exceeded', this.cost, this.limit);
  }
}

let current: CostTracker | undefined;

export function chargeCost(n: number): void {
  current?.charge(n);
}

/** Run `f` with `tracker` charged for every step; restores the previous tracker after. */
export function withTracker<T>(tracker: CostTracker, f: () => T): T {
  const prev = current;
  current = tracker;
  try {
    return f();
  } finally {
    current = prev;
  }
}

/**
 * Whether the call being made was resolved to one overload by the type checker. cel-go's
 * per-overload cost trackers (the lists extension's sort) only apply then; a call on `dyn`
 * values is dispatched at runtime and costs 1.
 */
let typedDispatch = true;
export function isTypedDispatch(): boolean {
  return typedDispatch;
}
export function withDispatch<T>(typed: boolean, f: () => T): T {
  const prev = typedDispatch;
  typedDispatch = typed;
  try {
    return f();
  } finally {
    typedDispatch = prev;
  }
}
