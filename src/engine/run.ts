/**
 * The runner: hands every control its targets, collects findings, applies exceptions,
 * locates findings in their sources, and counts what was evaluated (for the scores).
 */
import type { Inventory } from '../inventory/inventory.js';
import { containersOf, podMetadataOf, podSpecOf } from '../inventory/podspec.js';
import { place, type InputProblem, type InventoryObject } from '../inventory/types.js';
import { templateOwnersOf } from '../inventory/owners.js';
import { dedupeFindings } from './dedupe.js';
import { COLLECT_AFTER_OBJECTS, collectIfGrown } from '../util/memory.js';
import { ExceptionMatcher, type ExceptionRule, type ExceptionStatus } from './exceptions.js';
import type { CheckContext, Control, Finding, JsonPatchOp, ObjectRef, ReportOptions, Severity } from './types.js';

export interface RunOptions {
  exceptions?: Array<{ rule: ExceptionRule; source: string }>;
  /** "Today", for exception expiry. Analyses take no clock of their own. */
  now?: Date;
  /**
   * One root cause, one finding (dedupe.ts, docs/deduplication.md); default true. False gives
   * every finding of every control on every object (for measuring what de-duplication removed).
   */
  dedupe?: boolean;
  /**
   * Which objects are judged (`scan -n`): the others are still in the inventory for context
   * (a policy, a binding, a Service) but are not targets, and findings on them are dropped.
   */
  inScope?: (item: InventoryObject) => boolean;
  /** Findings below this severity are not kept (`--severity`); their objects count as passing. */
  minSeverity?: Severity;
}

export interface ControlEvaluation {
  controlId: string;
  /** Objects the control judged. */
  evaluated: number;
  /** Of those, objects with at least one unsuppressed finding. */
  failed: number;
  /** The worst severity among the control's unsuppressed findings, as it made them (absent without any): what caps the scores. */
  worst?: Severity;
}

export interface RunResult {
  findings: Finding[];
  /** Controls that failed on an object (a bug or an object shape nobody foresaw); the scan goes on. */
  problems: InputProblem[];
  evaluations: ControlEvaluation[];
  exceptions: ExceptionStatus[];
}

export function objectRef(item: InventoryObject, inv: Inventory): ObjectRef {
  const ns = inv.namespaceOf(item.object);
  return {
    id: item.id,
    apiVersion: item.object.apiVersion,
    kind: item.object.kind,
    ...(ns !== undefined ? { namespace: ns } : {}),
    name: item.object.metadata.name ?? item.object.metadata.generateName ?? '<unnamed>',
  };
}

const TEMPLATE_RE = /\{\{\s*(\w+)\s*\}\}/g;
/** Message templates split once into literal text (even places) and placeholder names (odd places). */
const compiledTemplates = new Map<string, string[]>();

/**
 * Fills a message template. The result is one flat string (joined, not concatenated): a scan
 * keeps one message per finding until the report, and a chain of concatenations would be kept
 * as a tree of pieces, copied by every collection and flattened again when written.
 */
export function interpolate(template: string, data: Record<string, string | number>): string {
  let parts = compiledTemplates.get(template);
  if (!parts) compiledTemplates.set(template, (parts = template.split(TEMPLATE_RE)));
  if (parts.length === 1) return parts[0]!;
  const out = new Array<string>(parts.length);
  out[0] = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const k = parts[i]!;
    out[i] = Object.prototype.hasOwnProperty.call(data, k) ? String(data[k]) : `{{${k}}}`;
    out[i + 1] = parts[i + 1]!;
  }
  return out.join('');
}

/** `base + pointer` as one flat string (kept per finding: see interpolate). */
function joined(base: string, pointer: string): string {
  return base === '' ? pointer : pointer === '' ? base : [base, pointer].join('');
}

function rebase(base: string, ops: JsonPatchOp[] | undefined): JsonPatchOp[] | undefined {
  return ops?.map((op) => ({ ...op, path: joined(base, op.path) }));
}

export function runControls(inv: Inventory, controls: readonly Control[], opts: RunOptions = {}): RunResult {
  const matcher = new ExceptionMatcher(opts.exceptions ?? [], opts.now ?? new Date());
  const inScope = opts.inScope;
  const minRank = opts.minSeverity ? SEV_RANK[opts.minSeverity]! : Infinity;
  /** Per control, the rank of its worst unsuppressed finding (SEV_BY_RANK.length: none). */
  const worstRank = new Array<number>(controls.length).fill(SEV_BY_RANK.length);
  const findings: Finding[] = [];
  const problems: InputProblem[] = [];
  /** A check that throws becomes a problem naming the control and the object, never a crash. */
  const controlFailed = (control: Control, item: InventoryObject | undefined, err: unknown): void => {
    const what = item ? `${item.object.kind} ${item.id.split('/').slice(1).filter(Boolean).join('/')}` : 'the inventory';
    problems.push({
      source: item?.origin.source ?? '<inventory>',
      ...(item && item.origin.line > 0 ? { line: item.origin.line } : {}),
      code: 'control-error',
      severity: 'error',
      message: `control ${control.id} (${control.name}) failed on ${what}: ${err instanceof Error ? err.name : 'error'}; its result for this object is missing`,
    });
  };
  // Pass/fail bookkeeping for the scores: one byte per (control, object), not sets of ids.
  let objectIndex: Map<InventoryObject, number> | undefined; // only for objects built outside an Inventory
  const n = inv.objects.length;
  const EVALUATED = 1;
  const FAILED = 2;
  // Objects a control ran on are counted as it runs; findings mark their object (which may be
  // another one than the control ran on), and only those marks are kept: object-major, one byte
  // per (object, control), with the places touched listed.
  const C = controls.length;
  const marks = new Uint8Array(n * C);
  const touched: number[] = [];
  const ranOn = new Array<number>(C).fill(0);
  const controlIndex = new Map<string, number>(controls.map((c, k) => [c.id, k]));
  const mark = (control: number, item: InventoryObject, bits: number): void => {
    let i = item.index;
    if (i === undefined || inv.objects[i] !== item) {
      objectIndex ??= new Map(inv.objects.map((o, k) => [o, k]));
      i = objectIndex.get(item);
    }
    if (i === undefined) return;
    const at = i * C + control;
    if (marks[at] === 0) touched.push(at);
    marks[at]! |= bits;
  };
  const refs = new Map<InventoryObject, ObjectRef>();
  const refOf = (item: InventoryObject): ObjectRef => {
    let r = refs.get(item);
    if (!r) refs.set(item, (r = objectRef(item, inv)));
    return r;
  };

  /**
   * One context per control, re-aimed at each target (a scan hands out millions of targets;
   * allocating a context for each costs more than most checks).
   */
  class RunContext implements CheckContext<string> {
    readonly inventory = inv;
    item: InventoryObject | undefined = undefined;
    base = '';
    container: string | undefined = undefined;
    /** The control's place in `controls` (its column of marks). */
    readonly column: number;
    constructor(private readonly control: Control) {
      this.column = controlIndex.get(control.id)!;
    }
    aim(item: InventoryObject | undefined, base: string, container?: string): this {
      this.item = item;
      this.base = base;
      this.container = container;
      return this;
    }
    report(messageId: string, data: Record<string, string | number>, pointer: string, ro?: ReportOptions): void {
      const control = this.control;
      const template = (control.messages as Record<string, string>)[messageId];
      if (template === undefined) throw new Error(`control ${control.id} reported unknown message "${messageId}"`);
      const target = ro?.object ?? this.item;
      if (target && inScope && !inScope(target)) return;
      const abs = ro?.object ? pointer : joined(this.base, pointer);
      // below --severity: never made (and never counted by an exception rule)
      if (SEV_RANK[ro?.severity ?? control.severity]! > minRank) return;
      const ref = target ? refOf(target) : undefined;
      const suppressed = matcher.match(control, target?.object, ref);
      // built field by field in the documented order (a scan builds one of these per finding)
      const f = { controlId: control.id, control: control.name, title: control.title, layer: control.layer, severity: ro?.severity ?? control.severity, message: interpolate(template, data) } as Finding;
      if (ref) f.object = ref;
      f.pointer = abs;
      if (target && target.origin.line > 0) {
        f.location = { source: target.origin.source, line: target.origin.line, column: target.origin.column };
        if (target.origin.renderedFrom !== undefined) f.location.renderedFrom = target.origin.renderedFrom;
      }
      if (target && inv.locator) {
        // the field's own position replaces the object's line (when the source text knows it)
        if (inv.locator.locateLater) inv.locator.locateLater(target.origin, abs, f);
        else {
          const p = inv.locator.locate(target.origin, abs);
          if (p) place(f, target.origin.source, p.line, p.column);
        }
      }
      if (target?.origin.via && target.origin.via !== 'file') f.via = target.origin.via;
      if (this.container !== undefined) f.container = this.container;
      if (ro?.fix) f.fix = ro.object ? ro.fix : rebase(this.base, ro.fix)!;
      if (suppressed) f.suppressed = suppressed;
      else if (SEV_RANK[f.severity]! < worstRank[this.column]!) worstRank[this.column] = SEV_RANK[f.severity]!;
      findings.push(f);
      if (target) mark(this.column, target, suppressed ? EVALUATED : EVALUATED | FAILED);
    }
  }
  const contexts = new Map<Control, RunContext>(controls.map((c) => [c, new RunContext(c)]));

  const containerControls = controls.filter((c): c is Extract<Control, { targets: 'container' }> => c.targets === 'container');
  const containerContexts = containerControls.map((c) => contexts.get(c)!);
  const podControls = controls.filter((c): c is Extract<Control, { targets: 'podSpec' }> => c.targets === 'podSpec');
  const podContexts = podControls.map((c) => contexts.get(c)!);
  const objectControls = new Map<string, Array<Extract<Control, { targets: 'object' }>>>();
  for (const c of controls) {
    if (c.targets !== 'object') continue;
    for (const k of c.kinds) {
      const list = objectControls.get(k) ?? [];
      if (!list.includes(c)) list.push(c);
      objectControls.set(k, list);
    }
  }
  const anyKind = objectControls.get('*') ?? [];
  /** The object controls that judge a kind: its own, then those for every kind (each once). */
  const forKindCache = new Map<string, Array<Extract<Control, { targets: 'object' }>>>();
  const objectControlsFor = (kind: string): Array<Extract<Control, { targets: 'object' }>> => {
    let list = forKindCache.get(kind);
    if (!list) {
      const own = kind === '*' ? [] : (objectControls.get(kind) ?? []);
      forKindCache.set(kind, (list = [...own, ...anyKind.filter((c) => !own.includes(c))]));
    }
    return list;
  };
  /** Whether control `k` ran on an object (to count objects that only got another control's finding). */
  const ranOnObject = (k: number, obj: InventoryObject['object']): boolean => {
    const c = controls[k]!;
    if (c.targets === 'podSpec' || c.targets === 'container') return podSpecOf(obj) !== undefined;
    if (c.targets === 'object') return objectControlsFor(obj.kind).includes(c);
    return c.kinds.includes(obj.kind);
  };

  // Objects whose pod spec is their owner's template are judged once, at the top owner (owners.ts).
  const representative = opts.dedupe === false ? new Int32Array(n).fill(-1) : templateOwnersOf(inv).representative;
  // a large inventory's garbage is collected as it grows, not left to V8's limit (util/memory.ts)
  const checkMemory = n >= COLLECT_AFTER_OBJECTS;
  for (let at = 0; at < n; at++) {
    if (checkMemory && (at & 2047) === 0) collectIfGrown();
    const item = inv.objects[at]!;
    if (inScope && !inScope(item)) continue;
    const obj = item.object;
    const ps = representative[at] === -1 ? podSpecOf(obj) : undefined;
    if (ps) {
      const podMetadata = podMetadataOf(obj);
      const podTarget = { podSpec: ps.spec, podMetadata, object: obj };
      for (let k = 0; k < podControls.length; k++) {
        const c = podControls[k]!;
        const ctx = podContexts[k]!.aim(item, ps.pointer);
        ranOn[ctx.column]!++;
        try {
          c.check(podTarget, ctx);
        } catch (err) {
          controlFailed(c, item, err);
        }
      }
      const containers = containersOf(ps);
      const targets = containers.map((cr) => ({ container: cr.container, containerKind: cr.kind, podSpec: ps.spec, object: obj }));
      for (let k = 0; k < containerControls.length; k++) {
        const c = containerControls[k]!;
        const ctx = containerContexts[k]!;
        ranOn[ctx.column]!++;
        for (let j = 0; j < containers.length; j++) {
          const cr = containers[j]!;
          ctx.aim(item, cr.pointer, cr.container.name);
          try {
            c.check(targets[j]!, ctx);
          } catch (err) {
            controlFailed(c, item, err);
          }
        }
      }
    }
    for (const c of objectControlsFor(obj.kind)) {
      const ctx = contexts.get(c)!.aim(item, '');
      ranOn[ctx.column]!++;
      try {
        c.check(obj, ctx);
      } catch (err) {
        controlFailed(c, item, err);
      }
    }
  }
  for (const c of controls) {
    if (c.targets !== 'inventory') continue;
    const ctx = contexts.get(c)!;
    for (const k of new Set(c.kinds)) ranOn[ctx.column]! += inScope ? inv.byKind(k).filter(inScope).length : inv.byKind(k).length;
    ctx.aim(undefined, '');
    try {
      c.check(inv, ctx);
    } catch (err) {
      controlFailed(c, undefined, err);
    }
  }

  inv.locator?.settle?.(); // every deferred position is in before findings are ordered by them
  findings.sort(compareFindings);
  // One root cause, one finding (dedupe.ts); the evaluations below are taken from the marks, before it.
  const reported = opts.dedupe === false ? findings : dedupeFindings(findings, inv, controls);
  const evaluated = ranOn.slice();
  const failed = new Array<number>(C).fill(0);
  for (const at of touched) {
    const k = at % C;
    const m = marks[at]!;
    if (m & FAILED) failed[k]!++;
    if (m & EVALUATED && !ranOnObject(k, inv.objects[(at - k) / C]!.object)) evaluated[k]!++;
  }
  const evaluations: ControlEvaluation[] = controls.map((c, k) => {
    const e: ControlEvaluation = { controlId: c.id, evaluated: evaluated[k]!, failed: failed[k]! };
    if (worstRank[k]! < SEV_BY_RANK.length) e.worst = SEV_BY_RANK[worstRank[k]!]!;
    return e;
  });
  return { findings: reported, problems, evaluations, exceptions: matcher.statuses };
}

const SEV_RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };
const SEV_BY_RANK: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** Deterministic order: by source, line, column, then control and pointer. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    cmp(a.location?.source ?? '', b.location?.source ?? '') ||
    (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
    (a.location?.column ?? 0) - (b.location?.column ?? 0) ||
    cmp(a.object?.id ?? '', b.object?.id ?? '') ||
    SEV_RANK[a.severity]! - SEV_RANK[b.severity]! ||
    cmp(a.controlId, b.controlId) ||
    cmp(a.pointer, b.pointer) ||
    cmp(a.message, b.message)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
