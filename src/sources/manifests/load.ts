/**
 * The manifest source: files, directories (recursive), stdin, Helm charts and Kustomize
 * directories. The only code that reads input files. Whatever it cannot read becomes an
 * InputProblem with the source and line; the rest is still read.
 */
import { isUtf8 } from 'node:buffer';
import { accessSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { errnoText } from '../../util/errno.js';
import type { InputProblem, K8sObject, Origin } from '../../inventory/types.js';
import { DEFAULT_LIMITS, parseJsonText, parseManifestText, settleNotKubernetes, startsLikeJson, type ParseLimits, type ParsedObject } from './parse.js';
import { PathFilter } from '../../util/glob.js';
import { JsonWorker, WORKER_MIN_BYTES } from './json-structure.js';
import { TextLocator, type JsonPositions } from './locate.js';
import { decodeYamlTexts, POOL_MIN_BYTES, type YamlInput } from './yaml-pool.js';
import { renderHelmChart, type HelmOptions } from '../helm/render.js';
import { chartHelpers, TemplateMap } from '../helm/template-map.js';
import { buildKustomization, KUSTOMIZATION_FILES, ORIGIN_ANNOTATION, TRANSFORMATIONS_ANNOTATION } from '../kustomize/build.js';
import { getAt, parsePointer } from '../../inventory/pointer.js';
import { load as loadYaml } from 'js-yaml';

export interface LoadOptions {
  /** Largest file read, in bytes (default 256 MiB). */
  maxFileSize?: number;
  limits?: ParseLimits;
  helm?: HelmOptions;
  kustomize?: { binary?: string };
  /** What a path `-` reads (default: process.stdin); bounded by maxFileSize like a file. */
  stdin?: NodeJS.ReadableStream;
  /**
   * The namespace objects without `metadata.namespace` are deployed to (kubectl's and helm's
   * `--namespace`; default `default`). Also the namespace charts are rendered for
   * (`.Release.Namespace`) unless `helm.namespace` says otherwise.
   */
  defaultNamespace?: string;
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
  /** Rendered by helm from this chart; `map` leads back to the template's lines. */
  helm?: { chart: string; map?: TemplateMap };
  /** Built by kustomize from this directory; `originBase`: what origin annotation paths are relative to. */
  kustomize?: { dir: string; originBase?: string };
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
      const max = opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
      const read = await readBounded(opts.stdin ?? process.stdin, max);
      if ('tooLarge' in read) {
        parts.push({ sources: ['<stdin>'], objects: [], problems: [{ source: '<stdin>', code: 'too-large', severity: 'error', message: `standard input is over the ${max}-byte limit (--max-file-size); reading stopped there, nothing of it was scanned` }] });
        continue;
      }
      if ('error' in read) {
        parts.push({ sources: ['<stdin>'], objects: [], problems: [{ source: '<stdin>', code: 'unreadable', severity: 'error', message: `cannot read standard input: ${readErrorText(read.error)}` }] });
        continue;
      }
      ingestBuffer('<stdin>', read.buf, 'stdin', false, opts, parts);
    } else if (t.kind === 'chart') await renderChart(t.dir, opts, parts);
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
    part.problems = settleNotKubernetes(part.yaml!.source, d.objects, d.problems);
    result.locator.addYaml(part.yaml!.source, d.yamlDocs);
    if (part.helm) mapToTemplate(part, d.yamlDocs.length, result.locator);
    if (part.kustomize) mapToResourceFiles(part, result.locator, opts);
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
  const namespace = opts.helm?.namespace ?? opts.defaultNamespace;
  const { templates, problems } = await renderHelmChart(dir, { ...opts.helm, ...(namespace ? { namespace } : {}) });
  parts.push({ sources: [dir], objects: [], problems });
  const helpers = templates.length > 0 ? chartHelpers(dir) : new Map();
  for (const t of templates) {
    ingestText(t.template, t.text, 'helm', false, opts, parts);
    let map: TemplateMap | undefined;
    try {
      // a template of a packaged subchart (charts/x.tgz) is not on disk: its rendered lines stay
      map = new TemplateMap(t.template, readFileSync(t.template, 'utf8'), helpers);
    } catch {
      map = undefined;
    }
    parts[parts.length - 1]!.helm = { chart: dir, ...(map ? { map } : {}) };
  }
}

/**
 * Findings on rendered objects point into the chart (its template, or a helper), and every
 * object and problem says which chart it was rendered from.
 */
function mapToTemplate(part: Part, docCount: number, locator: TextLocator): void {
  const { chart, map } = part.helm!;
  const kinds = new Map<number, { kind: string; sameKind: number }>();
  const seen = new Map<string, number>();
  for (const o of part.objects) {
    o.origin.renderedFrom = chart;
    o.origin.template = o.origin.source;
    if (!kinds.has(o.origin.documentIndex)) {
      const n = seen.get(o.object.kind) ?? 0;
      seen.set(o.object.kind, n + 1);
      kinds.set(o.origin.documentIndex, { kind: o.object.kind, sameKind: n });
    }
  }
  for (const p of part.problems) p.message = `${p.message} (in the output rendered from ${chart})`;
  if (!map) return;
  const docOf = (index: number): { kind: string; sameKind: number } => kinds.get(index) ?? { kind: '', sameKind: 0 };
  for (const o of part.objects) {
    const d = docOf(o.origin.documentIndex);
    const at = map.documentStart(o.origin.documentIndex, docCount, d.kind, d.sameKind);
    o.origin.line = at.line;
    o.origin.column = at.column;
  }
  for (const p of part.problems) {
    if (p.documentIndex === undefined) continue;
    const d = docOf(p.documentIndex);
    const at = map.documentStart(p.documentIndex, docCount, d.kind, d.sameKind);
    p.line = at.line;
    delete p.column;
  }
  locator.addMapped(part.yaml!.source, (origin, pointer) => {
    const d = docOf(origin.documentIndex);
    return map.locate(origin.documentIndex, docCount, d.kind, d.sameKind, origin.itemPointer + pointer);
  });
}

async function renderKustomization(dir: string, opts: LoadOptions, parts: Part[]): Promise<void> {
  const { text, problems, originBase } = await buildKustomization(dir, opts.kustomize);
  parts.push({ sources: [dir], objects: [], problems });
  if (text === undefined) return;
  ingestText(path.join(dir, '<kustomize build>'), text, 'kustomize', false, opts, parts);
  parts[parts.length - 1]!.kustomize = { dir, ...(originBase ? { originBase } : {}) };
}

/**
 * Objects built by kustomize point at the file that defines them (from the origin annotation
 * the build was asked for, which is then removed): the document of that file with the same
 * kind and name, and the field's line there when the file spells it (a field set by a patch or
 * a transformer points at the document). Generated objects point at the kustomization that
 * configures them.
 */
function mapToResourceFiles(part: Part, locator: TextLocator, opts: LoadOptions): void {
  const { dir, originBase } = part.kustomize!;
  const files = new Map<string, unknown>();
  const patched = new Map<string, { object: K8sObject; written: unknown; patches: PatchRef[] }>();
  const generatedIn = new Set<string>();
  const docsOf = (file: string): FileDoc[] | undefined => {
    if (files.has(file)) return files.get(file) as FileDoc[] | undefined;
    let docs: FileDoc[] | undefined;
    try {
      const text = readFileSync(file, 'utf8');
      const parsed = parseManifestText(file, text, { limits: opts.limits ?? DEFAULT_LIMITS });
      docs = parsed.objects.filter((o) => o.origin.itemPointer === '').map((o) => ({ kind: o.object.kind, name: String(o.object.metadata.name ?? ''), index: o.origin.documentIndex, line: o.origin.line, column: o.origin.column, value: o.object }));
      locator.addYaml(file, parsed.yamlDocs ?? []);
    } catch {
      docs = undefined;
    }
    files.set(file, docs);
    return docs;
  };
  for (const o of part.objects) {
    o.origin.renderedFrom = dir;
    const annotations = o.object.metadata.annotations;
    const raw = annotations?.[ORIGIN_ANNOTATION];
    if (typeof raw !== 'string' || !originBase) continue;
    delete annotations![ORIGIN_ANNOTATION];
    let transformations: unknown;
    const rawTransformations = annotations![TRANSFORMATIONS_ANNOTATION];
    if (typeof rawTransformations === 'string') {
      delete annotations![TRANSFORMATIONS_ANNOTATION];
      try {
        transformations = loadYaml(rawTransformations);
      } catch {
        transformations = undefined;
      }
    }
    if (Object.keys(annotations!).length === 0) delete o.object.metadata.annotations;
    let origin: { path?: unknown; repo?: unknown; configuredIn?: unknown };
    try {
      origin = (loadYaml(raw) ?? {}) as typeof origin;
    } catch {
      continue;
    }
    if (typeof origin.repo === 'string') continue; // a remote base: no file here to point at
    const rel = typeof origin.path === 'string' ? origin.path : typeof origin.configuredIn === 'string' ? origin.configuredIn : undefined;
    if (!rel) continue;
    const file = path.normalize(path.join(dir, path.relative(path.resolve(dir), path.resolve(originBase, rel))));
    const docs = docsOf(file);
    if (!docs) continue;
    if (typeof origin.path !== 'string') {
      // a generated object: the kustomization that configures the generator, at the generator's name
      let line = 1;
      let column = 1;
      try {
        const lines = readFileSync(file, 'utf8').split('\n');
        const name = String(o.object.metadata.name ?? '');
        // the generator's name is the longest `name:` the generated name contains (prefixes and hash aside)
        let at = -1;
        let longest = 0;
        lines.forEach((l, i) => {
          const m = /^\s*-?\s*name:\s*["']?([^"'\s#]+)/.exec(l);
          if (m && name.includes(m[1]!) && m[1]!.length > longest) {
            longest = m[1]!.length;
            at = i;
          }
        });
        if (at >= 0) {
          line = at + 1;
          column = lines[at]!.indexOf('name:') + 1;
        }
      } catch {
        // the kustomization's first line
      }
      o.origin = { ...o.origin, source: file, documentIndex: 0, itemPointer: '', line, column };
      if (!generatedIn.has(file)) {
        generatedIn.add(file);
        // the kustomization does not spell the generated object's fields: its generator's line
        locator.addMapped(file, (origin) => (origin.via === 'kustomize' ? { source: origin.source, line: origin.line, column: origin.column } : undefined));
      }
      continue;
    }
    const name = String(o.object.metadata.name ?? '');
    const sameKind = docs.filter((d) => d.kind === o.object.kind);
    const doc = sameKind.find((d) => d.name === name) ?? sameKind.find((d) => d.name !== '' && name.includes(d.name)) ?? (sameKind.length === 1 ? sameKind[0] : undefined);
    if (!doc) continue;
    o.origin = { ...o.origin, source: file, documentIndex: doc.index, itemPointer: '', line: doc.line, column: doc.column };
    const patches = patchesOf(transformations, originBase, dir, o.object, files, docsOf);
    if (patches.length > 0) patched.set(`${file}\u0000${doc.index}`, { object: o.object, written: doc.value, patches });
  }
  // a field the resource file does not spell as built (a patch set or changed it): the patch's line
  for (const file of new Set([...patched.keys()].map((k) => k.slice(0, k.indexOf('\u0000'))))) {
    locator.addMapped(file, (origin, pointer) => {
      if (origin.renderedFrom !== dir) return undefined;
      const entry = patched.get(`${file}\u0000${origin.documentIndex}`);
      if (!entry) return undefined;
      // written in the resource file: a mapping or list defined there (a patch may add to it), or the same value
      const written = getAt(entry.written, pointer);
      if (written !== undefined && (typeof written === 'object' || sameValue(written, getAt(entry.object, pointer)))) return undefined;
      const writtenDepth = existingDepth(entry.written, pointer);
      for (const patch of entry.patches) {
        if (patch.kind === 'merge') {
          // the patch spells the field, or more of the way to it than the resource file does
          if (getAt(patch.value, pointer) === undefined && existingDepth(patch.value, pointer) <= writtenDepth) continue;
          const p = locator.locateInText({ source: patch.file, documentIndex: patch.index, itemPointer: '', line: 1, column: 1 }, pointer);
          if (p) return { source: patch.file, ...p };
        } else {
          const op = patch.ops.find((x) => pointer === x.path || pointer.startsWith(`${x.path}/`));
          if (op) return { source: patch.file, line: op.line, column: op.column };
        }
      }
      return undefined;
    });
  }
}

type PatchRef = { kind: 'merge'; file: string; index: number; value: unknown } | { kind: 'json6902'; file: string; ops: Array<{ path: string; line: number; column: number }> };
type FileDoc = { kind: string; name: string; index: number; line: number; column: number; value: unknown };

/** How many leading segments of a pointer exist in a value. */
function existingDepth(value: unknown, pointer: string): number {
  let n = 0;
  let v = value;
  for (const seg of parsePointer(pointer)) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, seg)) break;
    v = (v as Record<string, unknown>)[seg];
    n++;
  }
  return n;
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b));
}

/**
 * The patches of the kustomizations that transformed an object (from its transformations
 * annotation): strategic-merge patch documents for the same kind and name, and JSON 6902
 * operations (in a file, or inline in the kustomization) whose target matches its kind.
 */
function patchesOf(transformations: unknown, originBase: string, dir: string, object: K8sObject, files: Map<string, unknown>, docsOf: (file: string) => FileDoc[] | undefined): PatchRef[] {
  if (!Array.isArray(transformations)) return [];
  const out: PatchRef[] = [];
  const kustomizations = new Set<string>();
  const namespaced = new Set<string>();
  for (const t of transformations as Array<{ configuredIn?: unknown; configuredBy?: { kind?: unknown } }>) {
    const by = String(t?.configuredBy?.kind ?? '');
    if (typeof t?.configuredIn !== 'string' || (!/^Patch/.test(by) && by !== 'NamespaceTransformer')) continue;
    const kfile = path.normalize(path.join(dir, path.relative(path.resolve(dir), path.resolve(originBase, t.configuredIn))));
    (by === 'NamespaceTransformer' ? namespaced : kustomizations).add(kfile);
  }
  // the namespace a kustomization sets (`namespace: prod`): its line
  for (const kfile of namespaced) {
    try {
      const lines = readFileSync(kfile, 'utf8').split('\n');
      const at = lines.findIndex((l) => /^namespace\s*:/.test(l));
      if (at >= 0) out.push({ kind: 'json6902', file: kfile, ops: [{ path: '/metadata/namespace', line: at + 1, column: 1 }] });
    } catch {
      // unreadable: the resource file's line stays
    }
  }
  for (const kfile of kustomizations) {
    let k: Record<string, unknown>;
    let ktext: string;
    try {
      ktext = readFileSync(kfile, 'utf8');
      k = (loadYaml(ktext) ?? {}) as Record<string, unknown>;
    } catch {
      continue;
    }
    const kdir = path.dirname(kfile);
    const entries: Array<{ path?: string; inline?: string; target?: { kind?: unknown; name?: unknown } }> = [];
    for (const p of Array.isArray(k['patches']) ? (k['patches'] as Array<Record<string, unknown>>) : []) {
      if (typeof p?.['path'] === 'string') entries.push({ path: p['path'], target: p['target'] as never });
      else if (typeof p?.['patch'] === 'string') entries.push({ inline: p['patch'], target: p['target'] as never });
    }
    for (const p of Array.isArray(k['patchesStrategicMerge']) ? (k['patchesStrategicMerge'] as unknown[]) : []) if (typeof p === 'string' && !p.includes('\n')) entries.push({ path: p });
    for (const p of Array.isArray(k['patchesJson6902']) ? (k['patchesJson6902'] as Array<Record<string, unknown>>) : []) if (typeof p?.['path'] === 'string') entries.push({ path: p['path'], target: p['target'] as never });
    for (const e of entries) {
      if (e.target && typeof e.target.kind === 'string' && e.target.kind !== object.kind) continue;
      if (e.path) {
        const file = path.join(kdir, e.path);
        const docs = docsOf(file);
        const merge = docs?.find((d) => d.kind === object.kind && (d.name === '' || String(object.metadata.name ?? '').includes(d.name)));
        if (merge) out.push({ kind: 'merge', file, index: merge.index, value: merge.value });
        else {
          const ops = json6902Ops(file, files);
          if (ops.length > 0) out.push({ kind: 'json6902', file, ops });
        }
      } else if (e.inline) {
        // an inline JSON 6902 patch: the kustomization's line that names the path
        const ops: Array<{ path: string; line: number; column: number }> = [];
        const lines = ktext.split('\n');
        for (const m of e.inline.matchAll(/path:\s*["']?(\/[^\s"']*)/g)) {
          const at = lines.findIndex((l) => l.includes(m[0]));
          if (at >= 0) ops.push({ path: m[1]!, line: at + 1, column: lines[at]!.indexOf('path:') + 1 });
        }
        if (ops.length > 0) out.push({ kind: 'json6902', file: kfile, ops });
      }
    }
  }
  return out;
}

/** The operations of a JSON 6902 patch file (YAML or JSON list of `{op, path, value}`), with their lines. */
function json6902Ops(file: string, cache: Map<string, unknown>): Array<{ path: string; line: number; column: number }> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  cache.set(`json6902:${file}`, true);
  const lines = text.split('\n');
  const ops: Array<{ path: string; line: number; column: number }> = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /["']?path["']?\s*:\s*["']?(\/[^\s"',}]*)/.exec(lines[i]!);
    if (m) ops.push({ path: m[1]!, line: i + 1, column: m.index + 1 });
  }
  return ops;
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

/**
 * Reads a stream up to `max` bytes: past it, reading stops (the stream is destroyed, so an
 * endless producer such as `cat /dev/zero` is not drained) and nothing is kept.
 */
export async function readBounded(stream: NodeJS.ReadableStream, max: number): Promise<{ buf: Buffer } | { tooLarge: true } | { error: unknown }> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const c of stream) {
      const b = typeof c === 'string' ? Buffer.from(c) : (c as Buffer);
      size += b.length;
      if (size > max) {
        chunks.length = 0;
        (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
        return { tooLarge: true };
      }
      chunks.push(b);
    }
  } catch (error) {
    return { error };
  }
  return { buf: Buffer.concat(chunks, size) };
}
