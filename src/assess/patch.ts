/**
 * Applies the JSON patches (RFC 6902 `add`, `remove`, `replace`) that findings carry to a copy of
 * their object: what an action's change would make of the object, for the what-if of attack
 * paths. Operations whose path does not exist (a field another patch already removed) are
 * skipped, never fatal; array removals run from the highest index down so that several patches
 * on one array do not shift each other.
 */
import type { JsonPatchOp } from '../engine/types.js';
import type { K8sObject } from '../inventory/types.js';

function unescape(seg: string): string {
  return seg.replace(/~1/g, '/').replace(/~0/g, '~');
}

function segments(pointer: string): string[] {
  return pointer === '' ? [] : pointer.split('/').slice(1).map(unescape);
}

function isIndex(seg: string): boolean {
  return /^(0|[1-9][0-9]*)$/.test(seg);
}

/** Applies one operation in place; false when its path does not exist. */
function applyOp(root: Record<string, unknown>, op: JsonPatchOp): boolean {
  const segs = segments(op.path);
  if (segs.length === 0) return false;
  let parent: unknown = root;
  for (let i = 0; i < segs.length - 1; i++) {
    const seg = segs[i]!;
    if (Array.isArray(parent)) {
      if (!isIndex(seg) || Number(seg) >= parent.length) return false;
      parent = parent[Number(seg)];
    } else if (parent !== null && typeof parent === 'object') {
      const obj = parent as Record<string, unknown>;
      if (!(seg in obj)) {
        // `add` creates the objects on its way (a securityContext that was not there)
        if (op.op !== 'add') return false;
        obj[seg] = isIndex(segs[i + 1]!) || segs[i + 1] === '-' ? [] : {};
      }
      parent = obj[seg];
    } else return false;
  }
  const last = segs[segs.length - 1]!;
  if (Array.isArray(parent)) {
    if (last === '-' && op.op === 'add') {
      parent.push(structuredClone(op.value));
      return true;
    }
    if (!isIndex(last)) return false;
    const i = Number(last);
    if (op.op === 'add') {
      if (i > parent.length) return false;
      parent.splice(i, 0, structuredClone(op.value));
    } else {
      if (i >= parent.length) return false;
      if (op.op === 'remove') parent.splice(i, 1);
      else parent[i] = structuredClone(op.value);
    }
    return true;
  }
  if (parent === null || typeof parent !== 'object') return false;
  const obj = parent as Record<string, unknown>;
  if (op.op === 'remove') {
    if (!(last in obj)) return false;
    delete obj[last];
  } else if (op.op === 'replace' && !(last in obj)) return false;
  else obj[last] = structuredClone(op.value);
  return true;
}

function comparePaths(a: string, b: string): number {
  const sa = segments(a);
  const sb = segments(b);
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const x = sa[i]!;
    const y = sb[i]!;
    if (x === y) continue;
    if (isIndex(x) && isIndex(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return sa.length - sb.length;
}

/** A patched copy of the object: adds and replaces first (in order), then removals, deepest and highest index first. */
export function applyPatches(object: K8sObject, ops: readonly JsonPatchOp[]): { object: K8sObject; applied: number; skipped: number } {
  const copy = structuredClone(object) as K8sObject;
  const writes = ops.filter((o) => o.op !== 'remove');
  const removes = ops.filter((o) => o.op === 'remove').sort((a, b) => comparePaths(b.path, a.path));
  let applied = 0;
  let skipped = 0;
  const seen = new Set<string>();
  for (const op of [...writes, ...removes]) {
    const key = `${op.op} ${op.path} ${JSON.stringify(op.value ?? null)}`;
    if (seen.has(key)) continue; // two findings with the same fix
    seen.add(key);
    if (applyOp(copy as unknown as Record<string, unknown>, op)) applied++;
    else skipped++;
  }
  return { object: copy, applied, skipped };
}
