/**
 * The second YAML-decoding thread (see yaml-pool.ts): takes chunks from the shared counter
 * until none is left and posts each chunk's result, its position tables transferred.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { decodeChunk, type ChunkMessage, type PoolWork } from './yaml-pool.js';
import { splitYamlStream, type RawDocument } from './split.js';
import { YamlDocIndex } from './yaml-events.js';

const work = workerData as PoolWork;
const split = new Map<number, RawDocument[]>();
const bad = new Map<number, ReadonlySet<number>>();
const count = work.chunks.length / 3;
for (;;) {
  const k = Atomics.add(work.counter, 0, 1);
  if (k >= count) break;
  const s = work.chunks[k * 3]!;
  const input = work.inputs[s]!;
  let docs = split.get(s);
  if (!docs) split.set(s, (docs = splitYamlStream(input.text)));
  if (input.badLines && !bad.has(s)) bad.set(s, new Set(input.badLines));
  const r = decodeChunk(input, docs, work.chunks[k * 3 + 1]!, work.chunks[k * 3 + 2]!, work.limits, bad.get(s));
  // (this thread keeps no line reader positions: decodeChunk's keepPositions is off)
  const tables = r.indexes.map((i) => (i instanceof YamlDocIndex ? i.table.data : null));
  const message: ChunkMessage = { chunk: k, objects: r.objects, problems: r.problems, tables };
  parentPort!.postMessage(message, tables.filter((t): t is Int32Array => t !== null).map((t) => t.buffer as ArrayBuffer));
}
parentPort!.postMessage({ done: true });
