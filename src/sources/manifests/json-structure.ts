/**
 * The bracket structure of a JSON text, which the locator walks (see JsonIndex in locate.ts),
 * and its line starts. Built from the text on the calling thread, or, for a large ASCII input,
 * from its bytes on a second thread while the first one runs JSON.parse (docs/adr/0004): the
 * two passes are independent, and a machine with two cores then does them at the same time.
 */
import type { MessagePort, Worker } from 'node:worker_threads';
import { builtin } from '../../util/builtins.js';
import { place, type Placed } from '../../inventory/types.js';

/**
 * Containers (objects and arrays) are numbered in the order they open; for each, the offset of
 * its closing bracket and the number of the first container after it. A walk that knows the
 * number of the next container ahead of it skips any nested value in one step.
 */
export interface JsonStructure {
  /** Offset of each container's closing bracket. */
  closes: Int32Array;
  /** Number of the first container that opens after each one closes. */
  after: Int32Array;
  count: number;
  /** Deepest nesting of containers (the root container is level 1). */
  depth: number;
}

export interface JsonTables {
  structure: JsonStructure;
  /** Offset of the first character of each line. */
  lineStarts: Uint32Array;
}

/** Strings (with their escapes) are matched whole, so brackets inside them are never seen. */
const STRUCTURE_RE = /[{}[\]]|"[^"\\]*(?:\\[^][^"\\]*)*"/g;

/** One pass over the text (a regular expression does the scanning: faster than a loop in JS). */
export function jsonStructure(t: string): JsonStructure {
  const b = new StructureBuilder(t.length);
  const re = new RegExp(STRUCTURE_RE.source, 'g');
  while (re.test(t)) {
    const i = re.lastIndex - 1;
    const c = t.charCodeAt(i);
    if (c === 123 || c === 91) b.open();
    else if (c === 125 || c === 93) b.close(i);
  }
  return b.done(t.length);
}

/**
 * Offsets of member names repeated within one object (every occurrence after the first), in
 * text order. JSON.parse keeps the last value silently; the API server warns about them, and
 * so does kordon. Names are compared decoded (`"a"` and `"\u0061"` are the same name).
 */
export function duplicateKeys(t: string): number[] {
  const out: number[] = [];
  const re = new RegExp(STRUCTURE_RE.source, 'g');
  // Per open container: whether it is an object, where its names start on the name stack, and
  // (for objects with many names or escaped ones) a set of decoded names. Names are kept as
  // offset ranges and compared in place: nothing is allocated for the common small object.
  let isObject = new Uint8Array(64);
  let base = new Int32Array(64);
  const sets: Array<Set<string> | undefined> = [];
  let starts = new Int32Array(256);
  let ends = new Int32Array(256);
  let depth = 0;
  let names = 0;
  let previousEnd = 0;
  /** A copy twice as long (the stacks grow by doubling). */
  const doubled = <A extends Uint8Array | Int32Array>(a: A): A => {
    const b = new (a.constructor as new (n: number) => A)(a.length * 2);
    b.set(a);
    return b;
  };
  const nameAt = (from: number, to: number): string => {
    for (let i = from + 1; i < to - 1; i++) if (t.charCodeAt(i) === 92) return JSON.parse(t.slice(from, to)) as string;
    return t.slice(from + 1, to - 1);
  };
  while (re.test(t)) {
    const end = re.lastIndex;
    const c = t.charCodeAt(end - 1);
    if (c === 123 || c === 91) {
      if (depth === isObject.length) {
        isObject = doubled(isObject);
        base = doubled(base);
      }
      isObject[depth] = c === 123 ? 1 : 0;
      base[depth] = names;
      sets[depth] = undefined;
      depth++;
    } else if (c === 125 || c === 93) {
      if (depth > 0) {
        depth--;
        names = base[depth]!;
        sets[depth] = undefined;
      }
    } else if (depth > 0 && isObject[depth - 1] === 1) {
      let k = end;
      while (t.charCodeAt(k) === 32 || t.charCodeAt(k) === 10 || t.charCodeAt(k) === 13 || t.charCodeAt(k) === 9) k++;
      if (t.charCodeAt(k) === 58) {
        // a member name; it starts at the first quote after the previous token (between tokens
        // there are only separators, numbers and literals)
        const start = t.indexOf('"', previousEnd);
        const d = depth - 1;
        let set = sets[d];
        if (!set) {
          let escaped = false;
          for (let i = start + 1; i < end - 1 && !escaped; i++) escaped = t.charCodeAt(i) === 92;
          if (escaped || names - base[d]! >= 32) {
            set = new Set();
            for (let j = base[d]!; j < names; j++) set.add(nameAt(starts[j]!, ends[j]!));
            sets[d] = set;
            names = base[d]!;
          }
        }
        if (set) {
          const name = nameAt(start, end);
          if (set.has(name)) out.push(start);
          else set.add(name);
        } else {
          const length = end - start;
          let repeated = false;
          for (let j = base[d]!; j < names && !repeated; j++) {
            if (ends[j]! - starts[j]! !== length) continue;
            let same = true;
            for (let i = 1; i < length - 1 && same; i++) same = t.charCodeAt(starts[j]! + i) === t.charCodeAt(start + i);
            repeated = same;
          }
          if (repeated) out.push(start);
          else {
            if (names === starts.length) {
              starts = doubled(starts);
              ends = doubled(ends);
            }
            starts[names] = start;
            ends[names] = end;
            names++;
          }
        }
      }
    }
    previousEnd = end;
  }
  return out;
}

export function lineStartsOf(t: string): Uint32Array {
  let n = 1;
  for (let k = t.indexOf('\n'); k !== -1; k = t.indexOf('\n', k + 1)) n++;
  const starts = new Uint32Array(n);
  let i = 1;
  for (let k = t.indexOf('\n'); k !== -1; k = t.indexOf('\n', k + 1)) starts[i++] = k + 1;
  return starts;
}

class StructureBuilder {
  private closes: Int32Array;
  private after: Int32Array;
  private stack = new Int32Array(64);
  private sp = 0;
  private count = 0;
  private depth = 0;

  constructor(textLength: number) {
    // about one container per 100 characters in kubectl output: start near that, grow by doubling
    const cap = Math.max(1024, Math.min(1 << 24, textLength >> 6));
    this.closes = new Int32Array(cap);
    this.after = new Int32Array(cap);
  }

  open(): void {
    if (this.count === this.closes.length) {
      const cl = new Int32Array(this.closes.length * 2);
      cl.set(this.closes);
      this.closes = cl;
      const af = new Int32Array(this.after.length * 2);
      af.set(this.after);
      this.after = af;
    }
    if (this.sp === this.stack.length) {
      const st = new Int32Array(this.sp * 2);
      st.set(this.stack);
      this.stack = st;
    }
    this.stack[this.sp++] = this.count++;
    if (this.sp > this.depth) this.depth = this.sp;
  }

  close(at: number): void {
    if (this.sp === 0) return;
    const k = this.stack[--this.sp]!;
    this.closes[k] = at;
    this.after[k] = this.count;
  }

  done(length: number): JsonStructure {
    // containers left open (a cut-short text) end with it
    while (this.sp > 0) this.close(length - 1);
    return { closes: this.closes, after: this.after, count: this.count, depth: this.depth };
  }
}

/* ---------------- walking the text with the structure ---------------- */
// Plain functions without closures or nested functions: the other thread runs their source
// text (see WORKER_SOURCE), so they must stand alone.

export function skipWs(t: string, i: number): number {
  for (;;) {
    const c = t.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) i++;
    else return i;
  }
}

/** Offset just past the string whose opening quote is at i. */
export function skipString(t: string, i: number): number {
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

/** Offset just past a number, true, false or null. */
export function skipLiteral(t: string, i: number): number {
  for (;;) {
    const c = t.charCodeAt(i);
    if (c !== c || c === 44 || c === 125 || c === 93 || c === 58 || c === 32 || c === 10 || c === 13 || c === 9) return i; // (c !== c: past the end)
    i++;
  }
}

/** Whether the JSON string at [keyAt, keyEnd) (quotes included) decodes to `key`. */
export function keyMatches(t: string, keyAt: number, keyEnd: number, key: string): boolean {
  const len = keyEnd - keyAt - 2;
  // escapes only make the text longer than what it decodes to
  if (len < key.length) return false;
  if (len === key.length && key.indexOf('\\') === -1) return t.startsWith(key, keyAt + 1);
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

/**
 * A place in the text: `at`, the start of a value, and `next`, the number of the next
 * container at or after it. Kept in a two-number array so walks allocate nothing.
 */
export type Cursor = Int32Array;

/** Moves the cursor past the value it is on. */
export function skipValue(t: string, st: JsonStructure, cur: Cursor): void {
  const c = t.charCodeAt(cur[0]!);
  if (c === 123 || c === 91) {
    const k = cur[1]!;
    if (k < st.count) {
      cur[0] = st.closes[k]! + 1;
      cur[1] = st.after[k]!;
    } else cur[0] = t.length;
  } else cur[0] = c === 34 ? skipString(t, cur[0]!) : skipLiteral(t, cur[0]!);
}

/**
 * Moves the cursor from an object to the value of its member `key` and returns the key's
 * offset, or -1 (the cursor is then unchanged). A repeated key: the last one, as in JSON.parse.
 */
export function findMember(t: string, st: JsonStructure, cur: Cursor, key: string): number {
  const k = cur[1]!;
  const end = k < st.count ? st.closes[k]! : t.length;
  const walk = new Int32Array(2);
  walk[0] = skipWs(t, cur[0]! + 1);
  walk[1] = k + 1;
  let hitKey = -1;
  let hitAt = 0;
  let hitNext = 0;
  while (walk[0]! < end && t.charCodeAt(walk[0]!) === 34) {
    const keyAt = walk[0]!;
    const keyEnd = skipString(t, keyAt);
    let at = skipWs(t, keyEnd);
    if (t.charCodeAt(at) !== 58) break; // not JSON: stop quietly
    at = skipWs(t, at + 1);
    walk[0] = at;
    if (keyMatches(t, keyAt, keyEnd, key)) {
      hitKey = keyAt;
      hitAt = at;
      hitNext = walk[1]!;
    }
    skipValue(t, st, walk);
    at = skipWs(t, walk[0]!);
    walk[0] = t.charCodeAt(at) === 44 ? skipWs(t, at + 1) : at;
  }
  if (hitKey >= 0) {
    cur[0] = hitAt;
    cur[1] = hitNext;
  }
  return hitKey;
}

/** Moves the cursor from an array to its element number `seg` and returns its offset, or -1. */
export function findElement(t: string, st: JsonStructure, cur: Cursor, seg: string): number {
  if (!/^(0|[1-9]\d*)$/.test(seg)) return -1;
  const want = Number(seg);
  const k = cur[1]!;
  const end = k < st.count ? st.closes[k]! : t.length;
  const walk = new Int32Array(2);
  walk[0] = skipWs(t, cur[0]! + 1);
  walk[1] = k + 1;
  for (let i = 0; walk[0]! < end; i++) {
    if (i === want) {
      cur[0] = walk[0]!;
      cur[1] = walk[1]!;
      return walk[0]!;
    }
    skipValue(t, st, walk);
    const at = skipWs(t, walk[0]!);
    if (t.charCodeAt(at) !== 44) break;
    walk[0] = skipWs(t, at + 1);
  }
  return -1;
}

/** Where the elements of a top-level "items" array start (the last "items" member wins, as in JSON.parse). */
export interface ListItems {
  at: Int32Array;
  next: Int32Array;
}

export function listItems(t: string, st: JsonStructure): ListItems {
  let at: number[] = [];
  let next: number[] = [];
  const cur = new Int32Array(2);
  cur[0] = skipWs(t, 0);
  if (t.charCodeAt(cur[0]!) === 123) {
    const end = st.count > 0 ? st.closes[0]! : t.length;
    cur[0] = skipWs(t, cur[0]! + 1);
    cur[1] = 1;
    while (cur[0]! < end && t.charCodeAt(cur[0]!) === 34) {
      const keyAt = cur[0]!;
      const keyEnd = skipString(t, keyAt);
      let p = skipWs(t, keyEnd);
      if (t.charCodeAt(p) !== 58) break;
      p = skipWs(t, p + 1);
      cur[0] = p;
      if (keyEnd - keyAt === 7 && t.startsWith('"items"', keyAt) && t.charCodeAt(p) === 91) {
        at = [];
        next = [];
        const k = cur[1]!;
        const close = k < st.count ? st.closes[k]! : t.length;
        const el = new Int32Array(2);
        el[0] = skipWs(t, p + 1);
        el[1] = k + 1;
        while (el[0]! < close) {
          at.push(el[0]!);
          next.push(el[1]!);
          skipValue(t, st, el);
          const q = skipWs(t, el[0]!);
          if (t.charCodeAt(q) !== 44) break;
          el[0] = skipWs(t, q + 1);
        }
      }
      skipValue(t, st, cur);
      const q = skipWs(t, cur[0]!);
      cur[0] = t.charCodeAt(q) === 44 ? skipWs(t, q + 1) : q;
    }
  }
  return { at: Int32Array.from(at), next: Int32Array.from(next) };
}

/** Offset of the member key or array element a pointer designates (the deepest part that exists). */
export function offsetOfSegments(t: string, st: JsonStructure, items: ListItems, segments: readonly string[]): number {
  const cur = new Int32Array(2);
  cur[0] = skipWs(t, 0);
  let s = 0;
  if (segments[0] === 'items' && segments.length >= 2 && t.charCodeAt(cur[0]!) === 123) {
    const n = Number(segments[1]);
    if (Number.isInteger(n) && n >= 0 && n < items.at.length) {
      cur[0] = items.at[n]!;
      cur[1] = items.next[n]!;
      s = 2;
    }
  }
  let best = cur[0]!;
  for (; s < segments.length; s++) {
    const c = t.charCodeAt(cur[0]!);
    const found = c === 123 ? findMember(t, st, cur, segments[s]!) : c === 91 ? findElement(t, st, cur, segments[s]!) : -1;
    if (found < 0) break;
    best = found;
  }
  return best;
}

/** 1-based line and column (UTF-16 code units) of an offset. */
export function lineAndColumn(lineStarts: Uint32Array, offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
}

/** RFC 6901 segments of a pointer (as inventory/pointer.ts reads them; repeated here for the other thread). */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  const parts = pointer.slice(1).split('/');
  if (pointer.indexOf('~') !== -1) for (let i = 0; i < parts.length; i++) parts[i] = parts[i]!.replace(/~1/g, '/').replace(/~0/g, '~');
  return parts;
}

/* ---------------- the other thread ---------------- */

/** Inputs smaller than this are indexed on the calling thread (starting a thread costs ~30 ms). */
export const WORKER_MIN_BYTES = 8 << 20;

/** What the thread sends first: where the text starts and where each List item starts. */
export interface WorkerInit {
  root: { line: number; column: number };
  /** Line and column of each item of the top-level "items" array, interleaved. */
  items: Int32Array;
  /** Deepest nesting in the text (the root is level 1). */
  depth: number;
}

/** A thread whose JsonWorker is gone (its inventory was dropped) is stopped, so long-lived processes do not keep texts. */
const reaper = new FinalizationRegistry<Worker>((worker) => void worker.terminate());

/** Lookups gathered for one message to the thread, and where their answers go. */
interface Batch {
  items: number[];
  pointers: string[];
  into: Placed[];
  sources: string[];
}

/** Lookups sent to the thread at a time. */
const BATCH = 4096;
/**
 * How long the thread may show no sign of life before it is taken for dead (it died without a
 * word, e.g. out of memory: its error event cannot reach a thread blocked waiting for it). The
 * thread counts a heartbeat between its steps and every 200 ms while idle; its longest step
 * (the structure pass over the largest accepted file) takes seconds.
 */
const STALL_MS = 30_000;
/** Waits are cut in slices this long to look at the heartbeat. */
const SLICE_MS = 500;

export interface JsonWorkerOptions {
  /** Give up on a thread silent for this long (default 30 s). */
  stallMs?: number;
  /** Heap limits of the thread (tests use small ones to make it run out of memory). */
  resourceLimits?: import('node:worker_threads').ResourceLimits;
}

/**
 * A JSON text held by another thread, which indexes it from the bytes while this one runs
 * JSON.parse, then answers position lookups while this one runs the controls. The text then
 * lives only there: this thread drops its copy once decoding is done (docs/adr/0004).
 */
export class JsonWorker {
  private received = 0;
  private sent = 0;
  private initResult: WorkerInit | null | undefined;
  private batch: Batch = { items: [], pointers: [], into: [], sources: [] };
  private readonly waiting = new Map<number, Batch>();
  private stopped = false;
  /** Line and column of each repeated member name, once the thread has sent them (null: it failed). */
  private dup: Int32Array | null | undefined;

  private constructor(
    private readonly port: MessagePort,
    private readonly signal: Int32Array,
    private readonly worker: Worker,
    private readonly stallMs: number,
  ) {}

  /**
   * Starts a thread on `bytes` (UTF-8 that is all ASCII, so byte offsets are character
   * offsets). The bytes are handed over, not copied: the caller must not use them afterwards.
   */
  static start(bytes: Uint8Array, opts: JsonWorkerOptions = {}): JsonWorker {
    const { port1, port2 } = new (builtin('worker_threads').MessageChannel)();
    // [0] messages posted, [1] failed, [2] heartbeat
    const signal = new Int32Array(new SharedArrayBuffer(12));
    const owned = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
    const data = owned ? bytes : bytes.slice();
    const worker = new (builtin('worker_threads').Worker)(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { bytes: data, port: port2, signal }, transferList: [port2, data.buffer as ArrayBuffer], ...(opts.resourceLimits ? { resourceLimits: opts.resourceLimits } : {}) });
    worker.unref();
    worker.on('error', () => {
      Atomics.store(signal, 1, 1); // failed: stop waiting
      Atomics.notify(signal, 0);
    });
    const handle = new JsonWorker(port1, signal, worker, opts.stallMs ?? STALL_MS);
    reaper.register(handle, worker);
    return handle;
  }

  /** The next message from the thread, waiting for it; undefined if the thread failed. */
  private receive(): unknown {
    let beat = Atomics.load(this.signal, 2);
    let quietSince = Date.now();
    while (Atomics.load(this.signal, 0) <= this.received) {
      if (Atomics.load(this.signal, 1) !== 0) return undefined;
      if (Atomics.wait(this.signal, 0, this.received, SLICE_MS) !== 'timed-out') continue;
      const now = Atomics.load(this.signal, 2);
      if (now !== beat) {
        beat = now;
        quietSince = Date.now();
      } else if (Date.now() - quietSince >= this.stallMs) return undefined; // the thread is gone
    }
    const msg = builtin('worker_threads').receiveMessageOnPort(this.port);
    if (!msg) return undefined;
    this.received++;
    return msg.message;
  }

  /** The thread's first answer (waits for it); undefined if it failed, and the caller indexes the text itself. */
  init(): WorkerInit | undefined {
    if (this.initResult === undefined) {
      const m = this.receive() as { init?: WorkerInit } | undefined;
      this.initResult = m?.init ?? null;
      if (!this.initResult) this.stop();
    }
    return this.initResult ?? undefined;
  }

  /**
   * Asks where `pointer` (in List item `item`, or -1 for the whole text) is; settle() places
   * the answer into `into` (with `source`), or leaves it as it is when the place is unknown.
   */
  request(item: number, pointer: string, into: Placed, source: string): void {
    const b = this.batch;
    b.items.push(item);
    b.pointers.push(pointer);
    b.into.push(into);
    b.sources.push(source);
    if (b.pointers.length >= BATCH) this.flush();
  }

  private flush(): void {
    const b = this.batch;
    if (b.pointers.length === 0 || this.stopped) return;
    const id = ++this.sent;
    this.waiting.set(id, b);
    this.port.postMessage({ id, items: Int32Array.from(b.items), pointers: b.pointers });
    this.batch = { items: [], pointers: [], into: [], sources: [] };
  }

  /** Waits for every answer and delivers it (unanswered lookups get line 0). */
  settle(): void {
    this.flush();
    while (this.waiting.size > 0) if (!this.handleNext()) return;
  }

  /**
   * Where member names are repeated in the text (line, column pairs), waiting for the thread
   * to have looked; undefined if it failed.
   */
  duplicates(): Int32Array | undefined {
    while (this.dup === undefined) if (!this.handleNext()) break;
    return this.dup ?? undefined;
  }

  /**
   * Takes the thread's next message: answers are delivered, repeated names set aside. False
   * when the thread failed (every lookup still waiting is then answered with line 0).
   */
  private handleNext(): boolean {
    const m = this.stopped ? undefined : (this.receive() as { id?: number; positions?: Int32Array; duplicates?: Int32Array } | undefined);
    if (m?.duplicates) {
      this.dup = m.duplicates;
      return true;
    }
    if (!m || m.id === undefined || !m.positions) {
      // unanswered lookups keep what their targets had (the object's own line)
      this.waiting.clear();
      this.dup ??= null;
      this.stop();
      return false;
    }
    const b = this.waiting.get(m.id);
    this.waiting.delete(m.id);
    if (b) for (let i = 0; i < b.into.length; i++) place(b.into[i]!, b.sources[i]!, m.positions[2 * i]!, m.positions[2 * i + 1]!);
    return true;
  }

  /** One lookup, answered at once (waits for the thread). */
  lookup(item: number, pointer: string): { line: number; column: number } | undefined {
    const out: Placed = {};
    this.request(item, pointer, out, '');
    this.settle();
    return out.location ? { line: out.location.line, column: out.location.column } : undefined;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.initResult ??= null;
    this.dup ??= null;
    this.port.close();
    void this.worker.terminate();
  }
}

/**
 * The thread's program: it indexes the text, sends the item positions, then answers lookups
 * until it is stopped. It runs as source text, built from the plain functions above.
 */
function workerMain(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const data = workerData as { bytes?: Uint8Array; port: import('node:worker_threads').MessagePort; signal: Int32Array };
  const { port, signal } = data;
  // signs of life for the waiting thread: between the steps below, and while idle
  const beat = (): void => void Atomics.add(signal, 2, 1);
  setInterval(beat, 200).unref();
  const post = (msg: unknown, transfer: ArrayBuffer[]): void => {
    port.postMessage(msg, transfer);
    Atomics.add(signal, 0, 1);
    Atomics.notify(signal, 0);
  };
  let t: string;
  let st: JsonStructure;
  let items: ListItems;
  let lines: Uint32Array;
  try {
    // ASCII bytes: a latin1 string has the same offsets
    const bytes = data.bytes!;
    t = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    data.bytes = undefined; // the string is all that is kept
    beat();
    st = jsonStructure(t);
    beat();
    lines = lineStartsOf(t);
    items = listItems(t, st);
    beat();
    const pos = new Int32Array(items.at.length * 2);
    for (let i = 0; i < items.at.length; i++) {
      const p = lineAndColumn(lines, items.at[i]!);
      pos[2 * i] = p.line;
      pos[2 * i + 1] = p.column;
    }
    post({ init: { root: lineAndColumn(lines, skipWs(t, 0)), items: pos, depth: st.depth } }, [pos.buffer]);
  } catch {
    Atomics.store(signal, 1, 1);
    Atomics.notify(signal, 0);
    return;
  }
  // repeated member names, found while the other thread goes on (it collects them at the end)
  let dup: Int32Array;
  try {
    const offsets = duplicateKeys(t);
    dup = new Int32Array(offsets.length * 2);
    for (let i = 0; i < offsets.length; i++) {
      const p = lineAndColumn(lines, offsets[i]!);
      dup[2 * i] = p.line;
      dup[2 * i + 1] = p.column;
    }
  } catch {
    dup = new Int32Array(0);
  }
  post({ duplicates: dup }, [dup.buffer as ArrayBuffer]);
  // What stays is the text and its tables: the scratch of indexing it goes now, not at V8's limit
  // (for a 350 MB List, hundreds of MiB held through the whole control run otherwise).
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('node:v8') as typeof import('node:v8')).setFlagsFromString('--expose-gc');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ((require('node:vm') as typeof import('node:vm')).runInNewContext('gc') as () => void)();
  } catch {
    // only memory
  }
  port.on('message', (msg: { id: number; items: Int32Array; pointers: string[] }) => {
    const out = new Int32Array(msg.pointers.length * 2);
    for (let i = 0; i < msg.pointers.length; i++) {
      try {
        const item = msg.items[i]!;
        const segs = pointerSegments(msg.pointers[i]!);
        const full = item >= 0 ? ['items', String(item), ...segs] : segs;
        const p = lineAndColumn(lines, offsetOfSegments(t, st, items, full));
        out[2 * i] = p.line;
        out[2 * i + 1] = p.column;
      } catch {
        // left at 0: the finding keeps its object's line
      }
    }
    post({ id: msg.id, positions: out }, [out.buffer]);
  });
}

/** The thread's source: the functions it uses, then its program. */
const WORKER_SOURCE = [
  // a stand-in for the name-keeping helper some TypeScript runners put into function bodies
  'var __name = (f) => f;',
  ...[skipWs, skipString, skipLiteral, keyMatches, skipValue, findMember, findElement, listItems, offsetOfSegments, lineAndColumn, pointerSegments, jsonStructure, lineStartsOf, duplicateKeys].map((f) => f.toString()),
]
  // `const X = <class>`: a bundler may print the class as an anonymous class expression
  .concat(`const STRUCTURE_RE = ${STRUCTURE_RE.toString()};`, `const StructureBuilder = ${StructureBuilder.toString()};`, `(${workerMain.toString()})();`)
  .join('\n');
