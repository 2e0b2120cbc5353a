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
import { fuzzReaders, inputAt } from '../support/fuzz.js';

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

test('the long run makes input n of a seed from (seed, n) alone: the same every time, and different inputs for other n or seeds', () => {
  const reader = fuzzReaders().find((r) => r.name.startsWith('manifests: mutated'))!;
  const at = (seed: number, n: number): string => JSON.stringify(inputAt(reader.input, seed, n));
  assert.equal(at(3, 1234), at(3, 1234));
  assert.equal(at(3, 999_999), at(3, 999_999));
  const many = new Set(Array.from({ length: 50 }, (_, i) => at(3, i + 1)));
  assert.ok(many.size >= 45, `only ${many.size} distinct inputs of 50`);
  assert.notEqual(at(3, 10), at(4, 10));
});
