/**
 * Property-based fuzzing of every registered reader (test/support/fuzz.ts): the manifest
 * reader (random bytes, mutated YAML and JSON of real-shaped manifests, deep nesting, huge
 * scalars) and the inventory's door with every analysis behind it (wrong types at every path
 * kordon reads). Fixed seed, bounded runs; the long run is bench/fuzz.ts.
 *
 * Properties: no uncaught error, no control that throws, no hang (a time bound per input),
 * every problem names the source, the same input gives the same output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzReaders } from '../support/fuzz.js';

const SEED = 20261207;
/** Inputs per reader in the suite (the long run does a million). */
const RUNS: Record<string, number> = { 'snapshot reader': 150, 'inventory door: wrong types at every path kordon reads': 500, 'manifests: random bytes': 1000, 'manifests: mutated YAML and JSON': 150, 'inventory: wrong types at every path kordon reads, through every analysis': 80 };
/** Longest time one input may take (a hang is a failure, not a slow test). */
const MAX_MS = 30_000;

for (const reader of fuzzReaders()) {
  test(`fuzz: ${reader.name}`, { timeout: 180_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(reader.input, async (input) => {
        const started = performance.now();
        const first = await reader.run(input);
        const ms = performance.now() - started;
        assert.ok(ms < MAX_MS, `one input took ${Math.round(ms)} ms`);
        const second = await reader.run(input);
        assert.equal(second, first, 'the same input gives the same output');
      }),
      { seed: SEED, numRuns: RUNS[reader.name] ?? 100 },
    );
  });
}
