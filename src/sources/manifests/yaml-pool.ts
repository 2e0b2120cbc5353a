/**
 * YAML decoding on two threads. Decoding YAML with positions runs at about 2 MiB/s on one
 * core and is most of a scan's time for YAML inputs, while the documents of a stream are
 * independent. So the documents of all YAML texts of a scan are cut into chunks (runs of
 * whole documents of one text), and this thread and a second one take the next chunk from a
 * shared counter until none is left: the split follows whichever thread is faster at the
 * moment. Each chunk's objects, problems and position tables come back in input order, so
 * the result is the same, byte for byte, as decoding everything here.
 *
 * If the second thread cannot start or dies, this thread decodes whatever it did not deliver.
 */
import type { Worker } from 'node:worker_threads';
import { builtin } from '../../util/builtins.js';
import type { InputProblem, Origin } from '../../inventory/types.js';
import { KEEP_POSITIONS_BELOW, parseYamlDocument, type ParseLimits, type ParsedObject } from './parse.js';
import type { FastYamlIndex } from './fast-yaml.js';
import { splitYamlStream, type RawDocument } from './split.js';
import { YamlDocIndex, YamlEventTable } from './yaml-events.js';

/** One YAML text to decode. */
export interface YamlInput {
  source: string;
  text: string;
  via: Origin['via'];
  /** 1-based lines holding bytes that are not valid UTF-8 (their documents are skipped). */
  badLines?: ReadonlySet<number>;
}

/** What one text decodes to, as parseManifestText gives it. */
export interface YamlOutput {
  objects: ParsedObject[];
  problems: InputProblem[];
  yamlDocs: Array<{ raw: RawDocument; index?: YamlDocIndex | FastYamlIndex }>;
}

/** Below this many bytes of YAML in all, a second thread costs more than it saves. */
export const POOL_MIN_BYTES = 2 * 1024 * 1024;
/** About this many characters of documents make a chunk (a few hundred objects). */
const CHUNK_CHARS = 64 * 1024;

/** What the other thread is given. */
export interface PoolWork {
  inputs: Array<{ source: string; text: string; via: Origin['via']; badLines?: number[] }>;
  /** Chunks as triples: input index, first document, document after the last. */
  chunks: Int32Array;
  /** Slot 0: the next chunk to take (shared memory). */
  counter: Int32Array;
  limits: ParseLimits;
}

/** One chunk's result as it crosses threads: position tables travel as their raw data. */
export interface ChunkMessage {
  chunk: number;
  objects: ParsedObject[];
  problems: InputProblem[];
  tables: Array<Int32Array | null>;
}

type ChunkResult = { objects: ParsedObject[]; problems: InputProblem[]; indexes: Array<YamlDocIndex | FastYamlIndex | undefined> };

/** Decodes documents `from` to `to` (exclusive) of one text. Used by both threads. */
export function decodeChunk(input: { source: string; via: Origin['via'] }, docs: readonly RawDocument[], from: number, to: number, limits: ParseLimits, badLines: ReadonlySet<number> | undefined, keepPositions = false): ChunkResult {
  const out: ChunkResult = { objects: [], problems: [], indexes: [] };
  for (let d = from; d < to; d++) out.indexes.push(parseYamlDocument(input.source, docs[d]!, input.via, limits, out, badLines, keepPositions));
  return out;
}

export interface PoolOptions {
  /** Fewest bytes in all for which the second thread is started (default POOL_MIN_BYTES). */
  minBytes?: number;
  /** False: this thread waits for the second one and only decodes what it left (for tests). */
  mainDecodes?: boolean;
  /** Filled in: how many chunks there were and how many the second thread decoded. */
  stats?: { chunks: number; helperChunks: number };
}

export async function decodeYamlTexts(inputs: readonly YamlInput[], limits: ParseLimits, opts: PoolOptions = {}): Promise<YamlOutput[]> {
  const minBytes = opts.minBytes ?? POOL_MIN_BYTES;
  const docs = inputs.map((i) => splitYamlStream(i.text));
  const chunkList: number[] = [];
  let total = 0;
  for (let s = 0; s < inputs.length; s++) {
    const list = docs[s]!;
    let from = 0;
    let size = 0;
    for (let d = 0; d < list.length; d++) {
      size += list[d]!.text.length;
      if (size >= CHUNK_CHARS || d === list.length - 1) {
        chunkList.push(s, from, d + 1);
        total += size;
        from = d + 1;
        size = 0;
      }
    }
  }
  const chunks = Int32Array.from(chunkList);
  const count = chunks.length / 3;
  const results: Array<ChunkResult | undefined> = new Array(count);
  // a small input keeps its documents' positions as they are read (parse.ts KEEP_POSITIONS_BELOW)
  const keepPositions = total < KEEP_POSITIONS_BELOW;
  let decodedHere = 0;
  const decodeHere = (k: number): void => {
    decodedHere++;
    const s = chunks[k * 3]!;
    results[k] = decodeChunk(inputs[s]!, docs[s]!, chunks[k * 3 + 1]!, chunks[k * 3 + 2]!, limits, inputs[s]!.badLines, keepPositions);
  };

  const counter = new Int32Array(new SharedArrayBuffer(4));
  const helper = count >= 2 && total >= minBytes ? startHelper({ inputs: inputs.map(({ source, text, via, badLines }) => ({ source, text, via, ...(badLines && badLines.size > 0 ? { badLines: [...badLines] } : {}) })), chunks, counter, limits }, docs, results) : undefined;
  if (helper && opts.mainDecodes === false) await helper;
  for (;;) {
    const k = Atomics.add(counter, 0, 1);
    if (k >= count) break;
    decodeHere(k);
  }
  if (helper) await helper;
  for (let k = 0; k < count; k++) if (!results[k]) decodeHere(k); // what the other thread did not deliver
  if (opts.stats) {
    opts.stats.chunks = count;
    opts.stats.helperChunks = count - decodedHere;
  }

  const outputs: YamlOutput[] = inputs.map(() => ({ objects: [], problems: [], yamlDocs: [] }));
  for (let k = 0; k < count; k++) {
    const s = chunks[k * 3]!;
    const from = chunks[k * 3 + 1]!;
    const r = results[k]!;
    const o = outputs[s]!;
    for (const x of r.objects) o.objects.push(x);
    for (const x of r.problems) o.problems.push(x);
    for (let i = 0; i < r.indexes.length; i++) {
      const index = r.indexes[i];
      o.yamlDocs.push(index ? { raw: docs[s]![from + i]!, index } : { raw: docs[s]![from + i]! });
    }
  }
  return outputs;
}

/**
 * Starts the second thread; the promise settles once it has delivered its last chunk, died
 * or could not start (never rejects: missing chunks are decoded by the caller).
 */
function startHelper(work: PoolWork, docs: readonly RawDocument[][], results: Array<ChunkResult | undefined>): Promise<void> | undefined {
  let worker: Worker;
  try {
    const [entry, asCode] = workerEntry();
    worker = new (builtin('worker_threads').Worker)(entry, { eval: asCode, workerData: work });
  } catch {
    return undefined;
  }
  return new Promise<void>((resolve) => {
    const finish = (): void => {
      worker.removeAllListeners();
      worker.on('error', () => {}); // late errors of a finished thread change nothing
      resolve();
    };
    worker.on('message', (m: ChunkMessage | { done: true }) => {
      if ('done' in m) return finish();
      const s = work.chunks[m.chunk * 3]!;
      const from = work.chunks[m.chunk * 3 + 1]!;
      const list = docs[s]!;
      results[m.chunk] = {
        objects: m.objects,
        problems: m.problems,
        indexes: m.tables.map((t, i) => (t ? new YamlDocIndex(list[from + i]!.text, new YamlEventTable(t)) : undefined)),
      };
    });
    worker.on('error', finish);
    worker.on('exit', finish);
  });
}

/** The thread's module: compiled JavaScript, or TypeScript when run from the sources (tests). */
function workerEntry(): [string | URL, boolean] {
  if (!import.meta.url.endsWith('.ts')) return [new URL('./yaml-pool-worker.js', import.meta.url), false];
  const target = new URL('./yaml-pool-worker.ts', import.meta.url).href;
  return [`import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(target)}); })`, true];
}
