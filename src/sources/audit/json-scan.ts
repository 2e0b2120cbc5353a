/**
 * Streaming JSON splitting for audit inputs that are not one event per line: an EventList (one
 * object whose `items` holds the events, pretty-printed or not), the managed services' exports
 * that wrap events in an array (`events`, `logEvents`, `records`), a JSON array of events, or
 * concatenated objects. Memory is bounded by the largest single event, never by the file: the
 * wrapper's array is opened and each element handed on as it ends.
 *
 * Also the repair of events cut by size limits (EKS cuts at 10,000 characters and breaks the
 * JSON): the text is cut back to the last complete member and the open containers closed, so the
 * fields before the cut (auditID, verb, user, objectRef: the apiserver writes them first) can
 * still be judged.
 */

/** Keys of a top-level object whose array holds the events (or records wrapping them). */
export const WRAPPER_KEYS: ReadonlySet<string> = new Set(['items', 'events', 'logEvents', 'records', 'entries']);

export interface SplitValue {
  text: string;
  /** 1-based line where the value starts. */
  line: number;
  /** The value is an element of a wrapper array (EventList items, records ...), not a top-level value. */
  element: boolean;
  /** The input ended inside this value. */
  cut?: boolean;
}

export interface SplitterOptions {
  /** Largest value kept (characters); a longer one is reported and skipped. */
  maxValue: number;
  onValue: (v: SplitValue) => void;
  onJunk: (line: number, what: string) => void;
  onTooLarge: (line: number) => void;
}

const WS = new Set([' ', '\t', '\r', '\n', '\ufeff']);

/**
 * A character-level JSON splitter. It does not validate: each value it hands on is parsed by the
 * caller, which reports what does not parse.
 */
export class JsonSplitter {
  private stack: string[] = [];
  /** Per stack level: is this container a wrapper array whose elements are handed on? */
  private wrap: boolean[] = [];
  private inString = false;
  private escape = false;
  private line = 1;
  private capturing = false;
  private captureDepth = 0;
  private captureLine = 0;
  private captureParts: string[] = [];
  private captureLen = 0;
  private captureElement = false;
  private tooLarge = false;
  /** Key tracking at depth 1 of a top-level object. */
  private keyParts: string[] | undefined;
  private lastString: string | undefined;
  private pendingKey: string | undefined;
  private junkLine = -1;

  constructor(private readonly opts: SplitterOptions) {}

  push(chunk: string): void {
    const n = chunk.length;
    let captureFrom = 0;
    let keyFrom = 0;
    for (let i = 0; i < n; i++) {
      const c = chunk[i]!;
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === '\\') this.escape = true;
        else if (c === '"') {
          this.inString = false;
          if (this.keyParts) {
            this.keyParts.push(chunk.slice(keyFrom, i));
            const k = this.keyParts.join('');
            this.lastString = k.length <= 64 ? k : undefined;
            this.keyParts = undefined;
          }
        } else if (c === '\n') this.line++;
        continue;
      }
      if (c === '\n') {
        this.line++;
        continue;
      }
      if (c === ' ' || c === '\t' || c === '\r') continue;
      const depth = this.stack.length;
      if (depth === 0) {
        if (c === '{' || c === '[') {
          this.stack.push(c);
          this.wrap.push(c === '[');
          this.pendingKey = undefined;
          if (c === '{') {
            this.startCapture(1, false);
            captureFrom = i;
          }
        } else if (!WS.has(c)) {
          if (this.junkLine !== this.line) {
            this.junkLine = this.line;
            this.opts.onJunk(this.line, `unexpected ${JSON.stringify(c)} outside any JSON value`);
          }
        }
        continue;
      }
      if (c === '"') {
        this.inString = true;
        if (depth === 1 && this.stack[0] === '{') {
          this.keyParts = [];
          keyFrom = i + 1;
        }
        continue;
      }
      if (c === '{' || c === '[') {
        const parentWrap = this.wrap[depth - 1]!;
        let isWrap = false;
        if (depth === 1 && c === '[' && this.stack[0] === '{' && this.pendingKey !== undefined && WRAPPER_KEYS.has(this.pendingKey)) {
          // the top-level object is a wrapper: drop its capture, hand on the array's elements
          isWrap = true;
          this.capturing = false;
          this.captureParts = [];
          this.captureLen = 0;
        }
        this.stack.push(c);
        this.wrap.push(isWrap);
        if (parentWrap && !this.capturing) {
          this.startCapture(depth + 1, true);
          captureFrom = i;
        }
        continue;
      }
      if (c === '}' || c === ']') {
        const open = this.stack.pop();
        this.wrap.pop();
        if ((c === '}' && open !== '{') || (c === ']' && open !== '[')) {
          // mismatched: report and resynchronise at the top level
          this.opts.onJunk(this.line, `mismatched ${JSON.stringify(c)}`);
          this.stack = [];
          this.wrap = [];
          this.capturing = false;
          this.captureParts = [];
          this.captureLen = 0;
          continue;
        }
        if (this.capturing && this.stack.length === this.captureDepth - 1) {
          this.captureParts.push(chunk.slice(captureFrom, i + 1));
          this.finishCapture(false);
        }
        continue;
      }
      if (depth === 1 && this.stack[0] === '{') {
        if (c === ':') this.pendingKey = this.lastString;
        else if (c === ',') this.pendingKey = undefined;
      }
    }
    if (this.capturing) {
      const rest = chunk.slice(captureFrom);
      this.captureLen += rest.length;
      if (this.captureLen > this.opts.maxValue) {
        if (!this.tooLarge) this.opts.onTooLarge(this.captureLine);
        this.tooLarge = true;
        this.captureParts = [];
      } else this.captureParts.push(rest);
    }
    if (this.keyParts) this.keyParts.push(chunk.slice(keyFrom));
  }

  /** The input ended: a value still open was cut. */
  end(): void {
    if (this.capturing) this.finishCapture(true);
    else if (this.stack.length > 0) this.opts.onJunk(this.line, 'the input ends inside an unfinished JSON value');
    this.stack = [];
    this.wrap = [];
  }

  private startCapture(depth: number, element: boolean): void {
    this.capturing = true;
    this.captureDepth = depth;
    this.captureLine = this.line;
    this.captureParts = [];
    this.captureLen = 0;
    this.captureElement = element;
    this.tooLarge = false;
  }

  private finishCapture(cut: boolean): void {
    this.capturing = false;
    const parts = this.captureParts;
    this.captureParts = [];
    this.captureLen = 0;
    if (this.tooLarge) {
      this.tooLarge = false;
      return;
    }
    this.opts.onValue({ text: parts.join(''), line: this.captureLine, element: this.captureElement, ...(cut ? { cut: true } : {}) });
  }
}

/**
 * Repairs a JSON object cut short: keeps what precedes the last complete member and closes the
 * containers open there. Undefined when nothing parseable remains.
 */
export function repairTruncated(text: string): unknown {
  const stack: string[] = [];
  let inString = false;
  let escape = false;
  let safeAt = -1;
  let safeStack = '';
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text[i]!;
    if (inString) {
      if (escape) escape = false;
      else if (c === '\\') escape = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') stack.push(c);
    else if (c === '}' || c === ']') {
      stack.pop();
      if (stack.length === 0) return tryParse(text.slice(0, i + 1));
      safeAt = i + 1;
      safeStack = stack.join('');
    } else if (c === ',' && stack.length > 0) {
      safeAt = i;
      safeStack = stack.join('');
    }
  }
  if (safeAt < 0) return undefined;
  let out = text.slice(0, safeAt);
  for (let k = safeStack.length - 1; k >= 0; k--) out += safeStack[k] === '{' ? '}' : ']';
  return tryParse(out);
}

function tryParse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/** The auditID in the text of a cut event (for the problem message), if it is before the cut. */
export function auditIdIn(text: string): string | undefined {
  const m = /"auditID"\s*:\s*"([0-9a-fA-F-]{8,64})"/.exec(text.slice(0, 4096));
  return m?.[1];
}
