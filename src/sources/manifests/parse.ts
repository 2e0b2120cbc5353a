/**
 * Decodes manifest text (YAML streams, JSON objects and Lists) into inventory objects.
 * Every problem is recorded with its source and line; nothing is silently dropped, and no
 * message ever quotes the input (it may hold secret values).
 */
import { constructFromEvents, parseEvents, YAMLException, type Event } from 'js-yaml';
import type { InputProblem, K8sObject, Origin } from '../../inventory/types.js';
import { splitYamlStream, lineColAt, type RawDocument } from './split.js';
import { GO_YAML_SCHEMA } from './go-yaml-schema.js';
import { duplicateKeyOffsets, YamlDocIndex, YamlEventTable } from './yaml-events.js';
import { fastYamlSwitch, fastYamlValue, FastYamlIndex } from './fast-yaml.js';
import { duplicateKeyProblem, JsonIndex, listItemOf, WorkerJsonIndex, type JsonPositions } from './locate.js';
import { duplicateKeys, type JsonWorker } from './json-structure.js';
import { parsePointer } from '../../inventory/pointer.js';

export interface ParseLimits {
  /**
   * Most nodes one document may gain from alias expansion. On top of this, a document is
   * refused by go-yaml v2's own rule (the one the API server applies): more than 100 nodes
   * from aliases, more than 1,000 nodes in all, and aliases making up more than 99% of them
   * (falling to 10% for documents of millions of nodes).
   */
  maxAliasCount: number;
  /** Deepest nesting accepted in one object (mappings and sequences). */
  maxDepth: number;
}

export const DEFAULT_LIMITS: ParseLimits = { maxAliasCount: 400_000, maxDepth: 512 };

export interface ParsedObject {
  object: K8sObject;
  origin: Origin;
}

export interface ParseResult {
  objects: ParsedObject[];
  problems: InputProblem[];
  /** How the text was decoded (decides how positions are located later). */
  format: 'json' | 'yaml';
  /** For JSON: the position index built while reading (the locator reuses it). */
  jsonIndex?: JsonPositions;
  /** For YAML: each document, with its position index when it could be read. */
  yamlDocs?: Array<{ raw: RawDocument; index?: YamlDocIndex | FastYamlIndex }>;
}

/** Maps a JSON pointer inside a decoded document to a line (and column) of the source. */
type PointerPosition = (pointer: string) => { line: number; column: number };

export interface ParseOptions {
  via?: Origin['via'];
  /** Read as JSON whatever it looks like (a `.json` file). */
  json?: boolean;
  limits?: ParseLimits;
  /** 1-based lines holding bytes that are not valid UTF-8. */
  badLines?: ReadonlySet<number>;
  /** The thread indexing this (large JSON) text, if one was started. */
  jsonTables?: JsonWorker;
}

/** Decode a whole input text. `via` says how the text was produced; `json` forces JSON. */
export function parseManifestText(source: string, text: string, opts: ParseOptions = {}): ParseResult {
  const json = parseJsonText(source, text, opts);
  if (json) return json;
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const result: ParseResult = { objects: [], problems: [], format: 'yaml', yamlDocs: [] };
  const keep = text.length < KEEP_POSITIONS_BELOW;
  for (const doc of splitYamlStream(text)) result.yamlDocs!.push({ raw: doc, index: parseYamlDocument(source, doc, opts.via ?? 'file', limits, result, opts.badLines, keep) });
  result.problems = settleNotKubernetes(source, result.objects, result.problems);
  return result;
}

/**
 * Decodes a text that is JSON, or must be read as JSON (`json`); undefined when it is to be
 * read as YAML (it does not start like JSON, or it is JSON-looking flow YAML).
 */
export function parseJsonText(source: string, text: string, opts: ParseOptions = {}): ParseResult | undefined {
  const looksJson = opts.json || startsLikeJson(text);
  if (!looksJson) {
    opts.jsonTables?.stop();
    return undefined;
  }
  const result: ParseResult = { objects: [], problems: [], format: 'json' };
  if (opts.badLines && opts.badLines.size > 0) {
    let first = Infinity;
    for (const l of opts.badLines) if (l < first) first = l;
    result.problems.push({ source, line: first, documentIndex: 0, code: 'invalid-utf8', severity: 'error', message: `contains bytes that are not valid UTF-8 (first at line ${first}); document skipped` });
    opts.jsonTables?.stop();
    return result;
  }
  const ok = parseJson(source, text, opts.via ?? 'file', opts.limits ?? DEFAULT_LIMITS, result, opts.jsonTables);
  if (!ok) opts.jsonTables?.stop();
  else result.problems = settleNotKubernetes(source, result.objects, result.problems);
  return ok || opts.json ? result : undefined;
}

export function startsLikeJson(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff) continue;
    return c === 123 /* { */ || c === 91 /* [ */;
  }
  return false;
}

function parseJson(source: string, text: string, via: Origin['via'], limits: ParseLimits, out: ParseResult, worker?: JsonWorker): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const pos = jsonErrorPosition(err, text);
    out.problems.push({ source, ...pos, code: err instanceof RangeError ? 'too-deep' : 'json-syntax', severity: 'error', message: `invalid JSON: ${cleanJsonMessage(err)}` });
    return false;
  }
  // a large text is held and indexed by another thread (it answers positions); else indexed here
  const init = worker?.init();
  const index: JsonPositions = worker && init ? new WorkerJsonIndex(worker, init) : new JsonIndex(text);
  out.jsonIndex = index;
  const start = index.rootPosition();
  const positionOf: PointerPosition = (pointer) => {
    const item = pointer.indexOf('/', 7) === -1 ? listItemOf(pointer) : -1; // the start of a List item: the common question
    return (item >= 0 ? index.itemPosition(item) : undefined) ?? index.pointerPosition(pointer);
  };
  // the other thread measured the nesting: when nothing is deeper than the limit, no object needs a check
  const depthChecked = init !== undefined && init.depth <= limits.maxDepth;
  addValue(source, value, { source, documentIndex: 0, itemPointer: '', line: start.line, column: start.column, via }, limits, out, positionOf, depthChecked);
  // repeated member names: found here, or by the other thread while the controls run (it hands
  // them over at the end, through the locator: Locator.lateProblems)
  if (index instanceof JsonIndex) for (const offset of duplicateKeys(text)) out.problems.push(duplicateKeyProblem(source, index.position(offset)));
  return true;
}


/** What decoding adds to: the objects read and the problems met, in input order. */
export type Decoded = Pick<ParseResult, 'objects' | 'problems'>;

/**
 * Below this many characters of YAML in all, the line reader keeps each document's positions as it
 * reads it (a map of every pointer: memory that a large input must not hold for all its documents
 * at once), so the findings' lines are not found by reading the document a second time.
 */
export const KEEP_POSITIONS_BELOW = 2 * 1024 * 1024;

/**
 * Decodes one document of a stream; returns its position index when it could be read (for the
 * common subset of YAML only when `keepPositions`: else the locator reads it again when asked).
 */
export function parseYamlDocument(source: string, raw: RawDocument, via: Origin['via'], limits: ParseLimits, out: Decoded, badLines?: ReadonlySet<number>, keepPositions = false): YamlDocIndex | FastYamlIndex | undefined {
  if (badLines && badLines.size > 0) {
    const lastLine = raw.line + countLines(raw.text) - 1;
    let first = Infinity;
    for (const l of badLines) if (l >= raw.line && l <= lastLine && l < first) first = l;
    if (first !== Infinity) {
      out.problems.push({ source, line: first, documentIndex: raw.index, code: 'invalid-utf8', severity: 'error', message: `document ${raw.index + 1} (lines ${raw.line}-${lastLine}) contains bytes that are not valid UTF-8 (first at line ${first}); document skipped` });
      return undefined;
    }
  }
  const first = firstContent(raw.text);
  const origin: Origin = { source, documentIndex: raw.index, itemPointer: '', line: raw.line + first.line - 1, column: first.column, via };
  const where = (offset: number): { line: number; column: number } => lineColAt(raw.text, offset, raw.line);
  // the common subset of YAML is read line by line (fast-yaml.ts): its positions are kept when
  // asked, else found again when needed (the locator builds a FastYamlIndex for a document with findings)
  if (fastYamlSwitch.enabled) {
    const offsets = keepPositions ? new Map<string, number>() : undefined;
    const fast = fastYamlValue(raw.text, offsets);
    if (fast) {
      let index = offsets ? FastYamlIndex.of(offsets) : undefined;
      const positionOf: PointerPosition = (pointer) => where((index ??= FastYamlIndex.parse(raw.text)!).offsetOfPointer(pointer));
      addValue(source, fast.value, origin, limits, out, positionOf, true);
      return index;
    }
  }
  let events: Event[];
  let value: unknown;
  try {
    events = parseEvents(raw.text, { maxDepth: limits.maxDepth });
  } catch (err) {
    out.problems.push(yamlProblem(source, raw, origin, err, limits));
    return undefined;
  }
  const table = new YamlEventTable(events);
  const index = new YamlDocIndex(raw.text, table);
  try {
    value = constructFromEvents(events, { source: raw.text, schema: GO_YAML_SCHEMA })[0];
  } catch (err) {
    if (!(err instanceof YAMLException && err.reason === 'duplicated mapping key')) {
      out.problems.push(yamlProblem(source, raw, origin, err, limits));
      return undefined;
    }
    // the API server keeps the last value of a repeated key (and warns): so do we
    try {
      value = constructFromEvents(events, { source: raw.text, schema: GO_YAML_SCHEMA, json: true })[0];
    } catch (err2) {
      out.problems.push(yamlProblem(source, raw, origin, err2, limits));
      return undefined;
    }
    for (const offset of duplicateKeyOffsets(raw.text, table)) {
      out.problems.push({ source, ...where(offset), documentIndex: raw.index, code: 'duplicate-key', severity: 'warning', message: 'duplicate mapping key; the last value is used, as the API server does' });
    }
  }
  if (value === null || value === undefined) return index; // an empty document
  if (value !== null && typeof value === 'object' && raw.text.includes('*')) {
    const stats = aliasStats(value);
    if (stats.cycle) {
      out.problems.push({ source, line: origin.line, documentIndex: raw.index, code: 'alias-limit', severity: 'error', message: 'an alias refers to a node that contains it (the document would never end); document skipped' });
      return undefined;
    }
    if (stats.aliasNodes > 0) {
      if (stats.aliasNodes > limits.maxAliasCount || excessiveAliasing(stats.aliasNodes, stats.totalNodes)) {
        out.problems.push({ source, line: origin.line, documentIndex: raw.index, code: 'alias-limit', severity: 'error', message: `document expands to ${stats.totalNodes} nodes, ${stats.aliasNodes} of them through aliases (possible alias bomb); document skipped` });
        return undefined;
      }
      if (stats.depth > limits.maxDepth) {
        out.problems.push({ source, line: origin.line, documentIndex: raw.index, code: 'too-deep', severity: 'error', message: `document is nested more than ${limits.maxDepth} levels deep once its aliases are expanded; document skipped` });
        return undefined;
      }
      value = expandAliases(value);
    }
  }
  const positionOf: PointerPosition = (pointer) => where(index.offsetOf(parsePointer(pointer)));
  addValue(source, value, origin, limits, out, positionOf, true);
  return index;
}

function yamlProblem(source: string, raw: RawDocument, origin: Origin, err: unknown, limits: ParseLimits): InputProblem {
  const base = { source, line: origin.line, documentIndex: raw.index, severity: 'error' as const };
  if (err instanceof YAMLException) {
    const mark = err.mark;
    const at = mark && typeof mark.line === 'number' ? { line: raw.line + mark.line, column: (mark.column ?? 0) + 1 } : {};
    // reasons may name an alias or tag handle from the input (`unidentified alias "x"`): never quote input
    const reason = (err.reason ?? 'unreadable').replace(/"[^"]*"/g, '(name not shown)');
    if (reason.startsWith('nesting exceeded maxDepth')) return { ...base, ...at, code: 'too-deep', message: `document is nested more than ${limits.maxDepth} levels deep; document skipped` };
    if (reason.startsWith('aliases exceeded') || reason.startsWith('merge keys exceeded')) return { ...base, ...at, code: 'alias-limit', message: `document uses too many aliases or merge keys (possible alias bomb); document skipped` };
    return { ...base, ...at, code: 'yaml-syntax', message: `YAML syntax error: ${firstLine(reason)}; document skipped` };
  }
  if (err instanceof RangeError) return { ...base, code: 'too-deep', message: 'document is nested too deeply to read; document skipped' };
  return { ...base, code: 'yaml-syntax', message: 'YAML could not be read; document skipped' };
}

/** go-yaml v2's alias-expansion rule (decode.go), which the API server applies to every document. */
export function excessiveAliasing(aliasNodes: number, totalNodes: number): boolean {
  if (aliasNodes <= 100 || totalNodes <= 1000) return false;
  const low = 400_000;
  const high = 4_000_000;
  const allowed = totalNodes <= low ? 0.99 : totalNodes >= high ? 0.1 : 0.99 - (0.89 * (totalNodes - low)) / (high - low);
  return aliasNodes / totalNodes > allowed;
}

/**
 * Node counts of a decoded document whose aliases are shared references: `totalNodes` as if
 * every alias were expanded (keys count as nodes, as in go-yaml), `aliasNodes` the part that
 * expansion adds, `depth` the expanded nesting. Memoised and iterative: linear in the
 * document's text, whatever the expansion factor.
 */
export function aliasStats(root: object): { totalNodes: number; aliasNodes: number; depth: number; cycle?: boolean } {
  const memo = new Map<object, { size: number; depth: number }>();
  // nodes being expanded (on the path from the root): a child among them is a node that contains
  // itself (`&a {<<: *a}`), which go-yaml refuses; it would never finish expanding
  const open = new Set<object>();
  let distinct = 0;
  const stack: Array<{ node: object; expanded: boolean }> = [{ node: root, expanded: false }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (memo.has(top.node)) {
      stack.pop();
      continue;
    }
    const children: unknown[] = Array.isArray(top.node) ? top.node : Object.values(top.node);
    if (!top.expanded) {
      top.expanded = true;
      open.add(top.node);
      for (const c of children) {
        if (c === null || typeof c !== 'object' || memo.has(c)) continue;
        if (open.has(c)) return { totalNodes: 0, aliasNodes: 0, depth: 0, cycle: true };
        stack.push({ node: c, expanded: false });
      }
      continue;
    }
    stack.pop();
    open.delete(top.node);
    const keys = Array.isArray(top.node) ? 0 : children.length;
    let size = 1 + keys;
    let depth = 1;
    let own = 1 + keys;
    for (const c of children) {
      if (c !== null && typeof c === 'object') {
        const m = memo.get(c);
        if (!m) continue; // a cycle cannot come out of YAML aliases; ignore defensively
        size += m.size;
        if (m.depth + 1 > depth) depth = m.depth + 1;
      } else {
        size++;
        own++;
      }
    }
    distinct += own;
    memo.set(top.node, { size, depth });
  }
  const r = memo.get(root)!;
  return { totalNodes: r.size, aliasNodes: r.size - distinct, depth: r.depth };
}

/** A copy in which every alias is its own object (so no edit of one object changes another). */
function expandAliases(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(expandAliases);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === '__proto__') Object.defineProperty(out, k, { value: expandAliases(x), enumerable: true, writable: true, configurable: true });
    else out[k] = expandAliases(x);
  }
  return out;
}

/**
 * Validates a decoded document and adds it, expanding Lists item by item (a broken item is
 * reported on its own line and the other items are still read). `depthChecked` says the
 * decoder already refused anything deeper than the limit.
 */
function addValue(source: string, value: unknown, origin: Origin, limits: ParseLimits, out: Decoded, positionOf: PointerPosition, depthChecked: boolean): void {
  if (!isPlainObject(value)) {
    out.problems.push({ source, line: origin.line, documentIndex: origin.documentIndex, code: 'not-an-object', severity: 'error', message: `document is ${describe(value)}, not a Kubernetes object; skipped` });
    return;
  }
  const kind = value['kind'];
  const items = value['items'];
  const notKubernetes = notKubernetesReason(value);
  if (notKubernetes) {
    // decided per file by settleNotKubernetes: a file of such documents only is skipped with a warning
    out.problems.push({ source, line: origin.line, documentIndex: origin.documentIndex, code: 'not-an-object', severity: 'error', message: `document is ${notKubernetes}, not a Kubernetes object; skipped` });
    return;
  }
  if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(items)) {
    // a typed list (`PodList`, `DeploymentList` of apps/v1, ...) as the API server returns it
    // leaves kind and apiVersion out of its items: they take the ones the list implies, as
    // client-go does; a plain `List` implies nothing
    const itemKind = kind.length > 4 ? kind.slice(0, -4) : undefined;
    const listApiVersion = typeof value['apiVersion'] === 'string' && value['apiVersion'] !== '' ? value['apiVersion'] : undefined;
    for (let i = 0; i < items.length; i++) {
      const itemPointer = `${origin.itemPointer}/items/${i}`;
      const item = items[i];
      if (itemKind && isPlainObject(item)) {
        if (item['kind'] === undefined || item['kind'] === '') item['kind'] = itemKind;
        if ((item['apiVersion'] === undefined || item['apiVersion'] === '') && listApiVersion) item['apiVersion'] = listApiVersion;
      }
      addObject(source, item, { ...origin, itemPointer }, limits, out, positionOf, depthChecked);
    }
    return;
  }
  if (kind === undefined && Array.isArray(items) && value['apiVersion'] === undefined) {
    // a bare {"items": [...]} is not an object kordon can read
    out.problems.push({ source, line: origin.line, documentIndex: origin.documentIndex, code: 'missing-kind', severity: 'error', message: 'document has "items" but no kind; skipped' });
    return;
  }
  addObject(source, value, origin, limits, out, positionOf, depthChecked);
}

function addObject(source: string, value: unknown, origin: Origin, limits: ParseLimits, out: Decoded, positionOf: PointerPosition, depthChecked: boolean): void {
  const where = origin.itemPointer ? ` (${origin.itemPointer})` : '';
  let at: { line: number; column: number } | undefined;
  const problem = (code: InputProblem['code'], severity: InputProblem['severity'], message: string): void => {
    at ??= origin.itemPointer ? positionOf(origin.itemPointer) : { line: origin.line, column: origin.column };
    out.problems.push({ source, line: at.line, column: at.column, documentIndex: origin.documentIndex, code, severity, message });
  };
  if (!isPlainObject(value)) {
    problem('not-an-object', 'error', `item${where} is ${describe(value)}, not a Kubernetes object; skipped`);
    return;
  }
  if (!depthChecked && exceedsDepth(value, limits.maxDepth)) {
    problem('too-deep', 'error', `object${where} is nested more than ${limits.maxDepth} levels deep; skipped`);
    return;
  }
  if (typeof value['kind'] !== 'string' || value['kind'] === '') {
    problem('missing-kind', 'error', `object${where} has no kind; skipped`);
    return;
  }
  if (typeof value['apiVersion'] !== 'string' || value['apiVersion'] === '') {
    problem('missing-apiversion', 'error', `${value['kind']} object${where} has no apiVersion; skipped`);
    return;
  }
  if (!isPlainObject(value['metadata'])) value['metadata'] = {};
  const meta = value['metadata'] as Record<string, unknown>;
  delete meta['managedFields'];
  // a name of the wrong type (a list) is reported once, by the inventory's shape check (src/inventory/shapes.ts)
  if ((meta['name'] === undefined || meta['name'] === null) && typeof meta['generateName'] !== 'string') {
    problem('missing-name', 'warning', `${value['kind']} object${where} has no metadata.name; scanned as "<unnamed>"`);
  }
  if (origin.itemPointer && origin.via !== 'cluster') {
    // items of a List start on their own line
    const p = positionOf(origin.itemPointer);
    origin = { ...origin, line: p.line, column: p.column };
  }
  out.objects.push({ object: value as unknown as K8sObject, origin });
}

/**
 * Where "not Kubernetes" ends and "a broken Kubernetes object" starts (docs/cli.md): a mapping
 * with neither `apiVersion` nor `kind` (nor `metadata` or `items`, which only objects and
 * Lists have) is some other tool's file (a CI workflow, Helm values, docker-compose); so are
 * the configuration files of tools that borrow the object shape but are never sent to an API
 * server (Kustomize, kubeconfig, kind, skaffold). Anything with one of apiVersion/kind is an
 * object with a problem. Returns the description of a document that is not Kubernetes.
 */
function notKubernetesReason(v: Record<string, unknown>): string | undefined {
  const apiVersion = v['apiVersion'];
  const kind = v['kind'];
  if (apiVersion === undefined && kind === undefined) return v['metadata'] !== undefined || v['items'] !== undefined ? undefined : 'a mapping without apiVersion and kind';
  // a Helm chart's Chart.yaml (its directory is rendered when scanned)
  if ((apiVersion === 'v1' || apiVersion === 'v2') && kind === undefined && typeof v['name'] === 'string' && v['version'] !== undefined && v['metadata'] === undefined) return 'a Helm Chart.yaml: a directory holding Chart.yaml is rendered when scanned';
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  if (group === 'kustomize.config.k8s.io') return `a Kustomize ${kind}: a directory holding kustomization.yaml is built when scanned`;
  if (apiVersion === 'v1' && kind === 'Config' && Array.isArray(v['clusters'] ?? v['contexts'])) return 'a kubeconfig';
  if (group === 'kind.x-k8s.io' || apiVersion.startsWith('skaffold/') || group === 'kpt.dev') return `a ${group || apiVersion.split('/')[0]} configuration file`;
  return undefined;
}

/**
 * A file none of whose documents is (or tries to be) a Kubernetes object is not a manifest:
 * its "not an object" errors become one warning saying it was skipped. In a file that does
 * hold Kubernetes objects, such a document stays an error (a broken manifest). A syntax error
 * keeps the file a problem: it may be a broken manifest.
 */
export function settleNotKubernetes(source: string, objects: readonly unknown[], problems: InputProblem[]): InputProblem[] {
  if (objects.length > 0) return problems;
  let notObjects = 0;
  for (const p of problems) {
    if (p.code === 'not-an-object') notObjects++;
    else if (p.severity === 'error') return problems;
  }
  if (notObjects === 0) return problems;
  const kept = problems.filter((p) => p.code !== 'not-an-object');
  const first = problems.find((p) => p.code === 'not-an-object')!;
  const what = /^document is (.*), not a Kubernetes object; skipped$/.exec(first.message)?.[1] ?? 'not an object';
  kept.unshift({ source, line: first.line ?? 1, code: 'not-kubernetes', severity: 'warning', message: `skipped, not a Kubernetes manifest: ${notObjects === 1 ? what : `none of its ${notObjects} documents has apiVersion and kind`}` });
  return kept;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a sequence';
  return `a ${typeof v === 'object' ? 'non-mapping value' : typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : 'scalar'}`;
}

/**
 * True when a decoded value nests deeper than `budget` levels (objects and arrays). Recursion
 * is bounded by the budget itself, so it cannot overflow the stack; JSON.parse output of any
 * depth is safe to hand in.
 */
export function exceedsDepth(v: unknown, budget: number): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (budget === 0) return true;
  if (Array.isArray(v)) {
    for (const x of v) if (x !== null && typeof x === 'object' && exceedsDepth(x, budget - 1)) return true;
    return false;
  }
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== null && typeof x === 'object' && exceedsDepth(x, budget - 1)) return true;
  }
  return false;
}

function countLines(s: string): number {
  let n = 1;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return s.endsWith('\n') ? n - 1 : n;
}

function firstContent(text: string): { line: number; column: number } {
  const re = /^[ \t]*([^\s#])/gm;
  const m = re.exec(text);
  if (!m) return { line: 1, column: 1 };
  return lineColAt(text, m.index + m[0].length - 1);
}

function firstLine(s: string): string {
  const l = s.split('\n')[0] ?? '';
  return l.length > 200 ? l.slice(0, 200) + '…' : l;
}

function jsonErrorPosition(err: unknown, text: string): { line?: number; column?: number } {
  const msg = String((err as Error)?.message ?? '');
  const lc = /line (\d+) column (\d+)/.exec(msg);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const p = /position (\d+)/.exec(msg);
  if (p) return lineColAt(text, Number(p[1]));
  return {};
}

/** V8 JSON errors quote the input around the error; keep only the description. */
function cleanJsonMessage(err: unknown): string {
  const msg = String((err as Error)?.message ?? 'unreadable');
  if (err instanceof RangeError) return 'nested too deeply';
  const m = /^(Unexpected (?:token|end of JSON input|non-whitespace character|string|number)|Expected [^,"]*|Bad control character|Unterminated string|Bad escaped character)/.exec(msg);
  return m ? m[1]!.replace(/ token$/, ' token') : 'syntax error';
}
