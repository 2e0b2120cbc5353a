/**
 * The long fuzzing run: every reader in the registry (test/support/fuzz.ts) on N generated
 * inputs each (default 1,000,000), recording crashes (an error out of the reader, or a control
 * that threw) and hangs (one input over --max-ms). The suite runs the same readers a few
 * hundred times with a fixed seed (test/unit/fuzz-*.test.ts); this is the run recorded in
 * BENCHMARKS.md.
 *
 *   node --import tsx bench/fuzz.ts [--inputs N] [--reader PREFIX] [--seed S] [--max-ms MS] [--minutes M] [--out FILE]
 *
 * --reader picks readers by name prefix (repeatable). --minutes stops each reader after
 * that long (the inputs run are what is recorded). Each crashing input is written to
 * bench/out/fuzz-crashers/ (copy it to test/fixtures/bad-input/crashers/ once fixed); results go
 * to bench/out/fuzz.json (or --out).
 */
import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fuzzReaders } from '../test/support/fuzz.js';
import type { FuzzReader } from '../test/support/fuzz.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(here, 'out');

function arg(name: string): string[] {
  const out: string[] = [];
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) if (argv[i] === name && argv[i + 1] !== undefined) out.push(argv[++i]!);
  return out;
}

const inputs = Number(arg('--inputs')[0] ?? 1_000_000);
const seed = Number(arg('--seed')[0] ?? 1);
const maxMs = Number(arg('--max-ms')[0] ?? 10_000);
const minutes = Number(arg('--minutes')[0] ?? Infinity);
const picks = arg('--reader');
const outFile = arg('--out')[0] ?? path.join(OUT, 'fuzz.json');

const chosen = picks.length ? fuzzReaders().filter((r) => picks.some((p) => r.name.startsWith(p))) : [...fuzzReaders()];

interface ReaderResult {
  reader: string;
  inputs: number;
  crashes: number;
  hangs: number;
  maxMs: number;
  seconds: number;
  inputsPerSecond: number;
}

function serialise(input: unknown): string {
  if (Buffer.isBuffer(input)) return input.toString('base64');
  return JSON.stringify(input, null, 1);
}

async function runReader(r: FuzzReader<unknown>): Promise<ReaderResult> {
  let n = 0;
  let crashes = 0;
  let hangs = 0;
  let worst = 0;
  const started = performance.now();
  const deadline = started + minutes * 60_000;
  const crashDir = path.join(OUT, 'fuzz-crashers');
  await fc.assert(
    fc.asyncProperty(r.input, async (input) => {
      if (performance.now() > deadline) return; // past --minutes: the rest are not run (nor counted)
      n++;
      const t = performance.now();
      try {
        await r.run(input);
      } catch (err) {
        crashes++;
        mkdirSync(crashDir, { recursive: true });
        const file = path.join(crashDir, `${r.name.replace(/[^a-z0-9]+/gi, '-')}-${crashes}.txt`);
        writeFileSync(file, `${(err as Error).stack ?? String(err)}\n\n${serialise(input)}\n`);
        console.error(`crash in ${r.name} (input ${n}): ${(err as Error).message.split('\n')[0]} -> ${file}`);
      }
      const ms = performance.now() - t;
      if (ms > worst) worst = ms;
      if (ms > maxMs) {
        hangs++;
        console.error(`hang in ${r.name} (input ${n}): ${Math.round(ms)} ms`);
      }
      if (n % 10_000 === 0) console.error(`${r.name}: ${n} inputs, ${crashes} crashes, ${hangs} hangs, ${Math.round((performance.now() - started) / 1000)} s`);
    }),
    { seed, numRuns: inputs, endOnFailure: true },
  );
  const seconds = (performance.now() - started) / 1000;
  return { reader: r.name, inputs: n, crashes, hangs, maxMs: Math.round(worst), seconds: Math.round(seconds), inputsPerSecond: Math.round(n / seconds) };
}

const results: ReaderResult[] = [];
for (const r of chosen) {
  console.error(`# ${r.name}: up to ${inputs} inputs, seed ${seed}`);
  const res = await runReader(r);
  results.push(res);
  console.log(JSON.stringify(res));
}
const machine = { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, load: os.loadavg().map((x) => x.toFixed(1)).join(' ') };
mkdirSync(OUT, { recursive: true });
writeFileSync(outFile, JSON.stringify({ date: new Date().toISOString(), seed, machine, results }, null, 2) + '\n');
console.log(JSON.stringify(machine));
process.exit(results.some((r) => r.crashes > 0 || r.hangs > 0) ? 1 : 0);
