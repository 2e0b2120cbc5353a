/**
 * YAML positions without a syntax tree. The manifest source decodes each document from
 * js-yaml's flat event stream (offsets into the text) and keeps those events in a compact
 * table (three integers an event), which is all the locator needs to turn a JSON pointer into
 * a line and column later, and which also reveals repeated mapping keys. Everything here is
 * iterative: any nesting depth the parser accepted is safe.
 */
import { EVENT_ID, getScalarValue, parseEvents, SCALAR_STYLE, type Event, type ScalarEvent } from 'js-yaml';
import { plainKeyString } from './go-yaml-schema.js';

// The table: data[0] is the number of events; then three integers an event:
//   0: flags: type | style << 3 | chomping << 6 | fast << 8 | tagged << 9 | side << 10 | indent << 11
//   1: MAPPING/SEQUENCE: start; SCALAR: valueStart
//   2: MAPPING/SEQUENCE/ALIAS: anchorStart (-1: none); SCALAR: valueEnd
// then, in event order, a side record (event, anchorStart, indent) for each scalar with an
// anchor or an indent too large for the flags (both rare). An anchor's or alias's end is
// where its name ends in the text (a name runs to a space, a line break or a flow indicator).
const HEADER = 1;
const STRIDE = 3;
const SIDE = 3;
const TYPE_MASK = 7;
const SIDE_BIT = 1 << 10;
const INDENT_SHIFT = 11;
const INDENT_MAX = (1 << 20) - 1;

export function yamlEvents(text: string, maxDepth: number): Event[] {
  return parseEvents(text, { maxDepth });
}

/** One document's events, compacted (three integers an event). */
export class YamlEventTable {
  readonly data: Int32Array;
  readonly length: number;

  /** From the parser's events, or from the data of a table built elsewhere (another thread). */
  constructor(events: readonly Event[] | Int32Array) {
    if (events instanceof Int32Array) {
      this.data = events;
      this.length = events[0] ?? 0;
      return;
    }
    const n = events.length;
    this.length = n;
    let side = 0;
    for (let i = 0; i < n; i++) {
      const e = events[i]!;
      if (e.type === EVENT_ID.SCALAR && (e.anchorStart !== -1 || e.indent > INDENT_MAX)) side++;
    }
    const d = new Int32Array(HEADER + n * STRIDE + side * SIDE);
    d[0] = n;
    let at = HEADER + n * STRIDE;
    for (let i = 0; i < n; i++) {
      const e = events[i]!;
      const o = HEADER + i * STRIDE;
      switch (e.type) {
        case EVENT_ID.MAPPING:
        case EVENT_ID.SEQUENCE:
          d[o] = e.type | (e.tagStart !== -1 ? 1 << 9 : 0);
          d[o + 1] = e.start;
          d[o + 2] = e.anchorStart;
          break;
        case EVENT_ID.SCALAR: {
          const sided = e.anchorStart !== -1 || e.indent > INDENT_MAX;
          d[o] = e.type | (e.style << 3) | (e.chomping << 6) | (e.fast ? 1 << 8 : 0) | (e.tagStart !== -1 ? 1 << 9 : 0) | (sided ? SIDE_BIT : e.indent << INDENT_SHIFT);
          d[o + 1] = e.valueStart;
          d[o + 2] = e.valueEnd;
          if (sided) {
            d[at] = i;
            d[at + 1] = e.anchorStart;
            d[at + 2] = e.indent;
            at += SIDE;
          }
          break;
        }
        case EVENT_ID.ALIAS:
          d[o] = e.type;
          d[o + 2] = e.anchorStart;
          break;
        default:
          d[o] = e.type;
      }
    }
    this.data = d;
  }

  /** The side record of scalar event `i` (its anchor start and indent), found by bisection. */
  private side(i: number): number {
    const d = this.data;
    let lo = 0;
    let hi = (d.length - HEADER - this.length * STRIDE) / SIDE;
    const base = HEADER + this.length * STRIDE;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const ev = d[base + mid * SIDE]!;
      if (ev === i) return base + mid * SIDE;
      if (ev < i) lo = mid + 1;
      else hi = mid;
    }
    return -1;
  }

  /** Where the anchor of node `i` (or the name of alias `i`) starts; -1 when it has none. */
  anchorStart(i: number): number {
    const o = HEADER + i * STRIDE;
    const flags = this.data[o]!;
    const t = flags & TYPE_MASK;
    if (t === EVENT_ID.MAPPING || t === EVENT_ID.SEQUENCE || t === EVENT_ID.ALIAS) return this.data[o + 2]!;
    if (t !== EVENT_ID.SCALAR || (flags & SIDE_BIT) === 0) return -1;
    const at = this.side(i);
    return at === -1 ? -1 : this.data[at + 1]!;
  }

  private indent(i: number): number {
    const flags = this.data[HEADER + i * STRIDE]!;
    if ((flags & SIDE_BIT) === 0) return flags >>> INDENT_SHIFT;
    const at = this.side(i);
    return at === -1 ? 0 : this.data[at + 2]!;
  }

  type(i: number): number {
    return this.data[HEADER + i * STRIDE]! & TYPE_MASK;
  }

  /** Index just past the node that starts at event `i`. */
  skipNode(i: number): number {
    const t = this.type(i);
    if (t !== EVENT_ID.MAPPING && t !== EVENT_ID.SEQUENCE) return i + 1;
    let depth = 0;
    do {
      const type = this.type(i);
      if (type === EVENT_ID.MAPPING || type === EVENT_ID.SEQUENCE) depth++;
      else if (type === EVENT_ID.POP) depth--;
      i++;
    } while (depth > 0 && i < this.length);
    return i;
  }

  /** Offset where a node's text starts (quotes included), or undefined for an empty node. */
  nodeStart(i: number): number | undefined {
    const d = this.data;
    const o = HEADER + i * STRIDE;
    const t = d[o]! & TYPE_MASK;
    if (t === EVENT_ID.MAPPING || t === EVENT_ID.SEQUENCE) return d[o + 1]!;
    if (t === EVENT_ID.ALIAS) return d[o + 2]! - 1;
    if (t !== EVENT_ID.SCALAR) return undefined;
    const valueStart = d[o + 1]!;
    if (valueStart === -1) {
      const anchor = this.anchorStart(i);
      return anchor !== -1 ? anchor - 1 : undefined;
    }
    const style = (d[o]! >> 3) & 7;
    return style === SCALAR_STYLE.SINGLE_QUOTED || style === SCALAR_STYLE.DOUBLE_QUOTED ? valueStart - 1 : valueStart;
  }

  /** The string a scalar key becomes in the decoded object; undefined for complex keys. */
  keyString(text: string, i: number): string | undefined {
    const d = this.data;
    const o = HEADER + i * STRIDE;
    const flags = d[o]!;
    if ((flags & TYPE_MASK) !== EVENT_ID.SCALAR) return undefined;
    const style = (flags >> 3) & 7;
    const tagged = (flags & (1 << 9)) !== 0;
    const fast = (flags & (1 << 8)) !== 0;
    let raw: string;
    if (fast || d[o + 1] === -1) raw = d[o + 1] === -1 ? '' : text.slice(d[o + 1], d[o + 2]);
    else {
      const anchorStart = this.anchorStart(i);
      const ev: ScalarEvent = {
        type: EVENT_ID.SCALAR,
        valueStart: d[o + 1]!,
        valueEnd: d[o + 2]!,
        anchorStart,
        anchorEnd: anchorStart === -1 ? -1 : nameEnd(text, anchorStart),
        tagStart: tagged ? 0 : -1,
        tagEnd: -1,
        style: style as ScalarEvent['style'],
        chomping: ((flags >> 6) & 3) as ScalarEvent['chomping'],
        indent: this.indent(i),
        fast: false,
      };
      raw = getScalarValue(text, ev);
    }
    return style === SCALAR_STYLE.PLAIN && !tagged ? plainKeyString(raw) : raw;
  }

  private anchorName(text: string, i: number): string | undefined {
    const t = this.type(i);
    if (t === EVENT_ID.DOCUMENT || t === EVENT_ID.POP) return undefined;
    const s = this.anchorStart(i);
    return s === -1 ? undefined : text.slice(s, nameEnd(text, s));
  }

  /** Index of the node an alias event refers to (the latest earlier anchor of that name). */
  aliasTarget(text: string, aliasAt: number): number | undefined {
    if (this.type(aliasAt) !== EVENT_ID.ALIAS) return undefined;
    const s = this.anchorStart(aliasAt);
    const name = text.slice(s, nameEnd(text, s));
    for (let k = aliasAt - 1; k >= 0; k--) if (this.type(k) !== EVENT_ID.ALIAS && this.anchorName(text, k) === name) return k;
    return undefined;
  }
}

/** Where an anchor or alias name that starts at `from` ends: at a space, a line break or a flow indicator. */
function nameEnd(text: string, from: number): number {
  let i = from;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2c /* , */ || c === 0x5b /* [ */ || c === 0x5d /* ] */ || c === 0x7b /* { */ || c === 0x7d /* } */) break;
  }
  return i;
}

/**
 * Offset of the node a pointer (split into segments) designates: the key of a mapping
 * member, the start of a sequence item. Stops at the deepest part that exists. A repeated
 * key resolves to its last occurrence, the one whose value is used.
 */
export function offsetOfPointer(text: string, table: YamlEventTable, segments: readonly string[], start?: number): number {
  let i = start ?? (table.type(0) === EVENT_ID.DOCUMENT ? 1 : 0);
  if (i >= table.length || table.type(i) === EVENT_ID.POP) return 0;
  let best = table.nodeStart(i) ?? 0;
  for (const seg of segments) {
    if (table.type(i) === EVENT_ID.ALIAS) {
      const target = table.aliasTarget(text, i);
      if (target === undefined) break;
      i = target;
    }
    const t = table.type(i);
    if (t === EVENT_ID.MAPPING) {
      let j = i + 1;
      let keyAt = -1;
      let valueAt = -1;
      while (j < table.length && table.type(j) !== EVENT_ID.POP) {
        const v = table.skipNode(j);
        if (table.keyString(text, j) === seg) {
          keyAt = j;
          valueAt = v;
        }
        j = table.skipNode(v);
      }
      if (keyAt === -1) break;
      best = table.nodeStart(keyAt) ?? best;
      i = valueAt;
    } else if (t === EVENT_ID.SEQUENCE) {
      const n = Number(seg);
      if (!Number.isInteger(n) || n < 0) break;
      let j = i + 1;
      for (let k = 0; k < n && j < table.length && table.type(j) !== EVENT_ID.POP; k++) j = table.skipNode(j);
      if (j >= table.length || table.type(j) === EVENT_ID.POP) break;
      best = table.nodeStart(j) ?? best;
      i = j;
    } else break;
  }
  return best;
}

/** Offsets of mapping keys that repeat an earlier key of the same mapping. */
export function duplicateKeyOffsets(text: string, table: YamlEventTable): number[] {
  type Frame = { map: true; expectKey: boolean; keys: Set<string> } | { map: false };
  const stack: Frame[] = [];
  const out: number[] = [];
  const completed = (): void => {
    const top = stack[stack.length - 1];
    if (top?.map) top.expectKey = !top.expectKey;
  };
  for (let i = 0; i < table.length; i++) {
    const t = table.type(i);
    if (t === EVENT_ID.POP) {
      stack.pop();
      completed();
      continue;
    }
    if (t === EVENT_ID.DOCUMENT) {
      stack.push({ map: false });
      continue;
    }
    const top = stack[stack.length - 1];
    if (top?.map && top.expectKey) {
      const key = table.keyString(text, i);
      if (key !== undefined && key !== '<<') {
        if (top.keys.has(key)) out.push(table.nodeStart(i) ?? 0);
        else top.keys.add(key);
      }
    }
    if (t === EVENT_ID.MAPPING) stack.push({ map: true, expectKey: true, keys: new Set() });
    else if (t === EVENT_ID.SEQUENCE) stack.push({ map: false });
    else completed();
  }
  return out;
}

/**
 * One YAML document's positions, with the start of every item of a top-level `items`
 * sequence indexed once, so positions inside a List of thousands of items are found without
 * walking the items before them.
 */
export class YamlDocIndex {
  private itemEvents: number[] | undefined;

  constructor(
    readonly text: string,
    readonly table: YamlEventTable,
  ) {}

  static parse(text: string, maxDepth: number): YamlDocIndex {
    return new YamlDocIndex(text, new YamlEventTable(yamlEvents(text, maxDepth)));
  }

  offsetOf(segments: readonly string[]): number {
    if (segments[0] === 'items' && segments.length >= 2) {
      const at = this.items()[Number(segments[1])];
      if (at !== undefined) return offsetOfPointer(this.text, this.table, segments.slice(2), at);
    }
    return offsetOfPointer(this.text, this.table, segments);
  }

  /**
   * The same answer as offsetOf, for a pointer string, through a pointer map of the List item
   * (or the whole document) it falls in, built once and kept for the next lookups there.
   */
  offsetOfPointer(pointer: string, segments: readonly string[]): number {
    let scope = -1;
    let base = '';
    if (segments[0] === 'items' && segments.length >= 2) {
      const at = this.items()[Number(segments[1])];
      if (at !== undefined) {
        scope = at;
        base = `/items/${segments[1]}`;
      }
    }
    if (scope === -1) scope = this.table.type(0) === EVENT_ID.DOCUMENT ? 1 : 0;
    if (scope >= this.table.length || this.table.type(scope) === EVENT_ID.POP) return 0;
    if (this.mapScope !== scope) {
      this.map = yamlPointerMap(this.text, this.table, scope, base);
      this.mapScope = scope;
      keepMap(this);
    }
    const { offsets, aliases } = this.map!;
    let p = pointer;
    for (;;) {
      const hit = offsets.get(p);
      if (hit !== undefined) return aliases.has(p) && p !== pointer ? this.offsetOf(segments) : hit;
      if (p.length <= base.length) return this.offsetOf(segments);
      p = p.slice(0, p.lastIndexOf('/'));
    }
  }

  /** The node the pointer map covers (-2: none). */
  mapScope = -2;
  map: { offsets: Map<string, number>; aliases: Set<string> } | undefined;

  private items(): number[] {
    if (this.itemEvents) return this.itemEvents;
    const t = this.table;
    this.itemEvents = [];
    const root = t.type(0) === EVENT_ID.DOCUMENT ? 1 : 0;
    if (root >= t.length || t.type(root) !== EVENT_ID.MAPPING) return this.itemEvents;
    let j = root + 1;
    let seqAt = -1;
    while (j < t.length && t.type(j) !== EVENT_ID.POP) {
      const v = t.skipNode(j);
      if (t.keyString(this.text, j) === 'items') seqAt = v;
      j = t.skipNode(v);
    }
    if (seqAt === -1 || t.type(seqAt) !== EVENT_ID.SEQUENCE) return this.itemEvents;
    for (let k = seqAt + 1; k < t.length && t.type(k) !== EVENT_ID.POP; k = t.skipNode(k)) this.itemEvents.push(k);
    return this.itemEvents;
  }
}

/**
 * Pointer maps are kept for the documents looked up last only: findings arrive object by
 * object, and a map for every document of a large stream would take more memory than the
 * objects themselves.
 */
const MAPS_KEPT = 64;
const mapped: Array<YamlDocIndex | undefined> = new Array(MAPS_KEPT);
let nextMapSlot = 0;

function keepMap(index: YamlDocIndex): void {
  const old = mapped[nextMapSlot];
  if (old && old !== index && !mapped.includes(old, nextMapSlot + 1) && mapped.indexOf(old) === nextMapSlot) {
    old.map = undefined;
    old.mapScope = -2;
  }
  mapped[nextMapSlot] = index;
  nextMapSlot = (nextMapSlot + 1) % MAPS_KEPT;
}

/**
 * Every pointer inside the node at event `start` (whose own pointer is `base`) mapped to its
 * offset, in one pass; `aliases` lists the pointers whose node is an alias (positions inside
 * those need the walker, which follows aliases).
 */
export function yamlPointerMap(text: string, table: YamlEventTable, start: number, base: string): { offsets: Map<string, number>; aliases: Set<string> } {
  type Frame = { map: boolean; pointer: string | undefined; index: number; expectKey: boolean; valuePointer: string | undefined };
  const offsets = new Map<string, number>();
  const aliases = new Set<string>();
  const stack: Frame[] = [];
  const completed = (): void => {
    const top = stack[stack.length - 1];
    if (top?.map) top.expectKey = !top.expectKey;
  };
  offsets.set(base, table.nodeStart(start) ?? 0);
  for (let i = start; i < table.length; i++) {
    const t = table.type(i);
    if (t === EVENT_ID.POP) {
      stack.pop();
      if (stack.length === 0) break;
      completed();
      continue;
    }
    if (t === EVENT_ID.DOCUMENT) continue;
    const top = stack[stack.length - 1];
    let pointer: string | undefined;
    if (!top) pointer = base;
    else if (top.map) {
      if (top.expectKey) {
        const key = top.pointer === undefined ? undefined : table.keyString(text, i);
        top.valuePointer = key === undefined ? undefined : `${top.pointer}/${escapePointerSegment(key)}`;
        if (top.valuePointer !== undefined) offsets.set(top.valuePointer, table.nodeStart(i) ?? 0);
        pointer = undefined; // the key node itself has no pointer
      } else pointer = top.valuePointer;
    } else if (top.pointer !== undefined) {
      pointer = `${top.pointer}/${top.index++}`;
      offsets.set(pointer, table.nodeStart(i) ?? 0);
    }
    if (t === EVENT_ID.MAPPING || t === EVENT_ID.SEQUENCE) {
      stack.push({ map: t === EVENT_ID.MAPPING, pointer, index: 0, expectKey: true, valuePointer: undefined });
    } else {
      if (t === EVENT_ID.ALIAS && pointer !== undefined && !(top?.map && top.expectKey)) aliases.add(pointer);
      if (!top) break; // a scalar or alias document
      completed();
    }
  }
  return { offsets, aliases };
}

function escapePointerSegment(s: string): string {
  return s.includes('~') || s.includes('/') ? s.replace(/~/g, '~0').replace(/\//g, '~1') : s;
}
