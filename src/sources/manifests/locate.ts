/**
 * Maps JSON pointers back to file:line:column. Positions are computed on demand (findings are
 * few compared with fields), from the text each source keeps, so the fast decoding path never
 * has to build position tables for every node.
 */
import { place, type InputProblem, type Locator, type Origin, type Placed, type Position } from '../../inventory/types.js';
import { parsePointer } from '../../inventory/pointer.js';
import { lineColAt, type RawDocument } from './split.js';
import { YamlDocIndex } from './yaml-events.js';
import { FastYamlIndex, fastYamlSwitch } from './fast-yaml.js';
import { jsonStructure, lineAndColumn, lineStartsOf, listItems, offsetOfSegments, skipWs, type JsonStructure, type JsonWorker, type ListItems, type WorkerInit } from './json-structure.js';

/** Deepest nesting the locator parses (documents in the inventory are never deeper). */
const LOCATE_MAX_DEPTH = 4096;
/** YAML documents whose events are kept between lookups (findings come object by object). */
const YAML_CACHE_SIZE = 8;

type YamlDoc = { raw: RawDocument; index?: YamlDocIndex | FastYamlIndex };
type Stored = { kind: 'yaml'; docs: YamlDoc[] } | { kind: 'json'; index: JsonPositions };

/** A position in another file than the origin's (a Helm template or helper, a Kustomize resource file). */
export type MappedPosition = Position & { source: string };

export class TextLocator implements Locator {
  private readonly texts = new Map<string, Stored>();
  private readonly yamlCache = new Map<string, YamlDocIndex | FastYamlIndex>();
  private readonly mapped = new Map<string, (origin: Origin, pointer: string) => MappedPosition | undefined>();

  /**
   * Positions of a source whose text is not the text the user wrote (Helm output): asked of
   * `map`, which answers in the files the user wrote.
   */
  addMapped(source: string, map: (origin: Origin, pointer: string) => MappedPosition | undefined): void {
    const before = this.mapped.get(source);
    // several maps for one source (a base file built by two overlays): the first that answers
    this.mapped.set(source, before ? (o, p) => before(o, p) ?? map(o, p) : map);
  }

  /** The position in the text itself, whatever maps the source has (a map's fallback). */
  locateInText(origin: Origin, pointer: string): Position | undefined {
    const map = this.mapped.get(origin.source);
    if (!map) return this.locate(origin, pointer);
    this.mapped.delete(origin.source);
    try {
      return this.locate(origin, pointer);
    } finally {
      this.mapped.set(origin.source, map);
    }
  }

  /** A YAML stream's documents, with the position indexes the parser built (else built on demand). */
  addYaml(source: string, docs: Array<RawDocument | YamlDoc>): void {
    this.texts.set(source, { kind: 'yaml', docs: docs.map((d) => ('raw' in d ? d : { raw: d })) });
  }

  addJson(source: string, text: string | JsonPositions): void {
    this.texts.set(source, { kind: 'json', index: typeof text === 'string' ? new JsonIndex(text) : text });
  }

  has(source: string): boolean {
    return this.texts.has(source);
  }

  locate(origin: Origin, pointer: string): Position | undefined {
    const map = this.mapped.get(origin.source);
    const mapped = map?.(origin, pointer);
    if (mapped) return mapped;
    const stored = this.texts.get(origin.source);
    if (!stored) return undefined;
    const full = origin.itemPointer + pointer;
    if (stored.kind === 'json') return stored.index.pointerPosition(full);
    const segments = parsePointer(full);
    const doc = stored.docs[origin.documentIndex];
    if (!doc) return undefined;
    const index = doc.index ?? this.cachedIndex(origin, doc.raw);
    if (!index) return undefined;
    return lineColAt(doc.raw.text, index.offsetOfPointer(full, segments), doc.raw.line);
  }

  locateLater(origin: Origin, pointer: string, into: Placed): void {
    const map = this.mapped.get(origin.source);
    const p = map?.(origin, pointer);
    if (p) {
      if (p.line > 0) into.location = { ...into.location, source: p.source, line: p.line, column: p.column };
      return;
    }
    const stored = this.texts.get(origin.source);
    if (stored?.kind === 'json' && stored.index.defer) stored.index.defer(origin.itemPointer, pointer, into, origin.source);
    else {
      const p = this.locate(origin, pointer);
      if (p) place(into, origin.source, p.line, p.column);
    }
  }

  settle(): void {
    for (const stored of this.texts.values()) if (stored.kind === 'json') stored.index.settle?.();
  }

  release(): void {
    for (const stored of this.texts.values()) if (stored.kind === 'json') stored.index.release?.();
  }

  lateProblems(): InputProblem[] {
    const out: InputProblem[] = [];
    for (const [source, stored] of this.texts) if (stored.kind === 'json' && stored.index.lateProblems) out.push(...stored.index.lateProblems(source));
    return out;
  }

  private cachedIndex(origin: Origin, raw: RawDocument): YamlDocIndex | FastYamlIndex | undefined {
    const key = `${origin.source}\u0000${origin.documentIndex}`;
    let index = this.yamlCache.get(key);
    if (index) {
      this.yamlCache.delete(key);
    } else {
      try {
        index = (fastYamlSwitch.enabled ? FastYamlIndex.parse(raw.text) : undefined) ?? YamlDocIndex.parse(raw.text, LOCATE_MAX_DEPTH);
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

/** Positions in a JSON text: from the text itself (JsonIndex) or from a thread holding it (WorkerJsonIndex). */
export interface JsonPositions {
  /** Where the text's first value starts. */
  rootPosition(): Position;
  /** Where element n of the top-level "items" array (kubectl Lists) starts, if there is one. */
  itemPosition(n: number): Position | undefined;
  /** Where the field a pointer designates (or its deepest existing parent) starts. */
  pointerPosition(pointer: string): Position;
  /**
   * Optional deferred form of pointerPosition(itemPointer + pointer): the position is placed
   * into `into` (with `source`) by settle(); an unknown one leaves it as it is.
   */
  defer?(itemPointer: string, pointer: string, into: Placed, source: string): void;
  settle?(): void;
  /** Problems found after decoding (by the thread holding the text). */
  lateProblems?(source: string): InputProblem[];
  /** See Locator.release. */
  release?(): void;
}

/**
 * A JSON text with lazily built indexes: line starts (for offset → line:column), the bracket
 * structure (json-structure.ts), and the starts of the items of a top-level `items` array.
 */
export class JsonIndex implements JsonPositions {
  private lineStarts: Uint32Array | undefined;
  private structure: JsonStructure | undefined;
  private items: ListItems | undefined;

  constructor(readonly text: string) {}

  private get struct(): JsonStructure {
    return (this.structure ??= jsonStructure(this.text));
  }

  /** Offset of the member key or array element a pointer designates (the deepest part that exists). */
  offsetOf(segments: readonly string[]): number {
    this.items ??= listItems(this.text, this.struct);
    return offsetOfSegments(this.text, this.struct, this.items, segments);
  }

  position(offset: number): Position {
    return lineAndColumn((this.lineStarts ??= lineStartsOf(this.text)), offset);
  }

  rootPosition(): Position {
    return this.position(skipWs(this.text, 0));
  }

  itemPosition(n: number): Position | undefined {
    this.items ??= listItems(this.text, this.struct);
    return n >= 0 && n < this.items.at.length ? this.position(this.items.at[n]!) : undefined;
  }

  pointerPosition(pointer: string): Position {
    return this.position(this.offsetOf(parsePointer(pointer)));
  }
}

/** Positions answered by the thread that holds the text (large inputs; docs/adr/0004). */
export class WorkerJsonIndex implements JsonPositions {
  constructor(
    private readonly worker: JsonWorker,
    private readonly init: WorkerInit,
  ) {}

  rootPosition(): Position {
    return this.init.root;
  }

  itemPosition(n: number): Position | undefined {
    const items = this.init.items;
    return n >= 0 && 2 * n < items.length ? { line: items[2 * n]!, column: items[2 * n + 1]! } : undefined;
  }

  /** `/items/N/rest` is asked as (N, /rest); anything else of the whole text. */
  private split(pointer: string): [number, string] {
    const n = listItemOf(pointer);
    if (n >= 0 && 2 * n < this.init.items.length) return [n, pointer.slice(ITEMS.length + itemDigits(n))];
    return [-1, pointer];
  }

  pointerPosition(pointer: string): Position {
    const [item, rest] = this.split(pointer);
    return this.worker.lookup(item, rest) ?? (item >= 0 ? this.itemPosition(item)! : this.init.root);
  }

  defer(itemPointer: string, pointer: string, into: Placed, source: string): void {
    // the common case, a List item's own pointer and a field in it, is split without parsing twice
    const n = itemPointer === '' ? -1 : listItemOf(itemPointer);
    if (n >= 0 && 2 * n < this.init.items.length && itemPointer.length === ITEMS.length + itemDigits(n)) this.worker.request(n, pointer, into, source);
    else {
      const [item, rest] = this.split(itemPointer + pointer);
      this.worker.request(item, rest, into, source);
    }
  }

  settle(): void {
    this.worker.settle();
  }

  /** Stops the thread (and frees the text it holds) once it has told where names repeat. */
  release(): void {
    this.worker.settle();
    this.worker.duplicates();
    this.worker.stop();
  }

  /** Repeated member names, which the thread looks for once it has sent the item positions. */
  lateProblems(source: string): InputProblem[] {
    const dup = this.worker.duplicates();
    // the thread is gone (it failed or was stopped) before it could tell: say so, never stay silent
    if (!dup) return [{ source, code: 'duplicate-key', severity: 'warning', message: 'repeated member names could not be checked in this JSON text (the thread holding it stopped); if a name repeats, the last value is the one read' }];
    const out: InputProblem[] = [];
    for (let i = 0; i < dup.length; i += 2) out.push(duplicateKeyProblem(source, { line: dup[i]!, column: dup[i + 1]! }));
    return out;
  }
}

const ITEMS = '/items/';

/** N when a pointer is `/items/N` or starts with `/items/N/` (N in canonical form), else -1. */
export function listItemOf(pointer: string): number {
  if (!pointer.startsWith(ITEMS)) return -1;
  let n = 0;
  let i = ITEMS.length;
  for (; i < pointer.length; i++) {
    const c = pointer.charCodeAt(i);
    if (c === 47 /* / */) break;
    if (c < 48 || c > 57 || (i > ITEMS.length && n === 0) || i - ITEMS.length >= 15) return -1; // a digit, no leading zero, no overflow
    n = n * 10 + (c - 48);
  }
  return i === ITEMS.length ? -1 : n;
}

function itemDigits(n: number): number {
  return n < 10 ? 1 : String(n).length;
}

/** A repeated member name in a JSON object (the API server warns about it, and keeps the last value). */
export function duplicateKeyProblem(source: string, at: { line: number; column: number }): InputProblem {
  return { source, line: at.line, column: at.column, documentIndex: 0, code: 'duplicate-key', severity: 'warning', message: 'duplicate member name in a JSON object; the last value is used, as the API server does' };
}
