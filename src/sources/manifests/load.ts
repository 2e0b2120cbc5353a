/**
 * The manifest source: files, directories (recursive), stdin, Helm charts and Kustomize
 * directories. The only code that reads input files. Whatever it cannot read becomes an
 * InputProblem with the source and line; the rest is still read.
 */
import { isUtf8 } from 'node:buffer';
import { accessSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { errnoText } from '../../util/errno.js';
import { PathFilter } from '../../util/glob.js';
import type { InputProblem, Origin } from '../../inventory/types.js';
import { DEFAULT_LIMITS, parseJsonText, startsLikeJson, type ParseLimits, type ParsedObject } from './parse.js';
import { JsonWorker, WORKER_MIN_BYTES } from './json-structure.js';
import { TextLocator, type JsonPositions } from './locate.js';
import { decodeYamlTexts, POOL_MIN_BYTES, type YamlInput } from './yaml-pool.js';
import { renderHelmChart, type HelmOptions } from '../helm/render.js';
import { buildKustomization, KUSTOMIZATION_FILES } from '../kustomize/build.js';

export interface LoadOptions {
  /** Largest file read, in bytes (default 256 MiB). */
  maxFileSize?: number;
  limits?: ParseLimits;
  helm?: HelmOptions;
  kustomize?: { binary?: string };
  /** Reads standard input when a path is `-`. */
  readStdin?: () => Promise<Buffer>;
  /**
   * Fewest bytes of YAML in all for which a second thread decodes half of the documents
   * (default 2 MiB; Infinity keeps everything on this thread).
   */
  yamlThreadMinBytes?: number;
  /**
   * Globs of files and directories not read while walking directories (src/util/glob.ts); paths
   * named explicitly are always read.
   */
  exclude?: readonly string[];
  /**
   * The namespace of namespaced objects whose manifest names none (what `kubectl apply -n`
   * gives them; default `default`); also the release namespace of charts unless `helm.namespace`
   * says otherwise.
   */
  defaultNamespace?: string;
  /** Called as inputs are read (files, charts, kustomizations, stdin), for progress on a terminal. */
  onProgress?: (p: LoadProgress) => void;
}

export interface LoadProgress {
  /** Inputs read so far, and in all. */
  done: number;
  total: number;
  /**
   * What is being read now (a file, a chart or kustomization directory, `<stdin>`), or the phase
   * after reading: `decoding` (done = total = inputs) and, from scanPaths, `analysing` (done =
   * total = objects).
   */
  current: string;
}

export interface LoadResult {
  objects: ParsedObject[];
  problems: InputProblem[];
  locator: TextLocator;
  /** Every source that was read, in order. */
  sources: string[];
}

export const DEFAULT_MAX_FILE_SIZE = 256 * 1024 * 1024;
const MANIFEST_EXT = new Set(['.yaml', '.yml', '.json']);

/** Work found by walking the inputs, done in input order (so results are deterministic). */
type Task = { kind: 'file'; path: string } | { kind: 'stdin' } | { kind: 'chart'; dir: string } | { kind: 'kustomize'; dir: string };

/**
 * File system calls are synchronous: a scan reads local files one after the other, and with
 * thousands of small manifests the promise round trips of the async API cost more than the reads.
 */
function readFileOrError(p: string): Buffer | NodeJS.ErrnoException {
  try {
    return readFileSync(p);
  } catch (err) {
    return err as NodeJS.ErrnoException;
  }
}

/**
 * What one input text (or an input that could not be read) adds to the result. Parts are
 * kept in input order until their YAML is decoded (on two threads), then merged in order.
 */
interface Part {
  sources: string[];
  objects: ParsedObject[];
  problems: InputProblem[];
  json?: { source: string; index: string | JsonPositions };
  yaml?: YamlInput;
}

export async function loadManifests(paths: string[], opts: LoadOptions = {}): Promise<LoadResult> {
  const result: LoadResult = { objects: [], problems: [], locator: new TextLocator(), sources: [] };
  const seen = new Set<string>();
  const tasks: Task[] = [];
  for (const p of paths) {
    if (p === '-') tasks.push({ kind: 'stdin' });
    else await visit(p, true, opts, result, seen, tasks);
  }
  const parts: Part[] = [];
  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i]!;
    opts.onProgress?.({ done: i, total: tasks.length, current: t.kind === 'stdin' ? '<stdin>' : t.kind === 'file' ? t.path : t.dir });
    if (t.kind === 'stdin') {
      const buf = opts.readStdin ? await opts.readStdin() : await readAll(process.stdin);
      ingestBuffer('<stdin>', buf, 'stdin', false, opts, parts);
    } else if (t.kind === 'chart') await renderChart(t.dir, opts.defaultNamespace && !opts.helm?.namespace ? { ...opts, helm: { ...opts.helm, namespace: opts.defaultNamespace } } : opts, parts);
    else if (t.kind === 'kustomize') await renderKustomization(t.dir, opts, parts);
    else {
      const got = readFileOrError(t.path);
      if (!Buffer.isBuffer(got)) {
        parts.push({ sources: [], objects: [], problems: [{ source: t.path, code: 'unreadable', severity: 'error', message: `cannot read ${t.path}: ${readErrorText(got)}` }] });
        continue;
      }
      ingestBuffer(t.path, got, 'file', path.extname(t.path).toLowerCase() === '.json', opts, parts);
    }
  }
  opts.onProgress?.({ done: tasks.length, total: tasks.length, current: 'decoding' });
  const yamlParts = parts.filter((p) => p.yaml);
  const decoded = await decodeYamlTexts(
    yamlParts.map((p) => p.yaml!),
    opts.limits ?? DEFAULT_LIMITS,
    { minBytes: opts.yamlThreadMinBytes ?? POOL_MIN_BYTES },
  );
  for (let i = 0; i < yamlParts.length; i++) {
    const part = yamlParts[i]!;
    const d = decoded[i]!;
    part.objects = d.objects;
    part.problems = d.problems;
    result.locator.addYaml(part.yaml!.source, d.yamlDocs);
  }
  for (const part of parts) {
    for (const s of part.sources) result.sources.push(s);
    for (const o of part.objects) result.objects.push(o);
    for (const p of part.problems) result.problems.push(p);
    if (part.json) result.locator.addJson(part.json.source, part.json.index);
  }
  return result;
}

const filters = new WeakMap<readonly string[], PathFilter>();
function excludeFilter(patterns: readonly string[]): PathFilter {
  let f = filters.get(patterns);
  if (!f) filters.set(patterns, (f = new PathFilter(patterns)));
  return f;
}

async function visit(p: string, explicit: boolean, opts: LoadOptions, out: LoadResult, seen: Set<string>, tasks: Task[]): Promise<void> {
  let st;
  try {
    st = statSync(p);
  } catch (err) {
    out.problems.push({ source: p, code: 'unreadable', severity: 'error', message: `cannot read ${p}: ${readErrorText(err)}` });
    return;
  }
  // symlink loops and paths given twice: the same file or directory is read once
  const identity = `${st.dev}:${st.ino}`;
  if (seen.has(identity)) return;
  seen.add(identity);
  if (st.isDirectory()) {
    if (await exists(path.join(p, 'Chart.yaml'))) {
      tasks.push({ kind: 'chart', dir: p });
      return;
    }
    for (const f of KUSTOMIZATION_FILES) {
      if (await exists(path.join(p, f))) {
        tasks.push({ kind: 'kustomize', dir: p });
        return;
      }
    }
    let entries;
    try {
      entries = readdirSync(p, { withFileTypes: true });
    } catch (err) {
      out.problems.push({ source: p, code: 'unreadable', severity: 'error', message: `cannot list ${p}: ${readErrorText(err)}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const filter = opts.exclude?.length ? excludeFilter(opts.exclude) : undefined;
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const child = path.join(p, e.name);
      if (filter?.excludes(child)) continue;
      if (e.isDirectory() || e.isSymbolicLink()) await visit(child, false, opts, out, seen, tasks);
      else if (MANIFEST_EXT.has(path.extname(e.name).toLowerCase())) await visit(child, false, opts, out, seen, tasks);
    }
    return;
  }
  if (!st.isFile()) {
    // never opened: reading a FIFO or a device could block or never end
    if (explicit) out.problems.push({ source: p, code: 'unreadable', severity: 'error', message: `${p} is not a regular file or directory` });
    else if (MANIFEST_EXT.has(path.extname(p).toLowerCase())) out.problems.push({ source: p, code: 'unreadable', severity: 'warning', message: `${p} is not a regular file; skipped` });
    return;
  }
  if (!explicit && !MANIFEST_EXT.has(path.extname(p).toLowerCase())) return;
  const max = opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  if (st.size > max) {
    out.problems.push({ source: p, code: 'too-large', severity: 'error', message: `${p} is ${st.size} bytes, over the ${max}-byte limit (--max-file-size); file skipped` });
    return;
  }
  tasks.push({ kind: 'file', path: p });
}

/** Decodes bytes (UTF-8, BOM allowed) and parses them; invalid bytes skip only their documents. */
function ingestBuffer(source: string, buf: Buffer, via: Origin['via'], json: boolean, opts: LoadOptions, parts: Part[]): void {
  const bad = invalidUtf8Lines(buf);
  let text = buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (bad.size > 0 && json) {
    let first = Infinity;
    for (const l of bad) if (l < first) first = l; // (no spread: a binary file has millions)
    parts.push({ sources: [source], objects: [], problems: [{ source, line: first, code: 'invalid-utf8', severity: 'error', message: `${source} contains bytes that are not valid UTF-8 (first at line ${first}); file skipped` }] });
    return;
  }
  // a large JSON text: its position tables are built from the bytes on another thread while
  // this one decodes (only for ASCII, where byte offsets are character offsets)
  const tables = buf.length >= WORKER_MIN_BYTES && bad.size === 0 && text.length === buf.length && (json || startsLikeJson(text)) ? JsonWorker.start(buf) : undefined;
  ingestText(source, text, via, json, opts, parts, bad, tables);
  parts[parts.length - 1]!.sources.push(source);
}

/** JSON is decoded at once; YAML is set aside to be decoded with all the others. */
function ingestText(source: string, text: string, via: Origin['via'], json: boolean, opts: LoadOptions, parts: Part[], badLines?: ReadonlySet<number>, jsonTables?: JsonWorker): void {
  const parsed = parseJsonText(source, text, { via, json, limits: opts.limits ?? DEFAULT_LIMITS, badLines, jsonTables });
  if (parsed) parts.push({ sources: [], objects: parsed.objects, problems: parsed.problems, json: { source, index: parsed.jsonIndex ?? text } });
  else parts.push({ sources: [], objects: [], problems: [], yaml: { source, text, via, ...(badLines ? { badLines } : {}) } });
}

async function renderChart(dir: string, opts: LoadOptions, parts: Part[]): Promise<void> {
  const { templates, problems } = await renderHelmChart(dir, opts.helm);
  parts.push({ sources: [], objects: [], problems });
  for (const t of templates) ingestText(t.template, t.text, 'helm', false, opts, parts);
}

async function renderKustomization(dir: string, opts: LoadOptions, parts: Part[]): Promise<void> {
  const { text, problems } = await buildKustomization(dir, opts.kustomize);
  parts.push({ sources: [], objects: [], problems });
  if (text !== undefined) ingestText(path.join(dir, '<kustomize build>'), text, 'kustomize', false, opts, parts);
}

/** 1-based lines that hold bytes which are not valid UTF-8. */
export function invalidUtf8Lines(buf: Buffer): Set<number> {
  const lines = new Set<number>();
  if (isUtf8(buf)) return lines; // fast path, no copy: most inputs are valid
  let line = 1;
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    if (b === 0x0a) {
      line++;
      i++;
      continue;
    }
    if (b < 0x80) {
      i++;
      continue;
    }
    let need = 0;
    let min = 0;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      lines.add(line);
      i++;
      continue;
    }
    let cp = b & (0x3f >> need);
    let ok = i + need < buf.length;
    for (let k = 1; ok && k <= need; k++) {
      const c = buf[i + k]!;
      if ((c & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (c & 0x3f);
    }
    if (!ok || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      lines.add(line);
      i++;
      continue;
    }
    i += need + 1;
  }
  return lines;
}

async function exists(p: string): Promise<boolean> {
  try {
    accessSync(p);
    return true;
  } catch {
    return false;
  }
}

/** An errno's words, or (for an error without one) its message: these are local file errors. */
function readErrorText(err: unknown): string {
  return errnoText(err) ?? String((err as Error | undefined)?.message ?? err);
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks);
}
