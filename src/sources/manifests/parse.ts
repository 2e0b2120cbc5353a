/**
 * Decodes manifest text (YAML streams, JSON objects and Lists) into inventory objects.
 * Every problem is recorded with its source and line; nothing is silently dropped, and no
 * message ever quotes the input (it may hold secret values).
 */
import { parseDocument, type Document, type DocumentOptions, type ParseOptions, type SchemaOptions, type ToJSOptions } from 'yaml';
import type { InputProblem, K8sObject, Origin } from '../../inventory/types.js';
import { splitYamlStream, lineColAt, type RawDocument } from './split.js';

export interface ParseLimits {
  /** Largest number of alias expansions in one document (alias-bomb guard). */
  maxAliasCount: number;
  /** Deepest nesting accepted in one document. */
  maxDepth: number;
}

export const DEFAULT_LIMITS: ParseLimits = { maxAliasCount: 100, maxDepth: 512 };

export interface ParsedObject {
  object: K8sObject;
  origin: Origin;
}

export interface ParseResult {
  objects: ParsedObject[];
  problems: InputProblem[];
  /** How the text was decoded (decides how positions are located later). */
  format: 'json' | 'yaml';
}

/**
 * YAML as the API server reads it: sigs.k8s.io/yaml decodes with go-yaml v2, i.e. YAML 1.1
 * scalars (`yes`/`on`/`y` are booleans, `0777` is octal) and merge keys, but dates stay strings.
 */
export const YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  uniqueKeys: true,
  prettyErrors: false,
  merge: true,
  customTags: (tags) => tags.filter((t) => typeof t === 'string' || t.tag !== 'tag:yaml.org,2002:timestamp'),
};

/** Decode a whole input text. `via` says how the text was produced; `json` forces JSON. */
export function parseManifestText(
  source: string,
  text: string,
  opts: { via?: Origin['via']; json?: boolean; limits?: ParseLimits; badLines?: ReadonlySet<number> } = {},
): ParseResult {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const result: ParseResult = { objects: [], problems: [], format: 'json' };
  const trimmed = text.trimStart();
  const looksJson = opts.json || trimmed.startsWith('{') || trimmed.startsWith('[');
  if (looksJson) {
    const ok = parseJson(source, text, opts.via ?? 'file', limits, result);
    if (ok || opts.json) return result;
    result.problems.length = 0; // not JSON after all: fall back to YAML (JSON-looking flow YAML)
  }
  result.format = 'yaml';
  for (const doc of splitYamlStream(text)) parseYamlDocument(source, doc, opts.via ?? 'file', limits, result, opts.badLines);
  return result;
}

function parseJson(source: string, text: string, via: Origin['via'], limits: ParseLimits, out: ParseResult): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const pos = jsonErrorPosition(err, text);
    out.problems.push({ source, ...pos, code: err instanceof RangeError ? 'too-deep' : 'json-syntax', severity: 'error', message: `invalid JSON: ${cleanJsonMessage(err)}` });
    return false;
  }
  const start = lineColAt(text, text.length - text.trimStart().length);
  addValue(source, value, { source, documentIndex: 0, itemPointer: '', line: start.line, column: start.column, via }, limits, out);
  return true;
}

function parseYamlDocument(source: string, raw: RawDocument, via: Origin['via'], limits: ParseLimits, out: ParseResult, badLines?: ReadonlySet<number>): void {
  const lastLine = raw.line + countLines(raw.text) - 1;
  if (badLines) {
    for (const l of badLines) {
      if (l >= raw.line && l <= lastLine) {
        out.problems.push({ source, line: l, documentIndex: raw.index, code: 'invalid-utf8', severity: 'error', message: `document ${raw.index + 1} (lines ${raw.line}-${lastLine}) contains bytes that are not valid UTF-8 (first at line ${l}); document skipped` });
        return;
      }
    }
  }
  const first = firstContent(raw.text);
  const origin: Origin = { source, documentIndex: raw.index, itemPointer: '', line: raw.line + first.line - 1, column: first.column, via };
  let doc: Document.Parsed;
  let value: unknown;
  try {
    doc = parseDocument(raw.text, YAML_OPTIONS);
    const fatal = doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY');
    for (const e of doc.errors) {
      const where = e.linePos?.[0];
      const line = where ? raw.line + where.line - 1 : origin.line;
      const column = where?.col;
      if (e.code === 'DUPLICATE_KEY') {
        out.problems.push({ source, line, column, documentIndex: raw.index, code: 'duplicate-key', severity: 'warning', message: 'duplicate mapping key; the last value is used, as the API server does' });
      } else if (fatal[0] === e) {
        out.problems.push({ source, line, column, documentIndex: raw.index, code: 'yaml-syntax', severity: 'error', message: `YAML syntax error (${e.code}): ${firstLine(e.message)}; document skipped` });
      }
    }
    if (fatal.length > 0) return;
    const toJs: ToJSOptions = { maxAliasCount: limits.maxAliasCount };
    value = doc.toJS(toJs);
  } catch (err) {
    if (err instanceof RangeError) {
      out.problems.push({ source, line: origin.line, documentIndex: raw.index, code: 'too-deep', severity: 'error', message: 'document is nested too deeply to read; document skipped' });
    } else if (err instanceof ReferenceError || /alias/i.test(String((err as Error).message))) {
      out.problems.push({ source, line: origin.line, documentIndex: raw.index, code: 'alias-limit', severity: 'error', message: `document expands more than ${limits.maxAliasCount} aliases (possible alias bomb); document skipped` });
    } else {
      out.problems.push({ source, line: origin.line, documentIndex: raw.index, code: 'yaml-syntax', severity: 'error', message: `YAML could not be read: ${firstLine((err as Error).message)}; document skipped` });
    }
    return;
  }
  if (value === null || value === undefined) return; // an empty document
  addValue(source, value, origin, limits, out);
}

/** Validates a decoded document (or List item) and adds it, expanding Lists. */
function addValue(source: string, value: unknown, origin: Origin, limits: ParseLimits, out: ParseResult): void {
  const depth = nestingDepth(value, limits.maxDepth);
  if (depth > limits.maxDepth) {
    out.problems.push({ source, line: origin.line, documentIndex: origin.documentIndex, code: 'too-deep', severity: 'error', message: `object is nested more than ${limits.maxDepth} levels deep; skipped` });
    return;
  }
  if (!isPlainObject(value)) {
    out.problems.push({ source, line: origin.line, documentIndex: origin.documentIndex, code: 'not-an-object', severity: 'error', message: `document is ${describe(value)}, not a Kubernetes object; skipped` });
    return;
  }
  const kind = value['kind'];
  const items = value['items'];
  if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(items)) {
    items.forEach((item, i) => {
      const pointer = `${origin.itemPointer}/items/${i}`;
      addObject(source, item, { ...origin, itemPointer: pointer }, out);
    });
    return;
  }
  if (kind === undefined && Array.isArray(items) && value['apiVersion'] === undefined) {
    // a bare {"items": [...]} is not an object kordon can read
    out.problems.push({ source, line: origin.line, documentIndex: origin.documentIndex, code: 'missing-kind', severity: 'error', message: 'document has "items" but no kind; skipped' });
    return;
  }
  addObject(source, value, origin, out);
}

function addObject(source: string, value: unknown, origin: Origin, out: ParseResult): void {
  const where = origin.itemPointer ? ` (${origin.itemPointer})` : '';
  if (!isPlainObject(value)) {
    out.problems.push({ source, line: origin.line, documentIndex: origin.documentIndex, code: 'not-an-object', severity: 'error', message: `item${where} is ${describe(value)}, not a Kubernetes object; skipped` });
    return;
  }
  if (typeof value['kind'] !== 'string' || value['kind'] === '') {
    out.problems.push({ source, line: origin.line, documentIndex: origin.documentIndex, code: 'missing-kind', severity: 'error', message: `object${where} has no kind; skipped` });
    return;
  }
  if (typeof value['apiVersion'] !== 'string' || value['apiVersion'] === '') {
    out.problems.push({ source, line: origin.line, documentIndex: origin.documentIndex, code: 'missing-apiversion', severity: 'error', message: `${value['kind']} object${where} has no apiVersion; skipped` });
    return;
  }
  if (!isPlainObject(value['metadata'])) value['metadata'] = {};
  const meta = value['metadata'] as Record<string, unknown>;
  delete meta['managedFields'];
  if (typeof meta['name'] !== 'string' && typeof meta['generateName'] !== 'string') {
    out.problems.push({ source, line: origin.line, documentIndex: origin.documentIndex, code: 'missing-name', severity: 'warning', message: `${value['kind']} object${where} has no metadata.name; scanned as "<unnamed>"` });
  }
  out.objects.push({ object: value as unknown as K8sObject, origin });
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a sequence';
  return `a ${typeof v === 'object' ? 'non-mapping value' : typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : 'scalar'}`;
}

/** Depth of nesting, measured iteratively, stopping early once past `limit`. */
export function nestingDepth(value: unknown, limit: number): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > max) {
      max = d;
      if (max > limit) return max;
    }
    if (Array.isArray(v)) for (const x of v) stack.push([x, d + 1]);
    else for (const k in v as Record<string, unknown>) stack.push([(v as Record<string, unknown>)[k], d + 1]);
  }
  return max;
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
