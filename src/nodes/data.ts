/**
 * kordon's curated, dated data about nodes (data/ in the package): Kubernetes vulnerabilities in
 * OSV form, container-escape vulnerabilities of runtimes, runc and kernels, and end-of-life dates.
 * Each file says when it was updated and where its facts come from. `KORDON_DATA_DIR` (or
 * `kordon node --data-dir`) names a folder with newer files of the same names and shapes, which
 * replace the shipped ones (a file missing there keeps the shipped one).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { builtin } from '../util/builtins.js';
import type { RangeEvents } from './versions.js';

export interface OsvEntry {
  id: string;
  summary: string;
  details?: string;
  affected: Array<{ package: { ecosystem: string; name: string }; ranges: Array<{ type: string; events: RangeEvents }>; database_specific?: { platform?: string } }>;
  severity?: Array<{ type: string; score: string }>;
  database_specific?: { cvss_rating?: string; cvss_score?: number };
}
export interface KubernetesVulnerabilities {
  updated: string;
  source: string;
  vulnerabilities: OsvEntry[];
}
export interface RuntimeEscape {
  id: string;
  runtime: string;
  summary: string;
  escape: boolean;
  condition?: string;
  bundled?: string;
  ranges: RangeEvents[];
}
export interface KernelEscape {
  id: string;
  name?: string;
  summary: string;
  escape: boolean;
  introduced: string;
  fixed: string[];
}
export interface EscapeVulnerabilities {
  updated: string;
  source: string;
  runtimes: RuntimeEscape[];
  runc: Array<Omit<RuntimeEscape, 'runtime'>>;
  kernels: KernelEscape[];
}
export interface EndOfLife {
  updated: string;
  source: string;
  kubernetes: Array<{ minor: string; released: string; eol: string; estimated?: boolean }>;
  operatingSystems: Array<{ match: string; name: string; eol: string }>;
}

export interface NodeData {
  kubernetes: KubernetesVulnerabilities;
  escapes: EscapeVulnerabilities;
  endOfLife: EndOfLife;
  /** The oldest `updated` of the three files (YYYY-MM-DD). */
  updated: string;
  /** Where each file was read from. */
  files: string[];
}

export class DataError extends Error {}

const FILES = { kubernetes: 'kubernetes-cves.osv.json', escapes: 'escape-cves.json', endOfLife: 'end-of-life.json' } as const;

/** The package's data/ folder: found upward from this module (src/nodes, dist/nodes or dist/bundle). */
export function shippedDataDir(): string {
  let dir = path.dirname(builtin('url').fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'data');
    if (existsSync(path.join(candidate, FILES.kubernetes))) return candidate;
    dir = path.dirname(dir);
  }
  throw new DataError(`kordon's data folder (data/${FILES.kubernetes}) was not found above ${path.dirname(builtin('url').fileURLToPath(import.meta.url))}`);
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function readJson(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new DataError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new DataError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (!isObj(v)) throw new DataError(`${file}: the top level is not an object`);
  if (typeof v['updated'] !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v['updated'])) throw new DataError(`${file}: "updated" must be a date (YYYY-MM-DD)`);
  return v;
}

function need(file: string, v: Record<string, unknown>, keys: string[]): void {
  for (const k of keys) if (!Array.isArray(v[k])) throw new DataError(`${file}: "${k}" must be a list`);
}

/** Reads the three files: from `dir` where it has them, else the shipped ones. */
export function loadNodeData(dir?: string): NodeData {
  const shipped = shippedDataDir();
  const pick = (name: string): string => (dir && existsSync(path.join(dir, name)) ? path.join(dir, name) : path.join(shipped, name));
  if (dir && !Object.values(FILES).some((f) => existsSync(path.join(dir, f)))) throw new DataError(`${dir} holds none of ${Object.values(FILES).join(', ')}`);
  const kf = pick(FILES.kubernetes);
  const ef = pick(FILES.escapes);
  const lf = pick(FILES.endOfLife);
  const k = readJson(kf);
  need(kf, k, ['vulnerabilities']);
  for (const [i, v] of (k['vulnerabilities'] as unknown[]).entries()) {
    if (!isObj(v) || typeof v['id'] !== 'string' || !Array.isArray(v['affected'])) throw new DataError(`${kf}: vulnerabilities[${i}] is not an OSV entry (id and affected)`);
  }
  const e = readJson(ef);
  need(ef, e, ['runtimes', 'runc', 'kernels']);
  const l = readJson(lf);
  need(lf, l, ['kubernetes', 'operatingSystems']);
  const dates = [k['updated'], e['updated'], l['updated']] as string[];
  return {
    kubernetes: k as unknown as KubernetesVulnerabilities,
    escapes: e as unknown as EscapeVulnerabilities,
    endOfLife: l as unknown as EndOfLife,
    updated: dates.sort()[0]!,
    files: [kf, ef, lf],
  };
}

let current: NodeData | undefined;

/** The data the controls use: KORDON_DATA_DIR's files, else the shipped ones (read once). */
export function nodeData(): NodeData {
  current ??= loadNodeData(process.env['KORDON_DATA_DIR'] || undefined);
  return current;
}

/** Replaces the data for this process (`--data-dir`). */
export function useNodeData(d: NodeData): void {
  current = d;
}

/** Whole days from the data's date to `now`. */
export function dataAgeDays(d: NodeData, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(`${d.updated}T00:00:00Z`)) / 86_400_000));
}
