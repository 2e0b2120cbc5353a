/**
 * The long fuzzing run: every reader in the registry (test/support/fuzz.ts) on N generated
 * inputs each (default 1,000,000), recording crashes (an error out of the reader, or a control
 * that threw) and hangs. The suite runs the same readers a few hundred times with a fixed seed
 * (test/unit/fuzz-*.test.ts); this is the run recorded in BENCHMARKS.md.
 *
 *   node --import tsx bench/fuzz.ts [--inputs N] [--reader PREFIX] [--seed S] [--max-ms MS] [--minutes M] [--from I] [--shard K/N] [--out FILE]
 *
 * Input n of a seed is made from (seed, n) alone (`inputAt`), so a run may start at any input
 * and be split: `--shard K/N` runs the inputs n with n % N === K (N processes with K = 0..N-1
 * together run every input once).
 *
 * Each reader runs in a worker thread that publishes the number of the input it is on; when
 * that number stands still for --max-ms (default 10,000), the input is a hang: the worker is
 * stopped, the input's number recorded (`--from I --inputs I` reproduces it), and the run goes on
 * from the next input. --reader picks readers by name prefix (repeatable); --minutes stops
 * each reader after that long (the inputs run are what is recorded). Crashing inputs are
 * written to bench/out/fuzz-crashers/ (keep them under test/fixtures/bad-input/crashers/ once
 * fixed); results go to bench/out/fuzz.json (or --out).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fuzzReaders, inputAt } from '../test/support/fuzz.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(here, 'out');

interface Job {
  reader: string;
  inputs: number;
  seed: number;
  from: number;
  deadline: number;
  progress: SharedArrayBuffer;
  /** This process runs the inputs n with n % shards === shard (1 shard: every input). */
  shard: number;
  shards: number;
}

type Message = { kind: 'crash'; n: number; message: string; file: string } | { kind: 'done'; n: number; maxMs: number };

function serialise(input: unknown): string {
  if (Buffer.isBuffer(input)) return `base64:${input.toString('base64')}`;
  return JSON.stringify(input, null, 1);
}

/** The worker: makes and runs its inputs from `from` on (those of its shard), publishes the current number. */
async function work(job: Job): Promise<void> {
  const r = fuzzReaders().find((x) => x.name === job.reader)!;
  const at = new Int32Array(job.progress);
  let worst = 0;
  let last = job.from - 1;
  const crashDir = path.join(OUT, 'fuzz-crashers');
  for (let n = job.from; n <= job.inputs; n++) {
    if (job.shards > 1 && n % job.shards !== job.shard) continue;
    if (Date.now() > job.deadline) break;
    Atomics.store(at, 0, n);
    const input = inputAt(r.input, job.seed, n);
    const t = performance.now();
    try {
      await r.run(input);
    } catch (err) {
      mkdirSync(crashDir, { recursive: true });
      const file = path.join(crashDir, `${r.name.replace(/[^a-z0-9]+/gi, '-')}-seed${job.seed}-input${n}.txt`);
      writeFileSync(file, `${(err as Error).stack ?? String(err)}\n\n${serialise(input)}\n`);
      parentPort!.postMessage({ kind: 'crash', n, message: (err as Error).message.split('\n')[0] ?? '', file } satisfies Message);
    }
    const ms = performance.now() - t;
    if (ms > worst) worst = ms;
    last = n;
    Atomics.store(at, 1, n); // inputs finished
  }
  parentPort!.postMessage({ kind: 'done', n: last, maxMs: Math.round(worst) } satisfies Message);
}

interface ReaderResult {
  reader: string;
  seed: number;
  shard: string;
  inputs: number;
  crashes: number;
  hangs: number[];
  maxMs: number;
  seconds: number;
  inputsPerSecond: number;
}

function arg(name: string): string[] {
  const out: string[] = [];
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) if (argv[i] === name && argv[i + 1] !== undefined) out.push(argv[++i]!);
  return out;
}

/** Runs one reader in workers, restarting after each hang; resolves with what was run. */
async function runReader(reader: string, inputs: number, seed: number, from: number, maxMs: number, minutes: number, shard: number, shards: number): Promise<ReaderResult> {
  const started = Date.now();
  const deadline = started + minutes * 60_000;
  const hangs: number[] = [];
  let crashes = 0;
  let maxSeen = 0;
  let next = from;
  let finished = from - 1;
  for (;;) {
    const progress = new SharedArrayBuffer(8);
    const at = new Int32Array(progress);
    const job: Job = { reader, inputs, seed, from: next, deadline, progress, shard, shards };
    // the worker loads this file through tsx (as src/sources/manifests/yaml-pool.ts does)
    const worker = new Worker(`import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(import.meta.url)}); })`, { eval: true, workerData: job });
    const outcome = await new Promise<{ hang?: number; done?: { n: number; maxMs: number } }>((resolve, reject) => {
      let last = -1;
      let since = Date.now();
      const timer = setInterval(() => {
        const cur = Atomics.load(at, 0);
        const done = Atomics.load(at, 1);
        if (cur !== last || done === cur) {
          last = cur;
          since = Date.now();
          return;
        }
        if (Date.now() - since > maxMs) {
          clearInterval(timer);
          void worker.terminate();
          resolve({ hang: cur });
        }
      }, 250);
      let lastReport = Date.now();
      worker.on('message', (m: Message) => {
        if (m.kind === 'crash') {
          crashes++;
          console.error(`crash in ${reader} (input ${m.n}): ${m.message} -> ${m.file}`);
        } else {
          clearInterval(timer);
          resolve({ done: { n: m.n, maxMs: m.maxMs } });
        }
        if (Date.now() - lastReport > 60_000) lastReport = Date.now();
      });
      worker.on('error', (err) => {
        clearInterval(timer);
        reject(err);
      });
      const progressTimer = setInterval(() => {
        if (Date.now() - lastReport >= 60_000) {
          lastReport = Date.now();
          console.error(`${reader}: input ${Atomics.load(at, 0)}, ${crashes} crashes, ${hangs.length} hangs, ${Math.round((Date.now() - started) / 1000)} s`);
        }
      }, 5_000);
      worker.on('exit', () => clearInterval(progressTimer));
    });
    if (outcome.hang !== undefined) {
      hangs.push(outcome.hang);
      console.error(`hang in ${reader}: input ${outcome.hang} (seed ${seed}; reproduce with --reader "${reader}" --seed ${seed} --from ${outcome.hang} --inputs ${outcome.hang})`);
      finished = outcome.hang;
      next = outcome.hang + 1;
      if (next > inputs || Date.now() > deadline) break;
      continue;
    }
    finished = Math.max(finished, outcome.done!.n);
    maxSeen = Math.max(maxSeen, outcome.done!.maxMs);
    break;
  }
  const seconds = (Date.now() - started) / 1000;
  let ran = 0;
  for (let n = from; n <= finished; n++) if (shards === 1 || n % shards === shard) ran++;
  return { reader, seed, shard: `${shard}/${shards}`, inputs: ran, crashes, hangs, maxMs: maxSeen, seconds: Math.round(seconds), inputsPerSecond: Math.round(ran / seconds) };
}

if (!isMainThread) {
  await work(workerData as Job);
} else {
  const inputs = Number(arg('--inputs')[0] ?? 1_000_000);
  const seed = Number(arg('--seed')[0] ?? 1);
  const maxMs = Number(arg('--max-ms')[0] ?? 10_000);
  const minutes = Number(arg('--minutes')[0] ?? Infinity);
  const from = Number(arg('--from')[0] ?? 1);
  const [shard, shards] = (arg('--shard')[0] ?? '0/1').split('/').map(Number) as [number, number];
  if (!(shards >= 1 && shard >= 0 && shard < shards)) throw new Error('--shard K/N: 0 <= K < N');
  const picks = arg('--reader');
  const outFile = arg('--out')[0] ?? path.join(OUT, 'fuzz.json');
  const chosen = picks.length ? fuzzReaders().filter((r) => picks.some((p) => r.name.startsWith(p))) : [...fuzzReaders()];
  const results: ReaderResult[] = [];
  for (const r of chosen) {
    console.error(`# ${r.name}: inputs ${from} to ${inputs}, seed ${seed}, shard ${shard}/${shards}`);
    const res = await runReader(r.name, inputs, seed, from, maxMs, minutes, shard, shards);
    results.push(res);
    console.log(JSON.stringify(res));
  }
  const machine = { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, load: os.loadavg().map((x) => x.toFixed(1)).join(' ') };
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, JSON.stringify({ date: new Date().toISOString(), machine, results }, null, 2) + '\n');
  console.log(JSON.stringify(machine));
  process.exit(results.some((r) => r.crashes > 0 || r.hangs.length > 0) ? 1 : 0);
}
