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
 * The bracket structure of a JSON text, from one pass: containers (objects and arrays) are
 * numbered in the order they open; for each, the offset of its closing bracket and the number
 * of the first container after it. A walk that knows the number of the next container ahead
 * of it skips any nested value in one step, so a pointer costs the members on its path, not
 * the bytes of the text.
 */
interface JsonStructure {
  /** Offset of each container's closing bracket (-1: never closed). */
  closes: Int32Array;
  /** Number of the first container that opens after each one closes. */
  after: Int32Array;
  count: number;
}

/** Strings (with their escapes) are matched whole, so brackets inside them are never seen. */
const STRUCTURE_RE = /[{}[\]]|"[^"\\]*(?:\\[^][^"\\]*)*"/g;

function jsonStructure(t: string): JsonStructure {
  let cap = 1024;
  let closes = new Int32Array(cap).fill(-1);
  let after = new Int32Array(cap);
  let stack = new Int32Array(64);
  let sp = 0;
  let count = 0;
  const re = new RegExp(STRUCTURE_RE.source, 'g');
  while (re.test(t)) {
    const i = re.lastIndex - 1;
    const c = t.charCodeAt(i);
    if (c === 34) continue;
    if (c === 123 || c === 91) {
      if (count === cap) {
        cap *= 2;
        const cl = new Int32Array(cap).fill(-1);
        cl.set(closes);
        closes = cl;
        const af = new Int32Array(cap);
        af.set(after);
        after = af;
      }
      if (sp === stack.length) {
        const st = new Int32Array(sp * 2);
        st.set(stack);
        stack = st;
      }
      stack[sp++] = count++;
    } else if (sp > 0) {
      const k = stack[--sp]!;
      closes[k] = i;
      after[k] = count;
    }
  }
  // containers left open (the text was cut short) end with it
  while (sp > 0) {
    const k = stack[--sp]!;
    closes[k] = t.length - 1;
    after[k] = count;
  }
  return { closes, after, count };
}

/** A place in the text: an offset at the start of a value, and the number of the next container at or after it. */
interface Cursor {
  at: number;
  next: number;
}

/**
 * A JSON text with lazily built indexes: line starts (for offset → line:column), the bracket
 * structure, and the starts of the items of a top-level `items` array (kubectl Lists).
 */
export class JsonIndex {
  private lineStarts: Uint32Array | undefined;
  private structure: JsonStructure | undefined;
  private items: { at: Int32Array; next: Int32Array } | undefined;

  constructor(readonly text: string) {}

  private get struct(): JsonStructure {
    return (this.structure ??= jsonStructure(this.text));
  }

  /** Offset just past the value at the cursor (which moves past it). */
  private skip(cur: Cursor): void {
    const t = this.text;
    const c = t.charCodeAt(cur.at);
    if (c === 123 || c === 91) {
      const s = this.struct;
      const k = cur.next;
      cur.at = k < s.count ? s.closes[k]! + 1 : t.length;
      cur.next = k < s.count ? s.after[k]! : k;
    } else if (c === 34) cur.at = skipString(t, cur.at);
    else cur.at = skipLiteral(t, cur.at);
  }

  /** Starts of the elements of the top-level "items" array (the last "items" member wins, as in JSON.parse). */
  private listItems(): { at: Int32Array; next: Int32Array } {
    if (this.items) return this.items;
    const t = this.text;
    const empty = { at: new Int32Array(0), next: new Int32Array(0) };
    let found = empty;
    const cur: Cursor = { at: skipWs(t, 0), next: 0 };
    if (t.charCodeAt(cur.at) === 123) {
      this.members(cur, (keyAt, keyEnd, value) => {
        if (keyEnd - keyAt !== 7 || !t.startsWith('"items"', keyAt) || t.charCodeAt(value.at) !== 91) return;
        const at: number[] = [];
        const next: number[] = [];
        this.elements({ at: value.at, next: value.next }, (el) => {
          at.push(el.at);
          next.push(el.next);
          return true;
        });
        found = { at: Int32Array.from(at), next: Int32Array.from(next) };
      });
    }
    return (this.items = found);
  }

  /**
   * Calls `each` with every member of the object at the cursor: the key's offsets (quotes
   * included) and a cursor at its value. The cursor ends past the object.
   */
  private members(cur: Cursor, each: (keyAt: number, keyEnd: number, value: Cursor) => void): void {
    const t = this.text;
    const s = this.struct;
    const k = cur.next;
    const end = k < s.count ? s.closes[k]! : t.length;
    cur.next = k + 1;
    cur.at = skipWs(t, cur.at + 1);
    while (cur.at < end && t.charCodeAt(cur.at) === 34) {
      const keyAt = cur.at;
      const keyEnd = skipString(t, keyAt);
      cur.at = skipWs(t, keyEnd);
      if (t.charCodeAt(cur.at) !== 58) break; // not JSON: stop quietly
      cur.at = skipWs(t, cur.at + 1);
      const value: Cursor = { at: cur.at, next: cur.next };
      each(keyAt, keyEnd, value);
      this.skip(cur);
      cur.at = skipWs(t, cur.at);
      if (t.charCodeAt(cur.at) === 44) cur.at = skipWs(t, cur.at + 1);
    }
    cur.at = end + 1;
    cur.next = k < s.count ? s.after[k]! : cur.next;
  }

  /** Calls `each` with a cursor at every element of the array at the cursor, while it returns true. */
  private elements(cur: Cursor, each: (el: Cursor) => boolean): void {
    const t = this.text;
    const s = this.struct;
    const k = cur.next;
    const end = k < s.count ? s.closes[k]! : t.length;
    cur.next = k + 1;
    cur.at = skipWs(t, cur.at + 1);
    while (cur.at < end) {
      if (!each({ at: cur.at, next: cur.next })) return;
      this.skip(cur);
      cur.at = skipWs(t, cur.at);
      if (t.charCodeAt(cur.at) === 44) cur.at = skipWs(t, cur.at + 1);
      else break;
    }
  }

  /** Offset of the member key or array element a pointer designates (the deepest part that exists). */
  offsetOf(segments: readonly string[]): number {
    const t = this.text;
    const cur: Cursor = { at: skipWs(t, 0), next: 0 };
    let s = 0;
    if (segments[0] === 'items' && segments.length >= 2 && t.charCodeAt(cur.at) === 123) {
      const items = this.listItems();
      const n = Number(segments[1]);
      if (Number.isInteger(n) && n >= 0 && n < items.at.length) {
        cur.at = items.at[n]!;
        cur.next = items.next[n]!;
        s = 2;
      }
    }
    let best = cur.at;
    for (; s < segments.length; s++) {
      const c = t.charCodeAt(cur.at);
      const found = c === 123 ? this.findMember(cur, segments[s]!) : c === 91 ? this.findElement(cur, segments[s]!) : -1;
      if (found < 0) break;
      best = found;
    }
    return best;
  }

  /**
   * Moves the cursor from an object to the value of its member `key` and returns the key's
   * offset, or -1 (the cursor is then left anywhere). A repeated key: the last one, as in JSON.parse.
   */
  private findMember(cur: Cursor, key: string): number {
    const t = this.text;
    const st = this.struct;
    const k = cur.next;
    const end = k < st.count ? st.closes[k]! : t.length;
    let at = skipWs(t, cur.at + 1);
    let next = k + 1;
    let hitKey = -1;
    let hitAt = 0;
    let hitNext = 0;
    while (at < end && t.charCodeAt(at) === 34) {
      const keyAt = at;
      const keyEnd = skipString(t, keyAt);
      at = skipWs(t, keyEnd);
      if (t.charCodeAt(at) !== 58) break; // not JSON: stop quietly
      at = skipWs(t, at + 1);
      if (keyMatches(t, keyAt, keyEnd, key)) {
        hitKey = keyAt;
        hitAt = at;
        hitNext = next;
      }
      const c = t.charCodeAt(at);
      if (c === 123 || c === 91) {
        if (next < st.count) {
          at = st.closes[next]! + 1;
          next = st.after[next]!;
        } else at = t.length;
      } else at = c === 34 ? skipString(t, at) : skipLiteral(t, at);
      at = skipWs(t, at);
      if (t.charCodeAt(at) === 44) at = skipWs(t, at + 1);
    }
    if (hitKey >= 0) {
      cur.at = hitAt;
      cur.next = hitNext;
    }
    return hitKey;
  }

  /** Moves the cursor from an array to its element number `seg` and returns its offset, or -1. */
  private findElement(cur: Cursor, seg: string): number {
    if (!/^(0|[1-9]\d*)$/.test(seg)) return -1;
    const want = Number(seg);
    const t = this.text;
    const st = this.struct;
    const k = cur.next;
    const end = k < st.count ? st.closes[k]! : t.length;
    let at = skipWs(t, cur.at + 1);
    let next = k + 1;
    for (let i = 0; at < end; i++) {
      if (i === want) {
        cur.at = at;
        cur.next = next;
        return at;
      }
      const c = t.charCodeAt(at);
      if (c === 123 || c === 91) {
        if (next < st.count) {
          at = st.closes[next]! + 1;
          next = st.after[next]!;
        } else at = t.length;
      } else at = c === 34 ? skipString(t, at) : skipLiteral(t, at);
      at = skipWs(t, at);
      if (t.charCodeAt(at) !== 44) break;
      at = skipWs(t, at + 1);
    }
    return -1;
  }

  /** Offset of element n of the top-level "items" array (kubectl Lists), or of the text's first value. */
  itemOffset(n: number): number {
    const items = this.listItems();
    return n >= 0 && n < items.at.length ? items.at[n]! : skipWs(this.text, 0);
  }

  /** The same as offsetOf (the pointer string is accepted for callers that hold both). */
  offsetOfPointer(_pointer: string, segments: readonly string[]): number {
    return this.offsetOf(segments);
  }

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

/** Whether the JSON string at [keyAt, keyEnd) (quotes included) decodes to `key`. */
function keyMatches(t: string, keyAt: number, keyEnd: number, key: string): boolean {
  const len = keyEnd - keyAt - 2;
  // escapes only make the text longer than what it decodes to
  if (len < key.length) return false;
  if (len === key.length && !key.includes('\\')) return t.startsWith(key, keyAt + 1);
  let escaped = false;
  for (let i = keyAt + 1; i < keyEnd - 1; i++) {
    if (t.charCodeAt(i) === 92) {
      escaped = true;
      break;
    }
  }
  if (!escaped) return false;
  try {
    return JSON.parse(t.slice(keyAt, keyEnd)) === key;
  } catch {
    return false;
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

/** Offset just past a number, true, false or null. */
function skipLiteral(t: string, i: number): number {
  while (i < t.length) {
    const c = t.charCodeAt(i);
    if (c === 44 || c === 125 || c === 93 || c === 58 || c === 32 || c === 10 || c === 13 || c === 9) break;
    i++;
  }
  return i;
}
