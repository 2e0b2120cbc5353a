/**
 * Reading and checking a config file: YAML → ConfigSchema, every problem at once with the
 * file, line and column of the key or value at fault; relative paths resolved against the
 * file's directory. docs/config.md is the user's description.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { ExceptionRule } from '../engine/exceptions.js';
import { ConfigSchema, type KordonConfig } from './schema.js';
import { checkOne, formatLoadProblem, type CustomControlSpec, type LoadProblem } from '../controls/custom/definition.js';

/** A config file's settings, paths made usable from the working directory. */
export interface ResolvedConfig {
  file: string;
  settings: KordonConfig;
  /** `ignores`, as exceptions rules whose source is the config file. */
  ignores: Array<{ rule: ExceptionRule; source: string }>;
  /** `exceptions` and `helm.values`, relative to the working directory. */
  exceptionFiles: string[];
  helmValues: string[];
  /** `exclude`, patterns with a `/` made absolute (they are relative to the config file). */
  exclude: string[];
  /** `customControls`, checked (every expression compiled), with their line in the file. */
  customControls: Array<{ spec: CustomControlSpec; file: string; line: number }>;
  /** `controlsDirs` and `plugins`, relative to the working directory. */
  controlsDirs: string[];
  plugins: string[];
}

export async function loadConfigFile(file: string, cwd: string = process.cwd()): Promise<{ config?: ResolvedConfig; errors: string[] }> {
  let text: string;
  try {
    text = await fs.readFile(path.resolve(cwd, file), 'utf8');
  } catch (err) {
    return { errors: [`${file}: cannot read the config file (${(err as NodeJS.ErrnoException).code ?? 'error'})`] };
  }
  return parseConfig(file, text, cwd);
}

/** Parses and checks config text; never throws. */
export function parseConfig(file: string, text: string, cwd: string = process.cwd()): { config?: ResolvedConfig; errors: string[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const at = (offset: number | undefined): string => {
    if (offset === undefined) return file;
    const p = lines.linePos(offset);
    return `${file}:${p.line}:${p.col}`;
  };
  if (doc.errors.length > 0) {
    return { errors: doc.errors.map((e) => `${at(e.pos[0])}: not valid YAML: ${e.message.split('\n')[0]}`) };
  }
  const data = doc.toJS({ maxAliasCount: 100 }) ?? {};
  const r = ConfigSchema.safeParse(data);
  if (!r.success) {
    const found: Array<{ offset: number; text: string }> = [];
    const add = (offset: number | undefined, text: string): void => void found.push({ offset: offset ?? -1, text: `${at(offset)}: ${text}` });
    for (const issue of r.error.issues) {
      const where = issue.path.map((k) => (typeof k === 'symbol' ? String(k) : k));
      const name = where.length ? where.join('.') : '(root)';
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) add(keyOffset(doc, where, key), `${[...where, key].join('.')}: unknown key "${key}"`);
      } else if (issue.code === 'invalid_type' && doc.getIn(where, true) === undefined && where.length > 0) {
        add(valueOffset(doc, where), `${name}: is required (${issue.expected})`);
      } else add(valueOffset(doc, where), `${name}: ${issue.message}`);
    }
    // in the order of the file
    found.sort((a, b) => a.offset - b.offset);
    return { errors: found.map((f) => f.text) };
  }
  const settings = r.data;
  const customProblems: LoadProblem[] = [];
  const customControls: ResolvedConfig['customControls'] = [];
  const raw = (data as { customControls?: unknown[] }).customControls ?? [];
  raw.forEach((value, i) => checkOne(doc, lines, file, value, ['customControls', i], customProblems, customControls));
  if (customProblems.length) return { errors: customProblems.map(formatLoadProblem) };
  const dir = path.dirname(path.resolve(cwd, file));
  const fromHere = (p: string): string => {
    const rel = path.relative(cwd, path.resolve(dir, p));
    return rel === '' ? '.' : rel;
  };
  return {
    errors: [],
    config: {
      file,
      settings,
      ignores: (settings.ignores ?? []).map((rule) => ({ rule, source: file })),
      exceptionFiles: (settings.exceptions ?? []).map(fromHere),
      helmValues: (settings.helm?.values ?? []).map(fromHere),
      exclude: (settings.exclude ?? []).map((g) => (g.replace(/\/+$/, '').includes('/') && !path.isAbsolute(g) ? path.join(dir, g.replace(/^\.\/+/, '')) : g)),
      customControls,
      controlsDirs: (settings.controlsDirs ?? []).map(fromHere),
      plugins: (settings.plugins ?? []).map(fromHere),
    },
  };
}

/** The offset of the node at a path, or of its nearest ancestor that exists. */
function valueOffset(doc: Document, where: Array<string | number>): number | undefined {
  for (let n = where.length; n >= 0; n--) {
    const node = doc.getIn(where.slice(0, n), true) as Node | undefined;
    if (node && typeof node === 'object' && 'range' in node && node.range) return node.range[0];
    if (n === 0) return (doc.contents as Node | null)?.range?.[0];
  }
  return undefined;
}

/** The offset of a key in the map at a path. */
function keyOffset(doc: Document, where: Array<string | number>, key: string): number | undefined {
  const node = where.length ? doc.getIn(where, true) : doc.contents;
  if (isMap(node)) {
    for (const item of node.items) {
      if (isPair(item) && isScalar(item.key) && String(item.key.value) === key) return item.key.range?.[0];
    }
  }
  if (isSeq(node) || isMap(node)) return node.range?.[0];
  return valueOffset(doc, where);
}
