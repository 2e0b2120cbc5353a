/**
 * Reads audit logs as a stream: files, directories (every file, by name), `-` (standard input),
 * gzip (by its magic bytes, whatever the name). Shapes (docs/audit.md):
 *
 * - JSON lines: one audit.k8s.io/v1 or v1beta1 Event per line (the apiserver's log backend), or
 *   one wrapper per line (an EventList, a CloudWatch Logs subscription record);
 * - one JSON document or concatenated documents: an EventList, `aws logs filter-log-events` /
 *   `get-log-events` output (`events[].message`), CloudWatch Logs subscription payloads
 *   (`logEvents[].message`), Azure diagnostic-settings exports (`records[].properties.log`),
 *   a JSON array of events.
 *
 * Each value is judged on what it carries; what is not an event is counted and reported with its
 * source and line, never fatal. Events cut by size limits are repaired where the fields before the
 * cut allow it (reported as truncated). Duplicates (same auditID and stage) are dropped within a
 * window of recent events, so memory is bounded by that window and the caller's state, not by
 * the size of the input.
 */
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { builtin } from '../../util/builtins.js';
import { collectGarbage } from '../../util/memory.js';
import { normalizeEvent, type AuditEvent } from './event.js';
import { auditIdIn, JsonSplitter, repairTruncated } from './json-scan.js';

export type AuditProblemCode = 'unreadable' | 'json-syntax' | 'truncated' | 'not-an-event' | 'too-large' | 'unsupported';

export interface AuditProblem {
  source: string;
  line?: number;
  code: AuditProblemCode;
  /** error: the value was not judged; warning: judged on part of it (truncated). */
  severity: 'error' | 'warning';
  message: string;
}

export interface ReadStats {
  /** Distinct events handed on. */
  events: number;
  /** Events dropped as duplicates of one already read (same auditID and stage). */
  duplicates: number;
  /** Values that were not judged (junk, not an event, unreadable), by reason. */
  skipped: number;
  skippedBy: Record<string, number>;
  /** Events read in part (cut by a size limit and repaired). */
  truncated: number;
  /** Files (or standard input) read. */
  sources: number;
}

export interface ReadOptions {
  /** Largest line / single value read, in characters (default 64 MiB). */
  maxValue?: number;
  /** Recent auditID+stage keys remembered for deduplication (default 262,144). */
  dedupeWindow?: number;
  /** Problems listed per source and code (the rest are counted); default 50. */
  problemsPerCode?: number;
  /** Standard input, for `-`. */
  stdin?: Readable;
  /** Resident size (bytes) above which a full collection runs every 64 MiB read (default 320 MiB). */
  collectAbove?: number;
}

const DEFAULTS = { maxValue: 64 * 1024 * 1024, dedupeWindow: 262_144, problemsPerCode: 50, collectAbove: 320 * 1024 * 1024 };

/** Files of a path: the file itself, or every non-hidden file under a directory, sorted by path. */
async function filesOf(p: string): Promise<string[]> {
  const st = await fs.stat(p);
  if (!st.isDirectory()) return [p];
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile()) out.push(full);
    }
  };
  await walk(p);
  return out;
}

/** The reader's state across sources: dedupe window, counts, problems. */
export class AuditReader {
  readonly stats: ReadStats = { events: 0, duplicates: 0, skipped: 0, skippedBy: {}, truncated: 0, sources: 0 };
  readonly problems: AuditProblem[] = [];
  private readonly seen = new Set<string>();
  private readonly ring: Array<string | undefined> = [];
  private ringAt = 0;
  private sinceCheck = 0;
  private readonly problemCounts = new Map<string, number>();
  /** Problems not listed (over problemsPerCode), per source and code. */
  private readonly unlisted = new Map<string, { source: string; code: AuditProblemCode; severity: 'error' | 'warning'; n: number }>();
  private readonly o: typeof DEFAULTS;

  constructor(private readonly sink: (e: AuditEvent) => void, opts: ReadOptions = {}) {
    this.o = { ...DEFAULTS, ...opts };
  }

  /** Reads paths (files, directories, `-`). */
  async readPaths(paths: string[], stdin?: Readable): Promise<void> {
    for (const p of paths) {
      if (p === '-') {
        await this.readStream(stdin ?? process.stdin, '<stdin>');
        continue;
      }
      let files: string[];
      try {
        files = await filesOf(p);
      } catch (err) {
        this.problem({ source: p, code: 'unreadable', severity: 'error', message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? 'error'}` });
        continue;
      }
      for (const f of files) {
        try {
          await this.readStream(createReadStream(f, { highWaterMark: 1 << 20 }), f);
        } catch (err) {
          this.problem({ source: f, code: 'unreadable', severity: 'error', message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
        }
      }
    }
  }

  /** Reads one stream (gzip or not) to its end. Never throws for bad content; I/O errors do. */
  async readStream(input: Readable, source: string): Promise<void> {
    this.stats.sources++;
    const it = input[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
    let first = await it.next();
    let firstBuf: Buffer | undefined;
    if (!first.done) firstBuf = typeof first.value === 'string' ? Buffer.from(first.value) : first.value;
    const rest = async function* (): AsyncGenerator<Buffer> {
      if (firstBuf) yield firstBuf;
      for (;;) {
        first = await it.next();
        if (first.done) return;
        yield typeof first.value === 'string' ? Buffer.from(first.value) : first.value;
      }
    };
    let chunks: AsyncIterable<Buffer> = rest();
    if (firstBuf && firstBuf.length >= 2 && firstBuf[0] === 0x1f && firstBuf[1] === 0x8b) {
      const gunzip = builtin('zlib').createGunzip();
      chunks = builtin('stream').Readable.from(rest()).pipe(gunzip);
      try {
        await this.readText(chunks, source);
      } catch (err) {
        this.problem({ source, code: 'unreadable', severity: 'error', message: `gzip: ${(err as Error).message}` });
      }
      return;
    }
    await this.readText(chunks, source);
  }

  /**
   * Decides the shape from the first line: a line that is a JSON value (or a cut event) on its
   * own means JSON lines; anything else (a pretty-printed document, a line of junk) is split as
   * JSON documents.
   */
  private async readText(chunks: AsyncIterable<Buffer>, source: string): Promise<void> {
    const decoder = new (builtin('string_decoder').StringDecoder)('utf8');
    let mode: 'lines' | 'document' | undefined;
    let head = '';
    let lineNo = 0;
    let pending = '';
    let pendingTooLong = false;
    let splitter: JsonSplitter | undefined;
    const newSplitter = (): JsonSplitter =>
      new JsonSplitter({
        maxValue: this.o.maxValue,
        onValue: (v) => this.judgeText(v.text, source, v.line, v.cut === true),
        onJunk: (line, what) => this.skip(source, line, 'json-syntax', 'error', what),
        onTooLarge: (line) => this.skip(source, line, 'too-large', 'error', `a value longer than ${this.o.maxValue} characters was skipped`),
      });
    const feedLines = (text: string, final: boolean): void => {
      let start = 0;
      for (;;) {
        const nl = text.indexOf('\n', start);
        if (nl < 0) break;
        const piece = text.slice(start, nl);
        start = nl + 1;
        lineNo++;
        if (pendingTooLong) {
          pendingTooLong = false;
          pending = '';
          continue;
        }
        const line = pending ? pending + piece : piece;
        pending = '';
        this.judgeLine(line, source, lineNo);
      }
      const tail = text.slice(start);
      if (final) {
        if (!pendingTooLong && (pending || tail)) this.judgeLine(pending + tail, source, ++lineNo);
        pending = '';
      } else if (!pendingTooLong) {
        pending += tail;
        if (pending.length > this.o.maxValue) {
          this.skip(source, lineNo + 1, 'too-large', 'error', `a line longer than ${this.o.maxValue} characters was skipped`);
          pendingTooLong = true;
          pending = '';
        }
      }
    };
    for await (const chunk of chunks) {
      this.bounded(chunk.length);
      const text = decoder.write(chunk);
      if (mode === undefined) {
        head += text;
        const lead = head.length - head.trimStart().length;
        const nl = head.indexOf('\n', lead);
        if (nl < 0 && head.length < 1 << 20) continue;
        mode = decideMode(nl < 0 ? head : head.slice(0, nl));
        const h = head;
        head = '';
        if (mode === 'lines') feedLines(h, false);
        else (splitter = newSplitter()).push(h);
        continue;
      }
      if (mode === 'lines') feedLines(text, false);
      else splitter!.push(text);
    }
    const tail = decoder.end();
    if (mode === undefined) {
      const h = head + tail;
      if (!h.trim()) return;
      mode = decideMode(h.trimStart().split('\n', 1)[0]!);
      if (mode === 'lines') feedLines(h, true);
      else {
        splitter = newSplitter();
        splitter.push(h);
        splitter.end();
      }
      return;
    }
    if (mode === 'lines') feedLines(tail, true);
    else {
      if (tail) splitter!.push(tail);
      splitter!.end();
    }
  }

  /**
   * Keeps the process's memory bounded by the state, not by what was read: V8 collects its old
   * generation only when it reaches a limit set from the live size, so the garbage of parsing
   * gigabytes can stay resident. Every 64 MiB read, a full collection when the resident size
   * passed the mark (docs/adr/0004's helper).
   */
  private bounded(bytes: number): void {
    this.sinceCheck += bytes;
    if (this.sinceCheck < 64 * 1024 * 1024) return;
    this.sinceCheck = 0;
    if (process.memoryUsage.rss() > this.o.collectAbove) collectGarbage();
  }

  private judgeLine(raw: string, source: string, line: number): void {
    const text = raw.trim();
    if (!text) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      if (text.startsWith('{') || text.startsWith('[')) this.splitLine(text, source, line);
      else this.skip(source, line, 'json-syntax', 'error', 'not JSON');
      return;
    }
    this.judgeValue(value, source, line, false);
  }

  /** A line that is not one JSON value: concatenated values (Firehose deliveries), or a cut one. */
  private splitLine(text: string, source: string, line: number): void {
    const values: Array<{ text: string; cut: boolean }> = [];
    let junk = 0;
    const sp = new JsonSplitter({
      maxValue: this.o.maxValue,
      onValue: (v) => void values.push({ text: v.text, cut: v.cut === true }),
      onJunk: () => void junk++,
      onTooLarge: () => void junk++,
    });
    sp.push(text);
    sp.end();
    if (values.length <= 1 && (values.length === 0 || values[0]!.cut)) {
      this.judgeCut(text, source, line);
      return;
    }
    for (const v of values) this.judgeText(v.text, source, line, v.cut);
    if (junk) this.skip(source, line, 'json-syntax', 'error', 'text between the JSON values of the line');
  }

  private judgeText(text: string, source: string, line: number, cut: boolean): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      if (cut || text.startsWith('{')) this.judgeCut(text, source, line);
      else this.skip(source, line, 'json-syntax', 'error', 'not JSON');
      return;
    }
    this.judgeValue(value, source, line, false);
  }

  /** A value cut short: repaired and judged on the fields before the cut, or reported. */
  private judgeCut(text: string, source: string, line: number): void {
    const id = auditIdIn(text);
    const repaired = repairTruncated(text);
    const r = repaired === undefined ? undefined : normalizeEvent(repaired, source, line, true);
    if (r && 'event' in r) {
      this.stats.truncated++;
      this.problem({ source, line, code: 'truncated', severity: 'warning', message: `event ${r.event.auditID} is cut short after ${text.length} characters; judged on the fields before the cut` });
      this.accept(r.event);
      return;
    }
    this.skip(source, line, 'truncated', 'error', id ? `event ${id} is cut short after ${text.length} characters and too little of it remains to judge` : `not JSON (cut short after ${text.length} characters?)`);
  }

  /** A parsed value: an Event, or a wrapper (EventList, CloudWatch, Azure records) of events. */
  judgeValue(value: unknown, source: string, line: number | undefined, fromWrapper: boolean): void {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const o = value as Record<string, unknown>;
      // wrappers whose elements are events or records
      if (!fromWrapper) {
        for (const key of ['items', 'events', 'logEvents', 'records', 'entries']) {
          if (Array.isArray(o[key]) && o.auditID === undefined) {
            for (const el of o[key] as unknown[]) this.judgeValue(el, source, line, true);
            return;
          }
        }
      }
      // CloudWatch Logs: the event is the string in `message`
      if (typeof o.message === 'string' && o.auditID === undefined && (o.timestamp !== undefined || o.eventId !== undefined || o.id !== undefined || o.logStreamName !== undefined || o.ingestionTime !== undefined)) {
        this.judgeInner(o.message, source, line);
        return;
      }
      // Azure diagnostic settings: records[].properties.log
      const props = o.properties;
      if (props && typeof props === 'object' && typeof (props as Record<string, unknown>).log === 'string' && o.auditID === undefined) {
        this.judgeInner((props as Record<string, unknown>).log as string, source, line);
        return;
      }
      if (o.protoPayload !== undefined && o.auditID === undefined) {
        this.skip(source, line, 'unsupported', 'error', 'a Google Cloud Logging entry (protoPayload): GKE exports are not read, see docs/audit.md');
        return;
      }
    } else if (Array.isArray(value) && !fromWrapper) {
      if (!value.some((el) => el && typeof el === 'object' && !Array.isArray(el))) {
        this.skip(source, line, 'not-an-event', 'error', 'not an audit event: an array without objects');
        return;
      }
      for (const el of value) this.judgeValue(el, source, line, true);
      return;
    }
    const r = normalizeEvent(value, source, line);
    if ('event' in r) this.accept(r.event);
    else this.skip(source, line, 'not-an-event', 'error', `not an audit event: ${r.skip}`);
  }

  private judgeInner(text: string, source: string, line: number | undefined): void {
    let inner: unknown;
    try {
      inner = JSON.parse(text);
    } catch {
      this.judgeCut(text, source, line ?? 0);
      return;
    }
    this.judgeValue(inner, source, line, true);
  }

  private accept(e: AuditEvent): void {
    const key = `${e.auditID}\u0000${e.stage ?? ''}`;
    if (this.seen.has(key)) {
      this.stats.duplicates++;
      return;
    }
    // a ring of the last keys: forgetting the oldest is O(1) (deleting a Map's first entry again
    // and again leaves holes its iterator walks over: quadratic on long logs)
    const old = this.ring[this.ringAt];
    if (old !== undefined) this.seen.delete(old);
    this.ring[this.ringAt] = key;
    this.ringAt = (this.ringAt + 1) % this.o.dedupeWindow;
    this.seen.add(key);
    this.stats.events++;
    this.sink(e);
  }

  private skip(source: string, line: number | undefined, code: AuditProblemCode, severity: 'error' | 'warning', message: string): void {
    this.stats.skipped++;
    const reason = code === 'not-an-event' ? message.replace(/^not an audit event: /, '').replace(/ ".*"/, '') : code;
    this.stats.skippedBy[reason] = (this.stats.skippedBy[reason] ?? 0) + 1;
    this.problem({ source, ...(line ? { line } : {}), code, severity, message });
  }

  private problem(p: AuditProblem): void {
    const k = `${p.source}\u0000${p.code}`;
    const n = (this.problemCounts.get(k) ?? 0) + 1;
    this.problemCounts.set(k, n);
    if (n <= this.o.problemsPerCode) {
      this.problems.push(p);
      return;
    }
    const u = this.unlisted.get(k) ?? { source: p.source, code: p.code, severity: p.severity, n: 0 };
    u.n++;
    this.unlisted.set(k, u);
  }

  /** Every problem, sorted by source and line, with one line per source and code for those not listed. */
  allProblems(): AuditProblem[] {
    const out = [...this.problems];
    for (const u of this.unlisted.values()) out.push({ source: u.source, code: u.code, severity: u.severity, message: `${u.n} more ${u.code} problems not listed` });
    return out.sort((a, b) => (a.source !== b.source ? (a.source < b.source ? -1 : 1) : (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)));
  }
}

function decideMode(firstLine: string): 'lines' | 'document' {
  const t = firstLine.trim();
  if (!t) return 'document';
  try {
    JSON.parse(t);
    return 'lines';
  } catch {
    // complete values side by side on the first line: concatenated objects, one line per delivery
    if (depthAtEnd(t) === 0) return 'lines';
    // a cut event on the first line is still a JSON-lines file
    return t.startsWith('{') && /"auditID"\s*:/.test(t) && /"(kind|level|stage|verb)"\s*:/.test(t) ? 'lines' : 'document';
  }
}

/** The nesting depth at the end of a text (strings skipped); 0 when every value in it is closed. */
function depthAtEnd(t: string): number {
  let depth = 0;
  let inString = false;
  let escape = false;
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (inString) {
      if (escape) escape = false;
      else if (c === '\\') escape = true;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return depth;
}
