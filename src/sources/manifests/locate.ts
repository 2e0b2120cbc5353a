/**
 * Maps JSON pointers back to file:line:column. Positions are computed on demand (findings are
 * few compared with fields), from the text each source keeps, so the fast decoding path never
 * has to build position tables for every node.
 */
import type { Locator, Origin, Position } from '../../inventory/types.js';
import { parsePointer } from '../../inventory/pointer.js';
import { lineColAt, type RawDocument } from './split.js';
import { YamlDocIndex } from './yaml-events.js';

/** Deepest nesting the locator parses (documents in the inventory are never deeper). */
const LOCATE_MAX_DEPTH = 4096;
/** YAML documents whose events are kept between lookups (findings come object by object). */
const YAML_CACHE_SIZE = 8;

type YamlDoc = { raw: RawDocument; index?: YamlDocIndex };
type Stored = { kind: 'yaml'; docs: YamlDoc[] } | { kind: 'json'; index: JsonIndex };

export class TextLocator implements Locator {
  private readonly texts = new Map<string, Stored>();
  private readonly yamlCache = new Map<string, YamlDocIndex>();

  /** A YAML stream's documents, with the position indexes the parser built (else built on demand). */
  addYaml(source: string, docs: Array<RawDocument | YamlDoc>): void {
    this.texts.set(source, { kind: 'yaml', docs: docs.map((d) => ('raw' in d ? d : { raw: d })) });
  }

  addJson(source: string, text: string | JsonIndex): void {
    this.texts.set(source, { kind: 'json', index: typeof text === 'string' ? new JsonIndex(text) : text });
  }

  has(source: string): boolean {
    return this.texts.has(source);
  }

  locate(origin: Origin, pointer: string): Position | undefined {
    const stored = this.texts.get(origin.source);
    if (!stored) return undefined;
    const segments = parsePointer(origin.itemPointer + pointer);
    const full = origin.itemPointer + pointer;
    if (stored.kind === 'json') return stored.index.position(stored.index.offsetOfPointer(full, segments));
    const doc = stored.docs[origin.documentIndex];
    if (!doc) return undefined;
    const index = doc.index ?? this.cachedIndex(origin, doc.raw);
    if (!index) return undefined;
    return lineColAt(doc.raw.text, index.offsetOfPointer(full, segments), doc.raw.line);
  }

  private cachedIndex(origin: Origin, raw: RawDocument): YamlDocIndex | undefined {
    const key = `${origin.source}\u0000${origin.documentIndex}`;
    let index = this.yamlCache.get(key);
    if (index) {
      this.yamlCache.delete(key);
    } else {
      try {
        index = YamlDocIndex.parse(raw.text, LOCATE_MAX_DEPTH);
      } catch {
        return undefined;
      }
      if (this.yamlCache.size >= YAML_CACHE_SIZE) this.yamlCache.delete(this.yamlCache.keys().next().value!);
    }
    this.yamlCache.set(key, index);
    return index;
  }
}

/* ---------------- JSON ---------------- */

/**
 * A JSON text with lazily built indexes: line starts (for offset → line:column) and the
 * offsets of the items of a top-level `items` array (kubectl Lists).
 */
export class JsonIndex {
  private lineStarts: Uint32Array | undefined;
  private itemOffsets: number[] | undefined;

  constructor(readonly text: string) {}

  /** Offset of the member key or array element a pointer designates (the deepest part that exists). */
  offsetOf(segments: readonly string[]): number {
    const text = this.text;
    let i = skipWs(text, 0);
    if (segments[0] === 'items' && segments.length >= 2) {
      this.itemOffsets ??= listItemOffsets(text);
      const at = this.itemOffsets[Number(segments[1])];
      if (at !== undefined) {
        i = at;
        segments = segments.slice(2);
      }
    }
    return walkJson(text, i, segments);
  }

  /**
   * The same answer as offsetOf, for a pointer string, through a pointer map of the List item
   * (or the whole text) it falls in, built in one pass and kept for the next lookups there.
   */
  offsetOfPointer(pointer: string, segments: readonly string[]): number {
    let start: number | undefined;
    let base = '';
    if (segments[0] === 'items' && segments.length >= 2) {
      this.itemOffsets ??= listItemOffsets(this.text);
      start = this.itemOffsets[Number(segments[1])];
      if (start !== undefined) base = `/items/${segments[1]}`;
    }
    start ??= skipWs(this.text, 0);
    if (this.mapStart !== start) {
      this.map = jsonPointerMap(this.text, start, base);
      this.mapStart = start;
    }
    let p = pointer;
    for (;;) {
      const hit = this.map!.get(p);
      if (hit !== undefined) return hit;
      if (p.length <= base.length) return start;
      p = p.slice(0, p.lastIndexOf('/'));
    }
  }

  private mapStart = -1;
  private map: Map<string, number> | undefined;

  position(offset: number): Position {
    if (!this.lineStarts) {
      const starts: number[] = [0];
      const t = this.text;
      for (let k = t.indexOf('\n'); k !== -1; k = t.indexOf('\n', k + 1)) starts.push(k + 1);
      this.lineStarts = Uint32Array.from(starts);
    }
    const ls = this.lineStarts;
    let lo = 0;
    let hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ls[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - ls[lo]! + 1 };
  }
}

/** Offset of a pointer in a JSON text, without indexes (for one-off lookups). */
export function jsonPointerOffset(text: string, segments: readonly string[]): number {
  return walkJson(text, skipWs(text, 0), segments);
}

function walkJson(text: string, i: number, segments: readonly string[]): number {
  let best = i;
  for (const seg of segments) {
    const c = text[i];
    if (c === '{') {
      const found = findMember(text, i, seg);
      if (!found) break;
      best = found.keyAt;
      i = found.valueAt;
    } else if (c === '[') {
      const at = findElement(text, i, Number(seg));
      if (at === undefined) break;
      best = at;
      i = at;
    } else break;
  }
  return best;
}

function skipWs(t: string, i: number): number {
  while (i < t.length) {
    const c = t.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) i++;
    else break;
  }
  return i;
}

function skipString(t: string, i: number): number {
  // t[i] === '"': find the closing quote, skipping escaped ones
  let from = i + 1;
  for (;;) {
    const q = t.indexOf('"', from);
    if (q === -1) return t.length;
    let backslashes = 0;
    for (let b = q - 1; b > i && t.charCodeAt(b) === 92; b--) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    from = q + 1;
  }
}

/** Offset just past the JSON value starting at i (iterative, no recursion). */
function skipValue(t: string, i: number): number {
  i = skipWs(t, i);
  const c = t.charCodeAt(i);
  if (c === 34) return skipString(t, i);
  if (c !== 123 && c !== 91) return skipLiteral(t, i);
  let depth = 0;
  const n = t.length;
  while (i < n) {
    const ch = t.charCodeAt(i);
    if (ch === 34) {
      i = skipString(t, i);
      continue;
    }
    if (ch === 123 || ch === 91) depth++;
    else if (ch === 125 || ch === 93) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return i;
}

/** The member named `key` of the object at i; a repeated key gives its last occurrence, as JSON.parse does. */
function findMember(t: string, i: number, key: string): { keyAt: number; valueAt: number } | undefined {
  let found: { keyAt: number; valueAt: number } | undefined;
  i = skipWs(t, i + 1);
  while (i < t.length && t[i] !== '}') {
    const keyAt = i;
    const end = skipString(t, i);
    let name = t.slice(i + 1, end - 1);
    if (name.includes('\\')) {
      try {
        name = JSON.parse(t.slice(i, end)) as string;
      } catch {
        return found;
      }
    }
    i = skipWs(t, end);
    if (t[i] !== ':') return found;
    const valueAt = skipWs(t, i + 1);
    if (name === key) found = { keyAt, valueAt };
    i = skipWs(t, skipValue(t, valueAt));
    if (t[i] === ',') i = skipWs(t, i + 1);
  }
  return found;
}

function findElement(t: string, i: number, index: number): number | undefined {
  i = skipWs(t, i + 1);
  let n = 0;
  while (i < t.length && t[i] !== ']') {
    if (n === index) return i;
    i = skipWs(t, skipValue(t, i));
    if (t[i] === ',') i = skipWs(t, i + 1);
    n++;
  }
  return undefined;
}

/**
 * Offsets of the elements of the top-level "items" array, in one pass over the text: the
 * members are walked once, each array element recorded on the way (the last "items" wins, as
 * in JSON.parse).
 */
function listItemOffsets(t: string): number[] {
  let i = skipWs(t, 0);
  if (t[i] !== '{') return [];
  let result: number[] = [];
  i = skipWs(t, i + 1);
  while (i < t.length && t[i] !== '}') {
    if (t.charCodeAt(i) !== 34) return result;
    const end = skipString(t, i);
    const isItems = end - i === 7 && t.startsWith('"items"', i);
    i = skipWs(t, end);
    if (t[i] !== ':') return result;
    i = skipWs(t, i + 1);
    if (isItems && t[i] === '[') {
      const out: number[] = [];
      i = skipWs(t, i + 1);
      while (i < t.length && t[i] !== ']') {
        out.push(i);
        i = skipWs(t, skipValue(t, i));
        if (t[i] === ',') i = skipWs(t, i + 1);
      }
      result = out;
      i = skipWs(t, i + 1);
    } else i = skipWs(t, skipValue(t, i));
    if (t[i] === ',') i = skipWs(t, i + 1);
  }
  return result;
}

/** Offset just past a number, true, false or null. */
function skipLiteral(t: string, i: number): number {
  while (i < t.length) {
    const c = t.charCodeAt(i);
    if (c === 44 || c === 125 || c === 93 || c === 58 || c === 32 || c === 10 || c === 13 || c === 9) break;
    i++;
  }
  return i;
}

/**
 * Every pointer inside the JSON value at `start` (whose own pointer is `base`) mapped to its
 * offset (member key or element start), in one iterative pass. A repeated key maps to its
 * last occurrence, as JSON.parse keeps the last value.
 */
export function jsonPointerMap(t: string, start: number, base: string): Map<string, number> {
  const map = new Map<string, number>();
  type Frame = { object: boolean; pointer: string; index: number };
  const stack: Frame[] = [];
  let i = skipWs(t, start);
  let pointer = base;
  map.set(base, i);
  for (;;) {
    // the value at i, whose pointer is `pointer`
    const c = t.charCodeAt(i);
    if (c === 123 || c === 91) {
      stack.push({ object: c === 123, pointer, index: 0 });
      i = skipWs(t, i + 1);
    } else {
      i = skipWs(t, c === 34 ? skipString(t, i) : skipLiteral(t, i));
    }
    // move to the next member or element, closing finished containers
    for (;;) {
      const top = stack[stack.length - 1];
      if (!top || i >= t.length) return map;
      const ch = t.charCodeAt(i);
      if (ch === 125 || ch === 93) {
        stack.pop();
        if (stack.length === 0) return map;
        i = skipWs(t, i + 1);
        continue;
      }
      if (ch === 44) i = skipWs(t, i + 1);
      if (top.object) {
        if (t.charCodeAt(i) !== 34) return map; // not JSON: stop quietly
        const keyAt = i;
        const end = skipString(t, i);
        let key = t.slice(i + 1, end - 1);
        if (key.includes('\\')) {
          try {
            key = JSON.parse(t.slice(i, end)) as string;
          } catch {
            return map;
          }
        }
        i = skipWs(t, end);
        if (t.charCodeAt(i) !== 58) return map;
        i = skipWs(t, i + 1);
        pointer = `${top.pointer}/${key.includes('~') || key.includes('/') ? key.replace(/~/g, '~0').replace(/\//g, '~1') : key}`;
        map.set(pointer, keyAt);
      } else {
        pointer = `${top.pointer}/${top.index++}`;
        map.set(pointer, i);
      }
      break;
    }
  }
}
