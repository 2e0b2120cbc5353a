/**
 * Pretty-printed JSON in pieces: the same bytes as `JSON.stringify(value, null, indent)`, but
 * the large arrays and objects near the top (a report's findings, SARIF results) are written
 * member by member, so a report of a hundred thousand findings never exists as one string.
 * Values below the streamed levels, and anything unusual (toJSON, non-plain objects), are
 * handed to JSON.stringify itself, so the output cannot drift from it.
 */

/**
 * An array whose elements are made when they are written: `length` elements, element `i` is
 * `at(i)`. jsonChunks makes and writes them a batch at a time, so the elements of a report of
 * millions of entries never exist all at once; JSON.stringify (through toJSON) sees the whole
 * array, which is what the streamed text must equal.
 */
export class LazyArray<T = unknown> {
  constructor(
    readonly length: number,
    readonly at: (i: number) => T,
  ) {}
  /** Elements [start, end). */
  slice(start: number, end: number): T[] {
    const out: T[] = [];
    for (let i = start; i < end; i++) out.push(this.at(i));
    return out;
  }
  toJSON(): T[] {
    return this.slice(0, this.length);
  }
}

/** Pieces are gathered up to about this many characters before they are handed out. */
const CHUNK = 1 << 20;
/** Arrays at least this long are written element by element. */
const BIG_ARRAY = 256;
/** Elements stringified together. */
const BATCH = 512;
/** How deep a big array is looked for (SARIF results sit at depth 4). */
const STREAM_DEPTH = 5;

export function* jsonChunks(value: unknown, indent = 2): Generator<string> {
  const pad = ' '.repeat(indent);
  let buf = '';
  function* flush(force: boolean): Generator<string> {
    if (buf.length >= CHUNK || (force && buf.length > 0)) {
      yield buf;
      buf = '';
    }
  }
  /** Writes `v` (already known to serialize) at `depth`; `prefix` is the indentation of its line. */
  function* write(v: unknown, prefix: string, depth: number): Generator<string> {
    if (v instanceof LazyArray) {
      if (v.length === 0) {
        buf += '[]';
        return;
      }
      buf += '[\n';
      const level = prefix.length / pad.length;
      for (let i = 0; i < v.length; i += BATCH) {
        const end = Math.min(v.length, i + BATCH);
        buf += batchText(v.slice(i, end), level);
        buf += end < v.length ? ',\n' : '\n';
        yield* flush(false);
      }
      buf += prefix + ']';
      return;
    }
    if (!isStreamable(v) || !holdsBigArray(v, STREAM_DEPTH - depth)) {
      whole(v, prefix);
      yield* flush(false);
      return;
    }
    const inner = prefix + pad;
    if (Array.isArray(v)) {
      if (v.length === 0) {
        buf += '[]';
        return;
      }
      buf += '[\n';
      // Runs of plain elements are stringified a batch at a time, inside empty arrays that put
      // them at this depth, so JSON.stringify itself indents them (no re-indenting pass).
      const level = prefix.length / pad.length;
      let i = 0;
      while (i < v.length) {
        const x = v[i];
        if (serializes(x) && isStreamable(x) && holdsBigArray(x, STREAM_DEPTH - depth - 1)) {
          buf += inner;
          yield* write(x, inner, depth + 1);
          i++;
        } else {
          let j = i + 1;
          while (j < v.length && j - i < BATCH && !(isStreamable(v[j]) && holdsBigArray(v[j] as object, STREAM_DEPTH - depth - 1))) j++;
          buf += batchText(v.slice(i, j), level);
          i = j;
          yield* flush(false);
        }
        buf += i < v.length ? ',\n' : '\n';
      }
      buf += prefix + ']';
      return;
    }
    const obj = v as Record<string, unknown>;
    let first = true;
    for (const k of Object.keys(obj)) {
      const x = obj[k];
      if (!serializes(x)) continue;
      buf += (first ? '{\n' : ',\n') + inner + JSON.stringify(k) + ': ';
      first = false;
      yield* write(x, inner, depth + 1);
    }
    buf += first ? '{}' : '\n' + prefix + '}';
  }
  const frames = new Map<number, { head: number; tail: number }>();
  /** JSON.stringify's text for the elements of `batch` as they sit in an array at nesting `level`. */
  function batchText(batch: unknown[], level: number): string {
    let wrapped: unknown = batch;
    for (let l = 0; l < level; l++) wrapped = [wrapped];
    const text = JSON.stringify(wrapped, null, indent);
    let frame = frames.get(level);
    if (!frame) {
      // the text around the elements depends only on the level: measure it on a marker
      let probe: unknown = [0];
      for (let l = 0; l < level; l++) probe = [probe];
      const p = JSON.stringify(probe, null, indent);
      const at = p.indexOf('0');
      frames.set(level, (frame = { head: at - (level + 1) * pad.length, tail: p.length - at - 1 }));
    }
    return text.slice(frame.head, text.length - frame.tail);
  }

  /** Appends JSON.stringify's text for `v`, indented to sit on a line starting with `prefix`. */
  function whole(v: unknown, prefix: string): void {
    const s = JSON.stringify(v, null, indent);
    buf += prefix.length > 0 && s.includes('\n') ? s.replace(/\n/g, '\n' + prefix) : s;
  }
  if (!serializes(value)) return; // JSON.stringify gives undefined: nothing to write
  yield* write(value, '', 0);
  yield* flush(true);
}

/** Whether a big array sits within `levels` levels of `v` (only then is it worth writing in pieces). */
function holdsBigArray(v: object, levels: number): boolean {
  if (v instanceof LazyArray) return true;
  if (levels <= 0) return false;
  if (Array.isArray(v)) {
    if (v.length >= BIG_ARRAY) return true;
    for (const x of v) if (isStreamable(x) && holdsBigArray(x, levels - 1)) return true;
    return false;
  }
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    if (isStreamable(x) && holdsBigArray(x, levels - 1)) return true;
  }
  return false;
}

/** Arrays and plain objects without toJSON: everything else goes to JSON.stringify whole. */
function isStreamable(v: unknown): v is object {
  if (v === null || typeof v !== 'object') return false;
  if (v instanceof LazyArray) return true;
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return false;
  if (Array.isArray(v)) return true;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** What JSON.stringify keeps as a member (it drops undefined, functions and symbols). */
function serializes(v: unknown): boolean {
  if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return false;
  if (v instanceof LazyArray) return true;
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    const j = (v as { toJSON: (key: string) => unknown }).toJSON('');
    return !(j === undefined || typeof j === 'function' || typeof j === 'symbol');
  }
  return true;
}

/** The whole text at once (for small values and tests). */
export function jsonText(value: unknown, indent = 2): string {
  let out = '';
  for (const c of jsonChunks(value, indent)) out += c;
  return out;
}
