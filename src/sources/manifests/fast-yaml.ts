/**
 * A fast reader for the YAML most manifests are written in: block mappings and sequences,
 * plain, single- and double-quoted scalars on one line, literal block scalars (`|`, `|-`),
 * empty flow collections and flow sequences of double-quoted strings, comments. It reads a
 * document line by line (Node's native string search does the character work), so a cold
 * start reads a repository of manifests several times faster than the event parser.
 *
 * It never guesses: anything outside that subset (anchors, aliases, tags, merge keys, folded
 * or kept block scalars, multi-line plain or quoted scalars, escapes, other flow collections,
 * keys that are not strings, repeated keys, tabs or carriage returns in the structure, a
 * directive, a BOM) makes it answer `undefined`, and the document goes through the full
 * reader (parse.ts), which also says what is wrong with a bad one. On the documents it does
 * read, its value and its positions are the full reader's, which test/unit/fast-yaml.test.ts
 * checks on every YAML fixture of the repository and on generated and mutated documents.
 *
 * Positions follow yamlPointerMap (yaml-events.ts): a mapping member's pointer is at its key,
 * a sequence item's at the item's node, the document's at its root node.
 */
import { resolveGoScalar } from './go-yaml-schema.js';

/** Off only in tests that compare the two readers. */
export const fastYamlSwitch = { enabled: true };

/** Nesting beyond this is left to the full reader (which applies the depth limit). */
const MAX_DEPTH = 100;

class Bail extends Error {}
const BAIL = new Bail();

interface Line {
  /** Offset of the line's first character, and of its end (the `\n` or the text's end). */
  start: number;
  end: number;
  /** Column of the first content character (spaces before it), -1 for a blank or comment line. */
  indent: number;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (;;) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    let i = start;
    while (i < end && text.charCodeAt(i) === 32) i++;
    const c = i < end ? text.charCodeAt(i) : -1;
    if (c === 9) throw BAIL; // a tab before content: the full reader decides
    lines.push({ start, end, indent: c === -1 || c === 35 /* # */ ? -1 : i - start });
    if (end === text.length) break;
    start = end + 1;
  }
  return lines;
}

function escapePointerSegment(s: string): string {
  return s.includes('~') || s.includes('/') ? s.replace(/~/g, '~0').replace(/\//g, '~1') : s;
}

/**
 * Characters YAML does not allow in a stream (outside its printable set), line breaks of YAML
 * 1.1 besides `\n` (NEL, LS, PS), a byte-order mark inside the text, lone surrogates: the full
 * reader says what is wrong.
 */
const NOT_PRINTABLE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Characters that cannot start a plain scalar (or that start something this reader leaves alone). */
const NOT_PLAIN_START = new Set([...'[]{},#&*!|>\'"%@`?:-']);

class Reader {
  private li = 0;
  /** For the first line of a sequence item's content: where the content starts (the line is read as if indented there). */
  private override: { line: number; column: number } | undefined;

  constructor(
    private readonly text: string,
    private readonly lines: Line[],
    private readonly offsets: Map<string, number> | undefined,
  ) {}

  /** The document's root node. */
  document(): unknown {
    const first = this.nextContent();
    if (first === -1) throw BAIL; // an empty document: the full reader's business
    const value = this.node(this.lines[first]!.indent, '', 0, true);
    if (this.nextContent() !== -1) throw BAIL; // something after the root node
    return value;
  }

  /** Where `needle` starts in [from, end) of the text, -1 if not there (the search never runs past `end`). */
  private find(needle: string, from: number, end: number): number {
    if (from >= end) return -1;
    const k = this.text.slice(from, end).indexOf(needle);
    return k === -1 ? -1 : from + k;
  }

  private set(pointer: string, offset: number): void {
    this.offsets?.set(pointer, offset);
  }

  /** Index of the next content line from `li` (skipping blank and comment lines), -1 at the end. */
  private nextContent(): number {
    while (this.li < this.lines.length && this.lines[this.li]!.indent === -1) this.li++;
    return this.li < this.lines.length ? this.li : -1;
  }

  private indentOf(l: number): number {
    return this.override?.line === l ? this.override.column : this.lines[l]!.indent;
  }

  private contentStart(l: number): number {
    const line = this.lines[l]!;
    return this.override?.line === l ? line.start + this.override.column : line.start + line.indent;
  }

  /**
   * The block node starting at the current content line, whose indentation is `indent`; `place`:
   * its pointer is placed at the node (the document and sequence items; a mapping member's
   * pointer is at its key).
   */
  private node(indent: number, pointer: string, depth: number, place: boolean): unknown {
    if (depth > MAX_DEPTH) throw BAIL;
    const l = this.li;
    const at = this.contentStart(l);
    const t = this.text;
    if (t.charCodeAt(at) === 45 /* - */ && this.isDash(at, this.lines[l]!.end)) {
      if (place) this.set(pointer, at);
      return this.sequence(indent, pointer, depth);
    }
    const key = this.keyAt(l);
    if (key === undefined) throw BAIL; // a scalar on its own line(s): multi-line plain or quoted scalars are left alone
    if (place) this.set(pointer, at);
    return this.mapping(indent, pointer, depth);
  }

  private isDash(at: number, end: number): boolean {
    const n = at + 1;
    return n === end || this.text.charCodeAt(n) === 32;
  }

  private sequence(indent: number, pointer: string, depth: number): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      const l = this.nextContent();
      if (l === -1) break;
      const ind = this.indentOf(l);
      if (ind < indent) break;
      if (ind > indent) throw BAIL;
      const line = this.lines[l]!;
      const dash = this.contentStart(l);
      if (!(this.text.charCodeAt(dash) === 45 && this.isDash(dash, line.end))) {
        // a mapping key at the sequence's indentation ends a compact sequence (`key:\n- a\nnext: b`)
        break;
      }
      const item = `${pointer}/${out.length}`;
      let c = dash + 1;
      while (c < line.end && this.text.charCodeAt(c) === 32) c++;
      if (c === line.end || this.text.charCodeAt(c) === 35 /* # */) {
        // `-` alone: the item is the block below, or null
        this.override = undefined;
        this.li = l + 1;
        const next = this.nextContent();
        if (next !== -1 && this.indentOf(next) > indent) out.push(this.node(this.indentOf(next), item, depth + 1, true));
        else out.push(null); // (no position of its own: its sequence's is used; the full reader gives the document's start)
        continue;
      }
      // the item starts on the dash's line: read that line as if it were indented at the content
      this.override = { line: l, column: c - line.start };
      const key = this.keyAt(l);
      const ch = this.text.charCodeAt(c);
      if (key !== undefined || (ch === 45 && this.isDash(c, line.end))) {
        out.push(this.node(c - line.start, item, depth + 1, true));
        continue;
      }
      // (the full reader places a block scalar at the line after its header)
      this.set(item, ch === 124 /* | */ && l + 1 < this.lines.length ? this.lines[l + 1]!.start : c);
      this.override = undefined;
      out.push(this.inline(c, line.end, l, indent, item));
      this.li = Math.max(this.li, l + 1);
    }
    this.override = undefined;
    return out;
  }

  private mapping(indent: number, pointer: string, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (;;) {
      const l = this.nextContent();
      if (l === -1) break;
      const ind = this.indentOf(l);
      if (ind < indent) break;
      if (ind > indent) throw BAIL; // a continuation line, or a stray indentation
      const line = this.lines[l]!;
      const key = this.keyAt(l);
      if (key === undefined) {
        // a compact sequence item at the mapping's indentation belongs to the previous key; anything else is not this subset
        throw BAIL;
      }
      this.override = undefined;
      if (Object.prototype.hasOwnProperty.call(out, key.name)) throw BAIL; // repeated key: the full reader warns
      const member = `${pointer}/${escapePointerSegment(key.name)}`;
      this.set(member, key.start);
      let c = key.colon + 1;
      while (c < line.end && this.text.charCodeAt(c) === 32) c++;
      if (c === line.end || this.text.charCodeAt(c) === 35 /* # */) {
        this.li = l + 1;
        const next = this.nextContent();
        if (next !== -1 && this.indentOf(next) > indent) out[key.name] = this.node(this.indentOf(next), member, depth + 1, false);
        else if (next !== -1 && this.indentOf(next) === indent && this.text.charCodeAt(this.contentStart(next)) === 45 && this.isDash(this.contentStart(next), this.lines[next]!.end)) {
          out[key.name] = this.sequence(indent, member, depth + 1); // a compact sequence (`key:` then `- a` at the key's indentation)
        } else out[key.name] = null;
        continue;
      }
      out[key.name] = this.inline(c, line.end, l, indent, member);
      this.li = Math.max(this.li, l + 1);
    }
    return out;
  }

  /**
   * The mapping key a content line starts with (`name:` followed by a space or the line's end),
   * or undefined when the line is not a key line. Throws on key forms left to the full reader.
   */
  private keyAt(l: number): { name: string; start: number; colon: number } | undefined {
    const t = this.text;
    const line = this.lines[l]!;
    const start = this.contentStart(l);
    const c = t.charCodeAt(start);
    if (c === 34 /* " */ || c === 39 /* ' */) {
      const close = this.quoteEnd(start, line.end);
      if (close === -1) return undefined;
      let after = close + 1;
      while (after < line.end && t.charCodeAt(after) === 32) after++;
      if (t.charCodeAt(after) !== 58 /* : */ || !(after + 1 === line.end || t.charCodeAt(after + 1) === 32)) return undefined;
      const name = c === 34 ? t.slice(start + 1, close) : t.slice(start + 1, close).replaceAll("''", "'");
      if (name === '__proto__') throw BAIL;
      return { name, start, colon: after };
    }
    // a plain key: up to the first `: ` or a `:` ending the line, before any comment
    let colon = this.find(':', start, line.end);
    while (colon !== -1 && !(colon + 1 === line.end || t.charCodeAt(colon + 1) === 32)) colon = this.find(':', colon + 1, line.end);
    if (colon === -1) return undefined;
    const hash = this.find(' #', start, colon);
    if (hash !== -1) return undefined;
    if (NOT_PLAIN_START.has(t[start]!)) {
      // `- ` is a sequence, `? ` a complex key, `&`/`*`/`!` anchors, aliases, tags: none is a plain key
      if (c === 45 && this.isDash(start, line.end)) return undefined;
      throw BAIL;
    }
    let e = colon;
    while (e > start && t.charCodeAt(e - 1) === 32) e--;
    const name = t.slice(start, e);
    if (name === '__proto__' || name === '<<' || name.includes('\t')) throw BAIL;
    if (resolveGoScalar(name).tag !== 'str') throw BAIL; // keys like `on:` or `80:`: the full reader gives their string forms
    return { name, start, colon };
  }

  /** The closing quote of a quoted scalar starting at `at`, on its line; -1 when it is not there. Throws on escapes. */
  private quoteEnd(at: number, end: number): number {
    const t = this.text;
    const q = t.charCodeAt(at);
    let i = at + 1;
    for (;;) {
      const j = this.find(q === 34 ? '"' : "'", i, end);
      if (j === -1) return -1;
      if (q === 34) {
        if (this.find('\\', at, j) !== -1) throw BAIL; // escapes: the full reader
        return j;
      }
      if (t.charCodeAt(j + 1) === 39) {
        i = j + 2;
        continue;
      }
      return j;
    }
  }

  /** A value that starts on its key's or dash's line at `at` (the line `l` ends at `end`); `indent` is its parent's. */
  private inline(at: number, end: number, l: number, indent: number, pointer: string): unknown {
    const t = this.text;
    const c = t.charCodeAt(at);
    if (c === 34 || c === 39) {
      const close = this.quoteEnd(at, end);
      if (close === -1) throw BAIL; // a quoted scalar over several lines
      this.restIsComment(close + 1, end);
      return c === 34 ? t.slice(at + 1, close) : t.slice(at + 1, close).replaceAll("''", "'");
    }
    if (c === 124 /* | */) return this.literal(at, end, l, indent);
    if (c === 91 /* [ */ || c === 123 /* { */) return this.flow(at, end, pointer);
    if (NOT_PLAIN_START.has(t[at]!)) {
      // `-5` and `-x` are plain scalars; `- ` here would be a sequence on a key's line (not allowed)
      if (!(c === 45 && at + 1 < end && t.charCodeAt(at + 1) !== 32)) throw BAIL;
    }
    let stop = this.find(' #', at, end);
    if (stop === -1) stop = end;
    let e = stop;
    while (e > at && (t.charCodeAt(e - 1) === 32 || t.charCodeAt(e - 1) === 9)) e--;
    const s = t.slice(at, e);
    if (s.includes(': ') || s.endsWith(':') || s.includes('\t')) throw BAIL;
    const r = resolveGoScalar(s);
    if (r.tag === 'merge') throw BAIL;
    return r.value;
  }

  /** Only spaces and a comment may follow a quoted scalar or a flow collection on its line. */
  private restIsComment(from: number, end: number): void {
    let i = from;
    while (i < end && this.text.charCodeAt(i) === 32) i++;
    if (i < end && this.text.charCodeAt(i) !== 35) throw BAIL;
    if (i < end && i === from) throw BAIL; // `"a"#x` is not a comment
  }

  /** A flow collection that opens at `at` and closes on the same line; only a comment may follow it. */
  private flow(at: number, end: number, pointer: string): unknown {
    const [value, next] = this.flowNode(at, end, pointer, 0);
    this.restIsComment(next, end);
    return value;
  }

  private skipSpaces(i: number, end: number): number {
    while (i < end && this.text.charCodeAt(i) === 32) i++;
    return i;
  }

  /**
   * One flow node at `i` (a sequence, a mapping, a quoted scalar without escapes or a plain
   * scalar), with the offset after it. Flow nodes over several lines are left to the full reader.
   */
  private flowNode(i: number, end: number, pointer: string, depth: number): [unknown, number] {
    if (depth > MAX_DEPTH) throw BAIL;
    const t = this.text;
    const c = t.charCodeAt(i);
    if (c === 91 /* [ */) {
      const out: unknown[] = [];
      let j = this.skipSpaces(i + 1, end);
      if (t.charCodeAt(j) === 93) return [out, j + 1];
      for (;;) {
        this.set(`${pointer}/${out.length}`, j);
        const [v, n] = this.flowNode(j, end, `${pointer}/${out.length}`, depth + 1);
        if (t.charCodeAt(n) === 58 /* : */) throw BAIL; // a single-pair mapping inside a sequence
        out.push(v);
        j = this.skipSpaces(n, end);
        if (t.charCodeAt(j) === 44 /* , */) {
          j = this.skipSpaces(j + 1, end);
          if (t.charCodeAt(j) === 93) return [out, j + 1]; // a trailing comma
          continue;
        }
        if (t.charCodeAt(j) === 93 /* ] */) return [out, j + 1];
        throw BAIL;
      }
    }
    if (c === 123 /* { */) {
      const out: Record<string, unknown> = {};
      let j = this.skipSpaces(i + 1, end);
      if (t.charCodeAt(j) === 125) return [out, j + 1];
      for (;;) {
        const kc = t.charCodeAt(j);
        if (kc === 91 || kc === 123) throw BAIL; // a collection as a key
        const [k, kn] = this.flowNode(j, end, '', depth + 1);
        if (typeof k !== 'string' || k === '__proto__' || k === '<<') throw BAIL; // keys that are not strings: the full reader
        if (kc !== 34 && kc !== 39 && resolveGoScalar(k).tag !== 'str') throw BAIL;
        const keyEnd = this.skipSpaces(kn, end);
        if (t.charCodeAt(keyEnd) !== 58 /* : */ || t.charCodeAt(keyEnd + 1) !== 32) throw BAIL; // `{a}`, `{a:b}`, `{a:}`: the full reader
        if (Object.prototype.hasOwnProperty.call(out, k)) throw BAIL;
        const member = `${pointer}/${escapePointerSegment(k)}`;
        this.set(member, j);
        const vj = this.skipSpaces(keyEnd + 1, end);
        const vc = t.charCodeAt(vj);
        if (vc === 44 || vc === 125) throw BAIL; // an empty value
        const [v, n] = this.flowNode(vj, end, member, depth + 1);
        out[k] = v;
        j = this.skipSpaces(n, end);
        if (t.charCodeAt(j) === 44) {
          j = this.skipSpaces(j + 1, end);
          if (t.charCodeAt(j) === 125) return [out, j + 1];
          continue;
        }
        if (t.charCodeAt(j) === 125 /* } */) return [out, j + 1];
        throw BAIL;
      }
    }
    if (c === 34 || c === 39) {
      const q = this.quoteEnd(i, end);
      if (q === -1) throw BAIL;
      return [c === 34 ? t.slice(i + 1, q) : t.slice(i + 1, q).replaceAll("''", "'"), q + 1];
    }
    // a plain scalar in flow context: up to `,`, `]`, `}`, `: ` or ` #`
    if (NOT_PLAIN_START.has(t[i]!) && !(c === 45 && i + 1 < end && !' ,]}'.includes(t[i + 1]!))) throw BAIL;
    let j = i;
    for (; j < end; j++) {
      const d = t.charCodeAt(j);
      if (d === 44 || d === 93 || d === 125 || d === 91 || d === 123) break;
      if (d === 58 /* : */ && (j + 1 === end || ' ,]}[{'.includes(t[j + 1]!))) break;
      if (d === 35 /* # */ && t.charCodeAt(j - 1) === 32) throw BAIL; // a comment inside a flow: the full reader
      if (d === 9) throw BAIL;
    }
    if (j < end && (t.charCodeAt(j) === 91 || t.charCodeAt(j) === 123)) throw BAIL;
    let e = j;
    while (e > i && t.charCodeAt(e - 1) === 32) e--;
    if (e === i) throw BAIL;
    const r = resolveGoScalar(t.slice(i, e));
    if (r.tag === 'merge') throw BAIL;
    return [r.value, j];
  }

  /** A literal block scalar (`|` or `|-`) whose header is at `at` on line `l`; `indent` is its parent's indentation. */
  private literal(at: number, end: number, l: number, indent: number): string {
    const t = this.text;
    let h = at + 1;
    const strip = t.charCodeAt(h) === 45; /* - */
    if (strip) h++;
    this.restIsComment(h, end);
    if (h < end && t.charCodeAt(h) !== 32) throw BAIL; // `|+`, `|2`: the full reader
    // the content: the lines below indented more than the parent, at the first content line's indentation
    let k = l + 1;
    const lines = this.lines;
    let blockIndent = -1;
    for (let j = k; j < lines.length; j++) {
      const ln = lines[j]!;
      let i = ln.start;
      while (i < ln.end && t.charCodeAt(i) === 32) i++;
      if (i === ln.end) {
        if (i - ln.start > 0 && blockIndent === -1) throw BAIL; // leading blank lines with spaces: the full reader
        continue;
      }
      blockIndent = i - ln.start;
      break;
    }
    if (blockIndent <= indent) throw BAIL; // an empty block scalar, or content not indented: the full reader
    const parts: string[] = [];
    let lastContent = -1;
    for (; k < lines.length; k++) {
      const ln = lines[k]!;
      let i = ln.start;
      while (i < ln.end && i - ln.start < blockIndent && t.charCodeAt(i) === 32) i++;
      if (i - ln.start < blockIndent) {
        if (i === ln.end) {
          parts.push(''); // a blank line (fewer spaces than the block's indentation)
          continue;
        }
        break; // less indented content: the scalar has ended
      }
      parts.push(t.slice(i, ln.end));
      if (i < ln.end) lastContent = parts.length - 1; // (a line of just the block's indentation is blank)
    }
    // trailing blank lines are not content: the lines after the block start with them
    const keep = lastContent + 1;
    this.li = l + 1 + keep;
    const body = parts.slice(0, keep).join('\n');
    return strip ? body : `${body}\n`;
  }
}

/**
 * The value of one YAML document when it is in the subset this reader takes (with the pointer
 * offsets into `offsets` when given), undefined when the full reader must read it.
 */
export function fastYamlValue(text: string, offsets?: Map<string, number>): { value: unknown } | undefined {
  if (text.includes('\r') || text.charCodeAt(0) === 0xfeff || NOT_PRINTABLE.test(text)) return undefined;
  try {
    const lines = splitLines(text);
    // a directive, or content on the `---` line, is left to the full reader
    for (const l of lines) if (l.indent === 0 && text.charCodeAt(l.start) === 37 /* % */) return undefined;
    if (lines[0]!.indent > 0) return undefined; // (the rest of a `--- ` line, or an indented first line)
    const value = new Reader(text, lines, offsets).document();
    if (value === null || typeof value !== 'object') return undefined;
    return { value };
  } catch (err) {
    if (err === BAIL) return undefined;
    throw err;
  }
}

/** Positions in a document the fast reader takes: the pointer map of the whole document, built once. */
export class FastYamlIndex {
  private constructor(private readonly offsets: Map<string, number>) {}

  static parse(text: string): FastYamlIndex | undefined {
    const offsets = new Map<string, number>();
    return fastYamlValue(text, offsets) ? new FastYamlIndex(offsets) : undefined;
  }

  /** The index of offsets recorded while the document was read (`fastYamlValue(text, offsets)`). */
  static of(offsets: Map<string, number>): FastYamlIndex {
    return new FastYamlIndex(offsets);
  }

  /** The offset for the pointer, or for its nearest ancestor that has one (as YamlDocIndex answers). */
  offsetOfPointer(pointer: string, _segments?: readonly string[]): number {
    let p = pointer;
    for (;;) {
      const hit = this.offsets.get(p);
      if (hit !== undefined) return hit;
      if (p === '') return 0;
      p = p.slice(0, p.lastIndexOf('/'));
    }
  }
}
