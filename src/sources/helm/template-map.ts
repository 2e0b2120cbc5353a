/**
 * Maps a field of an object rendered by `helm template` back to a line of the template that
 * produced it (docs/cli.md, "Helm charts"). Templates are Go templates, not YAML, so this
 * works on their text: the template file is cut into documents at `---` lines; the rendered
 * document is matched to one of them (by position, or by its literal `kind:`); a field is found
 * by its key on a line whose indentation ancestors carry the keys of the field's path. A field
 * the template does not spell out (it comes from `toYaml .Values.x`, a `range` or an included
 * helper) points at the nearest ancestor that is spelled out, or into a helper (`define` in
 * `_helpers.tpl`) when exactly one included helper spells it. The document's start is the answer
 * when nothing matches.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parsePointer } from '../../inventory/pointer.js';

export interface TemplatePosition {
  source: string;
  line: number;
  column: number;
}

interface Line {
  /** 1-based line in its file. */
  no: number;
  /** Column (0-based) where the content (after `- `) starts. */
  indent: number;
  /** The mapping key on the line, if the line is `key: ...` or `- key: ...`. */
  key?: string;
  /** The line starts a sequence item (`- ...`); the dash's column. */
  dash?: number;
  /** A line that is only template actions, a comment or blank: not part of the YAML shape. */
  skip: boolean;
}

interface Block {
  file: string;
  lines: Line[];
}

const KEY_RE = /^(\s*)(-\s+)?(?:"([^"]+)"|'([^']+)'|([^\s:{}#"'][^:{}#]*?))\s*:(?:\s|$)/;

function scanLines(text: string, firstLine: number): Line[] {
  const out: Line[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    const trimmed = raw.trim();
    const no = firstLine + i;
    if (trimmed === '' || trimmed.startsWith('#') || (trimmed.startsWith('{{') && trimmed.endsWith('}}') && !/}}\s*\S.*:/.test(trimmed))) {
      out.push({ no, indent: 0, skip: true });
      continue;
    }
    const m = KEY_RE.exec(raw);
    const lead = raw.length - raw.trimStart().length;
    const dashM = /^(\s*)-(\s+|$)/.exec(raw);
    const indent = dashM ? dashM[0].length : lead;
    const key = m ? (m[3] ?? m[4] ?? m[5])?.trim() : undefined;
    out.push({ no, indent, skip: false, ...(key !== undefined ? { key } : {}), ...(dashM ? { dash: lead } : {}) });
  }
  return out;
}

/** The keys of the mapping lines enclosing line i (nearest first). */
function ancestors(lines: Line[], i: number): string[] {
  const chain: string[] = [];
  let indent = lines[i]!.indent;
  for (let j = i - 1; j >= 0 && indent > 0; j--) {
    const l = lines[j]!;
    if (l.skip) continue;
    if (l.dash !== undefined && l.dash < indent && l.indent >= indent) {
      indent = l.dash; // the item this line belongs to: go on with the item's own parent
      continue;
    }
    if (l.indent < indent) {
      if (l.key !== undefined) chain.push(l.key);
      indent = l.dash !== undefined ? l.dash : l.indent;
    }
  }
  return chain;
}

/** How many of the wanted parent keys (nearest first) the line's ancestors carry, in order. */
function score(chain: readonly string[], parents: readonly string[]): number {
  let n = 0;
  let c = 0;
  for (const want of parents) {
    const at = chain.indexOf(want, c);
    if (at === -1) break;
    n++;
    c = at + 1;
  }
  return n;
}

/** Named templates (`define`) of a chart: name → body. */
export function chartHelpers(chartDir: string): Map<string, Block> {
  const out = new Map<string, Block>();
  const visit = (dir: string, depth: number): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (depth < 4 && (e === 'templates' || e === 'charts' || depth > 0)) visit(p, depth + 1);
        continue;
      }
      if (!/\.(tpl|ya?ml|txt)$/.test(e) || st.size > 4 * 1024 * 1024) continue;
      let text: string;
      try {
        text = readFileSync(p, 'utf8');
      } catch {
        continue;
      }
      if (!text.includes('define')) continue;
      collectDefines(p, text, out);
    }
  };
  visit(chartDir, 0);
  return out;
}

function collectDefines(file: string, text: string, out: Map<string, Block>): void {
  const lines = text.split('\n');
  const actions = /\{\{-?\s*(define|if|range|with|block|end)\b\s*("([^"]*)")?/g;
  let open: { name: string; start: number; depth: number } | undefined;
  let depth = 0;
  for (let i = 0; i < lines.length; i++) {
    for (const m of lines[i]!.matchAll(actions)) {
      const word = m[1]!;
      if (word === 'end') {
        depth--;
        if (open && depth === open.depth) {
          if (!out.has(open.name)) out.set(open.name, { file, lines: scanLines(lines.slice(open.start, i).join('\n'), open.start + 1) });
          open = undefined;
        }
      } else {
        if (word === 'define' && !open && m[3]) open = { name: m[3], start: i + 1, depth };
        depth++;
      }
    }
  }
}

/** One template file of a chart, cut into its documents. */
export class TemplateMap {
  private readonly segments: Array<{ lines: Line[]; kinds: string[]; includes: string[]; start: number }> = [];

  constructor(
    readonly file: string,
    text: string,
    private readonly helpers: Map<string, Block>,
  ) {
    const all = text.split('\n');
    let start = 0;
    const cut = (end: number): void => {
      const body = all.slice(start, end).join('\n');
      if (body.trim() === '') return;
      const lines = scanLines(body, start + 1);
      if (!lines.some((l) => !l.skip)) return;
      const kinds = [...body.matchAll(/^kind:\s*["']?([A-Za-z0-9]+)["']?\s*$/gm)].map((m) => m[1]!);
      const includes = [...body.matchAll(/\{\{-?[^}]*\b(?:include|template)\s+"([^"]+)"/g)].map((m) => m[1]!);
      this.segments.push({ lines, kinds, includes, start: start + 1 });
    };
    for (let i = 0; i < all.length; i++) {
      if (/^---(\s|$)/.test(all[i]!)) {
        cut(i);
        start = i + 1;
      }
    }
    cut(all.length);
  }

  /**
   * The template document that produced rendered document `nth` (of `count` rendered from this
   * file), of kind `kind`, the `sameKind`-th of that kind among them.
   */
  private segmentFor(nth: number, count: number, kind: string, sameKind: number): number {
    const segs = this.segments;
    if (segs.length === 0) return -1;
    if (segs.length === count) return nth;
    const literal = segs.map((s, i) => (s.kinds.includes(kind) ? i : -1)).filter((i) => i >= 0);
    if (literal.length > 0) return literal[Math.min(sameKind, literal.length - 1)]!;
    return Math.min(nth, segs.length - 1);
  }

  /** Where the document starts in the template: its `apiVersion:`/`kind:` line, else its first content line. */
  private start(seg: number): TemplatePosition {
    const lines = this.segments[seg]!.lines;
    const top = lines.find((l) => !l.skip && (l.key === 'apiVersion' || l.key === 'kind')) ?? lines.find((l) => !l.skip) ?? lines[0]!;
    return { source: this.file, line: top.no, column: top.indent + 1 };
  }

  documentStart(nth: number, count: number, kind: string, sameKind: number): TemplatePosition {
    const seg = this.segmentFor(nth, count, kind, sameKind);
    return seg < 0 ? { source: this.file, line: 1, column: 1 } : this.start(seg);
  }

  /** The template line of the field `pointer` in the rendered document. */
  locate(nth: number, count: number, kind: string, sameKind: number, pointer: string): TemplatePosition {
    const seg = this.segmentFor(nth, count, kind, sameKind);
    if (seg < 0) return { source: this.file, line: 1, column: 1 };
    const segment = this.segments[seg]!;
    const parts = parsePointer(pointer);
    // from the field itself up to its outermost key: the first one spelled out wins
    for (let end = parts.length; end > 0; end--) {
      const last = parts[end - 1]!;
      const numeric = /^\d+$/.test(last);
      const keyAt = numeric ? end - 2 : end - 1;
      if (keyAt < 0) continue;
      const key = parts[keyAt]!;
      const parents = parts.slice(0, keyAt).filter((p) => !/^\d+$/.test(p)).reverse();
      const itemIndex = lastIndex(parts.slice(0, keyAt));
      const own: Block = { file: this.file, lines: segment.lines };
      const here = findKey(own, key, parents, itemIndex);
      if (here?.exact) {
        if (!numeric) return here.pos;
        const item = itemOf(own, here.pos, Number(last));
        if (item.pos) return item.pos;
        // the item is not spelled here: the one included helper that spells list items has it
        const fromHelpers: TemplatePosition[] = [];
        for (const name of new Set(segment.includes)) {
          const block = this.helpers.get(name);
          if (!block) continue;
          const p = topItem(block, Number(last) - item.count);
          if (p) fromHelpers.push(p);
        }
        return fromHelpers.length === 1 ? fromHelpers[0]! : here.pos;
      }
      // not spelled out here (or not this item): an included helper that alone spells it
      const found: TemplatePosition[] = [];
      for (const name of new Set(segment.includes)) {
        const block = this.helpers.get(name);
        if (!block) continue;
        const p = findKey(block, key, parents, 0, true);
        if (p) found.push(numeric ? (itemOf(block, p.pos, Number(last)).pos ?? p.pos) : p.pos);
      }
      if (found.length === 1) return found[0]!;
      // a line that renders many items (a `range`)
      if (here) return here.pos;
      if (found.length > 1) break;
    }
    return this.start(seg);
  }
}

function lastIndex(parts: readonly string[]): number {
  for (let i = parts.length - 1; i >= 0; i--) if (/^\d+$/.test(parts[i]!)) return Number(parts[i]);
  return 0;
}

/** The line spelling `key` whose ancestors best match `parents`; ties go by the item index. */
function findKey(block: Block, key: string, parents: readonly string[], itemIndex: number, helper = false): { pos: TemplatePosition; exact: boolean } | undefined {
  const lines = block.lines;
  let best = -1;
  let tied: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.key !== key) continue;
    const s = score(ancestors(lines, i), parents);
    if (s > best) {
      best = s;
      tied = [i];
    } else if (s === best) tied.push(i);
  }
  if (tied.length === 0) return undefined;
  // a short path matched only in part (`name` under anything) is a guess: require the nearest parent
  // (a helper's body is included somewhere inside the path: its own lines carry no parents)
  if (parents.length > 0 && best === 0 && !helper) return undefined;
  const i = tied[Math.min(itemIndex, tied.length - 1)]!;
  const l = lines[i]!;
  return { pos: { source: block.file, line: l.no, column: l.indent + 1 }, exact: itemIndex < tied.length };
}

/** The n-th item of a helper whose body is a list (`- name: ...` at its outermost indentation). */
function topItem(block: Block, n: number): TemplatePosition | undefined {
  if (n < 0) return undefined;
  const content = block.lines.filter((l) => !l.skip);
  const first = content[0];
  if (!first || first.dash === undefined) return undefined;
  const items = content.filter((l) => l.dash === first.dash);
  const l = items[n];
  return l ? { source: block.file, line: l.no, column: l.dash! + 1 } : undefined;
}

/** The n-th sequence item under the key line `at` (its `- ` line), when the template spells it. */
function itemOf(block: Block, at: TemplatePosition, n: number): { pos?: TemplatePosition; count: number } {
  const lines = block.lines;
  const i = lines.findIndex((l) => l.no === at.line);
  if (i < 0) return { count: 0 };
  const keyIndent = lines[i]!.dash !== undefined ? lines[i]!.indent : lines[i]!.indent;
  let seen = -1;
  let itemDash = -1;
  for (let j = i + 1; j < lines.length; j++) {
    const l = lines[j]!;
    if (l.skip) continue;
    const lead = l.dash ?? l.indent;
    if (lead < keyIndent || (lead === keyIndent && l.dash === undefined)) break;
    if (l.dash !== undefined && (itemDash === -1 || l.dash === itemDash)) {
      itemDash = l.dash;
      if (++seen === n) return { pos: { source: block.file, line: l.no, column: l.dash + 1 }, count: seen + 1 };
    }
  }
  return { count: seen + 1 };
}
