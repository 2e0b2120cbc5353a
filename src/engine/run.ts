/**
 * The runner: hands every control its targets, collects findings, applies exceptions,
 * locates findings in their sources, and counts what was evaluated (for the scores).
 */
import type { Inventory } from '../inventory/inventory.js';
import { containersOf, podMetadataOf, podSpecOf } from '../inventory/podspec.js';
import type { InputProblem, InventoryObject } from '../inventory/types.js';
import { ExceptionMatcher, type ExceptionRule, type ExceptionStatus } from './exceptions.js';
import type { CheckContext, Control, Finding, JsonPatchOp, ObjectRef, ReportOptions } from './types.js';

export interface RunOptions {
  exceptions?: Array<{ rule: ExceptionRule; source: string }>;
  /** "Today", for exception expiry. Analyses take no clock of their own. */
  now?: Date;
}

export interface ControlEvaluation {
  controlId: string;
  /** Objects the control judged. */
  evaluated: number;
  /** Of those, objects with at least one unsuppressed finding. */
  failed: number;
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

function interpolate(template: string, data: Record<string, string | number>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => (k in data ? String(data[k]) : `{{${k}}}`));
}

function rebase(base: string, ops: JsonPatchOp[] | undefined): JsonPatchOp[] | undefined {
  return ops?.map((op) => ({ ...op, path: base + op.path }));
}

export function runControls(inv: Inventory, controls: readonly Control[], opts: RunOptions = {}): RunResult {
  const matcher = new ExceptionMatcher(opts.exceptions ?? [], opts.now ?? new Date());
  const findings: Finding[] = [];
  const problems: InputProblem[] = [];
  /** Runs one check; an exception becomes a problem naming the control and the object, never a crash. */
  const guard = (control: Control, item: InventoryObject | undefined, fn: () => void): void => {
    try {
      fn();
    } catch (err) {
      const what = item ? `${item.object.kind} ${item.id.split('/').slice(1).filter(Boolean).join('/')}` : 'the inventory';
      problems.push({
        source: item?.origin.source ?? '<inventory>',
        ...(item && item.origin.line > 0 ? { line: item.origin.line } : {}),
        code: 'control-error',
        severity: 'error',
        message: `control ${control.id} (${control.name}) failed on ${what}: ${err instanceof Error ? err.name : 'error'}; its result for this object is missing`,
      });
    }
  };
  const evaluated = new Map<string, Set<string>>();
  const failed = new Map<string, Set<string>>();
  for (const c of controls) {
    evaluated.set(c.id, new Set());
    failed.set(c.id, new Set());
  }

  const makeContext = (control: Control, item: InventoryObject | undefined, base: string, container?: string): CheckContext<string> => ({
    inventory: inv,
    item,
    report(messageId: string, data: Record<string, string | number>, pointer: string, ro?: ReportOptions) {
      const template = (control.messages as Record<string, string>)[messageId];
      if (template === undefined) throw new Error(`control ${control.id} reported unknown message "${messageId}"`);
      const target = ro?.object ?? item;
      const abs = ro?.object ? pointer : base + pointer;
      const ref = target ? objectRef(target, inv) : undefined;
      const location = target && inv.locator ? inv.locator.locate(target.origin, abs) : undefined;
      const suppressed = matcher.match(control, target?.object, ref);
      const f: Finding = {
        controlId: control.id,
        control: control.name,
        title: control.title,
        layer: control.layer,
        severity: control.severity,
        message: interpolate(template, data),
        ...(ref ? { object: ref } : {}),
        pointer: abs,
        ...(target && location ? { location: { source: target.origin.source, line: location.line, column: location.column } } : target && target.origin.line > 0 ? { location: { source: target.origin.source, line: target.origin.line, column: target.origin.column } } : {}),
        ...(target?.origin.via && target.origin.via !== 'file' ? { via: target.origin.via } : {}),
        ...(container !== undefined ? { container } : {}),
        ...(ro?.fix ? { fix: ro.object ? ro.fix : rebase(base, ro.fix)! } : {}),
        ...(suppressed ? { suppressed } : {}),
      };
      findings.push(f);
      if (target) {
        evaluated.get(control.id)!.add(target.id);
        if (!suppressed) failed.get(control.id)!.add(target.id);
      }
    },
  });

  const containerControls = controls.filter((c) => c.targets === 'container');
  const podControls = controls.filter((c) => c.targets === 'podSpec');
  const objectControls = new Map<string, Control[]>();
  for (const c of controls) {
    if (c.targets !== 'object') continue;
    for (const k of c.kinds) {
      const list = objectControls.get(k) ?? [];
      list.push(c);
      objectControls.set(k, list);
    }
  }

  for (const item of inv.objects) {
    const obj = item.object;
    const ps = podSpecOf(obj);
    if (ps) {
      const podMetadata = podMetadataOf(obj);
      for (const c of podControls) {
        if (c.targets !== 'podSpec') continue;
        evaluated.get(c.id)!.add(item.id);
        guard(c, item, () => c.check({ podSpec: ps.spec, podMetadata, object: obj }, makeContext(c, item, ps.pointer)));
      }
      const containers = containersOf(ps);
      for (const c of containerControls) {
        if (c.targets !== 'container') continue;
        evaluated.get(c.id)!.add(item.id);
        for (const cr of containers) {
          guard(c, item, () => c.check({ container: cr.container, containerKind: cr.kind, podSpec: ps.spec, object: obj }, makeContext(c, item, cr.pointer, cr.container.name)));
        }
      }
    }
    const forKind = [...(objectControls.get(obj.kind) ?? []), ...(objectControls.get('*') ?? [])];
    for (const c of forKind) {
      if (c.targets !== 'object') continue;
      evaluated.get(c.id)!.add(item.id);
      guard(c, item, () => c.check(obj, makeContext(c, item, '')));
    }
  }
  for (const c of controls) {
    if (c.targets !== 'inventory') continue;
    for (const k of c.kinds) for (const item of inv.byKind(k)) evaluated.get(c.id)!.add(item.id);
    guard(c, undefined, () => c.check(inv, makeContext(c, undefined, '')));
  }

  findings.sort(compareFindings);
  const evaluations = controls.map((c) => ({ controlId: c.id, evaluated: evaluated.get(c.id)!.size, failed: failed.get(c.id)!.size }));
  return { findings, problems, evaluations, exceptions: matcher.statuses };
}

const SEV_RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

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
