/**
 * A minimal RFC 6902 applier (add, remove, replace) used to keep only the fix operations that
 * apply cleanly, in order, before they are sent to the API server as the mutating webhook's patch.
 */
import type { JsonPatchOp } from '../engine/types.js';
import { parsePointer } from '../inventory/pointer.js';

type Json = unknown;

function isContainer(v: unknown): v is Record<string, unknown> | unknown[] {
  return typeof v === 'object' && v !== null;
}

/** Applies one operation to `doc` in place; false (and `doc` untouched) when it does not apply. */
export function applyOp(doc: Json, op: JsonPatchOp): boolean {
  let segments: string[];
  try {
    segments = parsePointer(op.path);
  } catch {
    return false;
  }
  if (segments.length === 0) return false; // replacing the whole object is never a fix
  if (segments.includes('__proto__')) return false;
  let parent: unknown = doc;
  for (const s of segments.slice(0, -1)) {
    if (!isContainer(parent)) return false;
    parent = Array.isArray(parent) ? (/^\d+$/.test(s) ? parent[Number(s)] : undefined) : Object.prototype.hasOwnProperty.call(parent, s) ? parent[s] : undefined;
  }
  if (!isContainer(parent)) return false;
  const last = segments[segments.length - 1]!;
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : /^\d+$/.test(last) ? Number(last) : -1;
    if (index < 0) return false;
    if (op.op === 'add') {
      if (index > parent.length) return false;
      parent.splice(index, 0, structuredClone(op.value));
    } else {
      if (index >= parent.length) return false;
      if (op.op === 'remove') parent.splice(index, 1);
      else parent[index] = structuredClone(op.value);
    }
    return true;
  }
  const has = Object.prototype.hasOwnProperty.call(parent, last);
  if (op.op === 'add') parent[last] = structuredClone(op.value);
  else if (!has) return false;
  else if (op.op === 'remove') delete parent[last];
  else parent[last] = structuredClone(op.value);
  return true;
}

/** Applies the operations that apply (in order) to a copy of `doc`; returns them and the result. */
export function applyPatch<T>(doc: T, ops: readonly JsonPatchOp[]): { applied: JsonPatchOp[]; result: T } {
  const result = structuredClone(doc);
  const applied: JsonPatchOp[] = [];
  for (const op of ops) if (applyOp(result, op)) applied.push(op);
  return { applied, result };
}
