/**
 * Reading pod specs the way the API server's typed objects read: `null` is an unset pointer,
 * a missing list is empty, and containers are visited init → regular → ephemeral.
 */
import type { JsonPatchOp } from '../../engine/types.js';
import { escapeSegment } from '../../inventory/pointer.js';

export type Rec = Record<string, unknown>;

/** The value as an object (not null, not an array), or undefined. */
export function rec(v: unknown): Rec | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : undefined;
}

/** The value as a list (undefined and null read as empty). */
export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** A Go string field: unset/null reads as ''. */
export function str(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : String(v);
}

/** A set pointer (present and not null). */
export function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

export interface VisitedContainer {
  container: Rec;
  name: string;
  /** Pointer relative to the pod spec: `/initContainers/0`, `/containers/1`, `/ephemeralContainers/0`. */
  pointer: string;
}

const CONTAINER_FIELDS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/**
 * The last visit: every check visits the same pod spec's containers one after the other (a
 * scan runs all checks on one pod before the next). It is reused only while the spec still
 * holds the same lists with the same container objects, of the same names, in the same places.
 */
let lastVisit: { spec: Rec; lists: unknown[]; raw: unknown[]; out: readonly VisitedContainer[] } | undefined;

/** Every container of a pod spec, in the admission plugin's order. */
export function visitContainers(podSpec: Rec): readonly VisitedContainer[] {
  const hit = lastVisit;
  if (hit && hit.spec === podSpec && sameContainers(podSpec, hit.lists, hit.raw, hit.out)) return hit.out;
  const out: VisitedContainer[] = [];
  const raw: unknown[] = [];
  for (const field of CONTAINER_FIELDS) {
    const items = list(podSpec[field]);
    for (let i = 0; i < items.length; i++) {
      const container = rec(items[i]) ?? {};
      raw.push(items[i]);
      out.push({ container, name: str(container['name']), pointer: `/${field}/${i}` });
    }
  }
  lastVisit = { spec: podSpec, lists: CONTAINER_FIELDS.map((f) => podSpec[f]), raw, out };
  return out;
}

function sameContainers(podSpec: Rec, lists: unknown[], raw: unknown[], out: readonly VisitedContainer[]): boolean {
  let k = 0;
  for (let f = 0; f < CONTAINER_FIELDS.length; f++) {
    const value = podSpec[CONTAINER_FIELDS[f]!];
    if (value !== lists[f]) return false;
    const items = list(value);
    for (let i = 0; i < items.length; i++) {
      const c = items[i];
      if (c !== raw[k] || out[k]!.name !== str(rec(c)?.['name'])) return false;
      k++;
    }
  }
  return k === raw.length;
}

export function securityContextOf(o: Rec): Rec | undefined {
  return rec(o['securityContext']);
}

export function isWindowsPod(podSpec: Rec): boolean {
  return rec(podSpec['os'])?.['name'] === 'windows';
}

/** `hostUsers: false`: the pod runs in its own user namespace. */
export function inUserNamespace(podSpec: Rec): boolean {
  return podSpec['hostUsers'] === false;
}

export function pointerOf(base: string, ...segments: Array<string | number>): string {
  return base + segments.map((s) => '/' + escapeSegment(s)).join('');
}

/**
 * A JSON patch setting `root[base][...segments] = value`, creating missing parents: `replace` when
 * the field exists, otherwise one `add` at the first missing (or null) member carrying the nested value.
 */
export function setPatch(root: unknown, base: string, segments: string[], value: unknown): JsonPatchOp[] {
  let cur: unknown = root;
  for (const seg of base.split('/').slice(1)) cur = (cur as Rec | unknown[] | undefined)?.[seg as never];
  for (let i = 0; i < segments.length; i++) {
    const parent = rec(cur);
    const next = parent?.[segments[i]!];
    if (parent === undefined || next === undefined || next === null || (i < segments.length - 1 && rec(next) === undefined)) {
      if (parent === undefined) return []; // the base itself is missing or not an object: no safe patch
      let nested: unknown = value;
      for (let j = segments.length - 1; j > i; j--) nested = { [segments[j]!]: nested };
      return [{ op: 'add', path: pointerOf(base, ...segments.slice(0, i + 1)), value: nested }];
    }
    cur = next;
  }
  return [{ op: 'replace', path: pointerOf(base, ...segments), value }];
}

/** A patch adding one item to the end of a list, creating the list (and its parents) when missing. */
export function appendPatch(root: unknown, base: string, segments: string[], item: unknown): JsonPatchOp[] {
  let cur: unknown = root;
  for (const seg of [...base.split('/').slice(1), ...segments]) cur = (cur as Rec | unknown[] | undefined)?.[seg as never];
  if (Array.isArray(cur)) return [{ op: 'add', path: pointerOf(base, ...segments) + '/-', value: item }];
  return setPatch(root, base, segments, [item]);
}
