/**
 * Measures de-duplication on an input (docs/deduplication.md): scans it with and without, and
 * accounts for every finding that de-duplication removed. Used by test/integration/noise-corpus
 * and bench/noise.ts.
 */
import { loadInventory, scanInventory } from '../../src/scan.js';
import type { Finding } from '../../src/engine/types.js';
import type { Inventory } from '../../src/inventory/inventory.js';
import { allControls } from '../../src/controls/index.js';

/** Controls that grade each finding (a severity table): when they win, their own grade stands (docs/deduplication.md). */
const GRADED = new Set(allControls.filter((c) => c.severityTable !== undefined).map((c) => c.id));

export interface NoiseMeasure {
  before: number;
  after: number;
  /** Removed findings, each with the reported finding that covers it (or none: a lost finding). */
  removed: Array<{ finding: Finding; by: Finding | undefined; how: 'repeat' | 'related' | 'owner' | 'owner-passed' | 'lost' }>;
  /** Reported findings that the scan without de-duplication did not produce (must be none). */
  invented: Finding[];
  reported: Finding[];
}

const SEV = { critical: 0, high: 1, medium: 2, low: 3, info: 4 } as const;

export function key(f: Finding): string {
  return [f.controlId, f.object?.id ?? '', f.pointer, f.container ?? '', f.message, f.suppressed ? 's' : ''].join('\u0000');
}

export async function measureNoise(paths: string[], now = new Date('2026-01-01T00:00:00Z')): Promise<NoiseMeasure> {
  const { inventory } = await loadInventory(paths);
  return measureInventory(inventory, now);
}

export function measureInventory(inv: Inventory, now = new Date('2026-01-01T00:00:00Z')): NoiseMeasure {
  const raw = scanInventory(inv, [], { now, dedupe: false }).findings;
  const reported = scanInventory(inv, [], { now }).findings;
  const reportedCount = new Map<string, number>();
  for (const f of reported) reportedCount.set(key(f), (reportedCount.get(key(f)) ?? 0) + 1);
  const rawKeys = new Set(raw.map(key));
  const invented = reported.filter((f) => !rawKeys.has(key(f)));
  // the objects' template-owner ancestors, by ownerReferences (independently of the engine's index)
  const byId = new Map(inv.objects.map((o) => [o.id, o]));
  const ancestors = (id: string): string[] => {
    const out: string[] = [];
    let item = byId.get(id);
    for (let guard = 0; item && guard < 8; guard++) {
      const ref = item.object.metadata.ownerReferences?.find((r) => r.controller) ?? item.object.metadata.ownerReferences?.[0];
      if (!ref) break;
      const owner = inv.get(ref.kind, inv.namespaceOf(item.object), ref.name);
      if (!owner) break;
      out.push(owner.id);
      item = owner;
    }
    return out;
  };
  const byObject = new Map<string, Finding[]>();
  for (const f of reported) {
    const id = f.object?.id ?? '';
    const list = byObject.get(id);
    if (list) list.push(f);
    else byObject.set(id, [f]);
  }
  const removed: NoiseMeasure['removed'] = [];
  for (const f of raw) {
    const k = key(f);
    const left = reportedCount.get(k) ?? 0;
    if (left > 0) {
      reportedCount.set(k, left - 1);
      continue;
    }
    if (reported.some((r) => key(r) === k)) {
      removed.push({ finding: f, by: reported.find((r) => key(r) === k), how: 'repeat' });
      continue;
    }
    // the winner names the removed control with the severity its finding had
    const covers = (r: Finding): boolean => !!r.related?.some((x) => x.controlId === f.controlId && x.severity === f.severity) && !r.suppressed === !f.suppressed;
    const same = (byObject.get(f.object?.id ?? '') ?? []).find(covers);
    if (same) {
      removed.push({ finding: f, by: same, how: 'related' });
      continue;
    }
    let owner: Finding | undefined;
    const up = f.object ? ancestors(f.object.id) : [];
    for (const a of up) {
      owner = (byObject.get(a) ?? []).find((r) => (r.controlId === f.controlId && SEV[r.severity] <= SEV[f.severity]) || covers(r));
      if (owner) break;
    }
    // judged at its owner, which the control passes (nothing of that control on the owner chain)
    const passed = !owner && up.length > 0 && f.object?.kind === 'Pod' && up.every((a) => !(byObject.get(a) ?? []).some((r) => r.controlId === f.controlId));
    removed.push({ finding: f, by: owner, how: owner ? 'owner' : passed ? 'owner-passed' : 'lost' });
  }
  return { before: raw.length, after: reported.length, removed, invented, reported };
}
