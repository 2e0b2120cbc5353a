/**
 * Fuzzing `kordon audit` and `kordon audit usage` with mutated real-shaped events (fields
 * dropped or of the wrong type, lines cut, junk between them, wrappers around them): never exit
 * 10 or crash, JSON and SARIF byte-identical on a second run, every problem names the file given.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { runCli } from '../support/cli.js';

const CORPUS = path.join(import.meta.dirname, '..', 'corpus', 'audit');
const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'audit');
const base: Array<Record<string, unknown>> = [
  ...readFileSync(path.join(CORPUS, 'context.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)),
  ...['KOR-0901/positive/pod.jsonl', 'KOR-0907/positive/exec-started-only.jsonl', 'KOR-0950/positive/bind-then-use.jsonl', 'KOR-0970/positive/podsecurity.jsonl']
    .flatMap((f) => readFileSync(path.join(FIXTURES, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))),
];

const junk = fc.oneof(fc.constant(0), fc.constant(null), fc.constant('x'), fc.constant([]), fc.constant({}), fc.integer(), fc.string());
const mutation = fc.tuple(fc.integer({ min: 0, max: base.length - 1 }), fc.constantFrom('keep', 'drop', 'retype', 'cut', 'wrap', 'junkline'), fc.constantFrom('kind', 'apiVersion', 'auditID', 'stage', 'verb', 'user', 'objectRef', 'responseStatus', 'requestObject', 'annotations', 'requestURI'), junk, fc.integer({ min: 1, max: 400 }));

function render([i, how, field, value, cut]: [number, string, string, unknown, number]): string {
  const e = structuredClone(base[i]!);
  if (how === 'drop') delete e[field];
  if (how === 'retype') e[field] = value;
  const line = JSON.stringify(e);
  if (how === 'cut') return line.slice(0, cut);
  if (how === 'wrap') return JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [e, value] });
  if (how === 'junkline') return `${JSON.stringify(value)}\n${line}`;
  return line;
}

test('fuzz: audit and audit usage on mutated events never crash, are deterministic and name their source', { timeout: 300_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 25 }), async (muts) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'kordon-fuzz-audit-'));
      try {
        const file = path.join(dir, 'audit.log');
        writeFileSync(file, muts.map(render).join('\n') + '\n');
        for (const args of [['audit', file, '-f', 'json'], ['audit', file, '-f', 'sarif'], ['audit', file, '-f', 'pretty'], ['audit', file, '-f', 'junit'], ['audit', 'usage', file, '-f', 'json']]) {
          const r = await runCli(args);
          assert.ok([0, 3].includes(r.code), `${args.join(' ')}: exit ${r.code}\n${r.err}`);
          if (args.includes('json') || args.includes('sarif')) {
            assert.equal((await runCli(args)).out, r.out, `${args.join(' ')}: a second run differs`);
            const j = JSON.parse(r.out) as { problems?: Array<{ source: string }> };
            for (const p of j.problems ?? []) assert.equal(p.source, file);
          }
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }),
    { seed: 16_2026, numRuns: 40 },
  );
});
