/**
 * Maps JSON pointers back to file:line:column. Positions are computed on demand (findings are
 * few compared with fields), from the text each source keeps, so the fast decoding path never
 * has to build position tables for every node.
 */
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { Locator, Origin, Position } from '../../inventory/types.js';
import { parsePointer } from '../../inventory/pointer.js';
import { lineColAt, type RawDocument } from './split.js';
import { YAML_OPTIONS } from './parse.js';

type Stored = { kind: 'yaml'; docs: RawDocument[] } | { kind: 'json'; text: string; lineStarts?: Uint32Array; itemOffsets?: number[] };

export class TextLocator implements Locator {
  private readonly texts = new Map<string, Stored>();
  private cacheKey = '';
  private cacheDoc: Document.Parsed | undefined;

  addYaml(source: string, docs: RawDocument[]): void {
    this.texts.set(source, { kind: 'yaml', docs });
  }

  addJson(source: string, text: string): void {
    this.texts.set(source, { kind: 'json', text });
  }

  has(source: string): boolean {
    return this.texts.has(source);
  }

  locate(origin: Origin, pointer: string): Position | undefined {
    const stored = this.texts.get(origin.source);
    if (!stored) return undefined;
    const segments = parsePointer(origin.itemPointer + pointer);
    if (stored.kind === 'yaml') return this.locateYaml(stored.docs, origin, segments);
    return locateJson(stored, segments);
  }

  private locateYaml(docs: RawDocument[], origin: Origin, segments: string[]): Position | undefined {
    const raw = docs[origin.documentIndex];
    if (!raw) return undefined;
    const key = `${origin.source}\u0000${origin.documentIndex}`;
    if (this.cacheKey !== key) {
      this.cacheDoc = parseDocument(raw.text, YAML_OPTIONS);
      this.cacheKey = key;
    }
    const doc = this.cacheDoc!;
    let node: unknown = doc.contents;
    let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
    for (const seg of segments) {
      if (isAlias(node)) node = node.resolve(doc);
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === seg);
        if (!pair) break;
        offset = (pair.key as Node | null)?.range?.[0] ?? offset;
        node = pair.value;
      } else if (isSeq(node)) {
        const item = node.items[Number(seg)] as Node | undefined;
        if (!item) break;
        offset = item.range?.[0] ?? offset;
        node = item;
      } else break;
    }
    return lineColAt(raw.text, offset, raw.line);
  }
}

/* ---------------- JSON ---------------- */

function locateJson(stored: Extract<Stored, { kind: 'json' }>, segments: string[]): Position | undefined {
  const text = stored.text;
  let i = skipWs(text, 0);
  // fast path into /items/N of large Lists
  if (segments[0] === 'items' && segments.length >= 2) {
    stored.itemOffsets ??= listItemOffsets(text);
    const at = stored.itemOffsets[Number(segments[1])];
    if (at !== undefined) {
      i = at;
      segments = segments.slice(2);
    }
  }
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
  return positionOf(stored, best);
}

function positionOf(stored: Extract<Stored, { kind: 'json' }>, offset: number): Position {
  if (!stored.lineStarts) {
    const starts: number[] = [0];
    const t = stored.text;
    for (let k = t.indexOf('\n'); k !== -1; k = t.indexOf('\n', k + 1)) starts.push(k + 1);
    stored.lineStarts = Uint32Array.from(starts);
  }
  const ls = stored.lineStarts;
  let lo = 0;
  let hi = ls.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ls[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - ls[lo]! + 1 };
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
  // t[i] === '"'
  i++;
  while (i < t.length) {
    const c = t.charCodeAt(i);
    if (c === 92) i += 2;
    else if (c === 34) return i + 1;
    else i++;
  }
  return i;
}

/** Offset just past the JSON value starting at i (iterative, no recursion). */
function skipValue(t: string, i: number): number {
  let depth = 0;
  do {
    i = skipWs(t, i);
    const c = t.charCodeAt(i);
    if (c === 34) i = skipString(t, i);
    else if (c === 123 || c === 91) {
      depth++;
      i++;
    } else if (c === 125 || c === 93) {
      depth--;
      i++;
    } else if (c === 44 || c === 58) i++;
    else {
      while (i < t.length && !',}]: \n\r\t'.includes(t[i]!)) i++;
    }
  } while (depth > 0 && i < t.length);
  return i;
}

function findMember(t: string, i: number, key: string): { keyAt: number; valueAt: number } | undefined {
  i = skipWs(t, i + 1);
  while (i < t.length && t[i] !== '}') {
    const keyAt = i;
    const end = skipString(t, i);
    let name: string;
    try {
      name = JSON.parse(t.slice(i, end)) as string;
    } catch {
      return undefined;
    }
    i = skipWs(t, end);
    if (t[i] !== ':') return undefined;
    const valueAt = skipWs(t, i + 1);
    if (name === key) return { keyAt, valueAt };
    i = skipWs(t, skipValue(t, valueAt));
    if (t[i] === ',') i = skipWs(t, i + 1);
  }
  return undefined;
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

/** Offsets of the elements of the top-level "items" array, in one pass. */
function listItemOffsets(t: string): number[] {
  const start = skipWs(t, 0);
  if (t[start] !== '{') return [];
  const m = findMember(t, start, 'items');
  if (!m || t[m.valueAt] !== '[') return [];
  const out: number[] = [];
  let i = skipWs(t, m.valueAt + 1);
  while (i < t.length && t[i] !== ']') {
    out.push(i);
    i = skipWs(t, skipValue(t, i));
    if (t[i] === ',') i = skipWs(t, i + 1);
  }
  return out;
}
