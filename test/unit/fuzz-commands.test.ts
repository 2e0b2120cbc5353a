/**
 * Property-based fuzzing of every command's in-process entry (test/support/cli.ts): a directory
 * of real-shaped manifests, mutated (text and structure), given to scan in every format (with
 * --attack-paths), plan, paths, netpol reach and exposure, rbac who-can and risky, and pss.
 *
 * Properties: never exit 10, never an uncaught error, no hang, JSON and SARIF byte-identical on
 * a second run, every input problem names one of the files given.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { runCli } from '../support/cli.js';
import { mutatedObjects, mutatedText } from '../support/fuzz.js';

const SEED = 7_2026;
const RUNS = 4;
const MAX_MS = 60_000;

const COMMANDS: string[][] = [
  ['scan', '-f', 'json', '--attack-paths'],
  ['scan', '-f', 'sarif'],
  ['scan', '-f', 'pretty'],
  ['scan', '-f', 'junit'],
  ['scan', '-f', 'markdown'],
  ['scan', '-f', 'html'],
  ['plan', '-f', 'json'],
  ['assess', '-f', 'json'],
  ['paths', '-f', 'json'],
  ['netpol', 'reach', '--format', 'json'],
  ['netpol', 'exposure', '--format', 'json'],
  ['rbac', 'who-can', 'get', 'secrets', '-f', 'json'],
  ['rbac', 'risky', '-f', 'json'],
  ['pss', '-f', 'json'],
  ['node', '-f', 'json'],
];

/** The paths go after the command words and before the flags. */
function withPaths(cmd: string[], files: string[]): string[] {
  const flagAt = cmd.findIndex((a) => a.startsWith('-'));
  return [...cmd.slice(0, flagAt), ...files, ...cmd.slice(flagAt)];
}

test('fuzz: every command on mutated real-shaped manifests never crashes, is deterministic and names its sources', { timeout: 600_000 }, async () => {
  const input = fc.tuple(mutatedObjects, mutatedText);
  await fc.assert(
    fc.asyncProperty(input, async ([objects, text]) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'kordon-fuzz-cmd-'));
      try {
        const files = [path.join(dir, 'objects.yaml'), path.join(dir, 'text.yaml')];
        writeFileSync(files[0]!, objects.map((o) => stringify(o)).join('---\n'));
        writeFileSync(files[1]!, text);
        for (const cmd of COMMANDS) {
          const args = withPaths(cmd, files);
          const started = performance.now();
          const r = await runCli(args);
          const ms = performance.now() - started;
          assert.ok(r.code !== 10 && [0, 1, 3].includes(r.code), `${args.join(' ')}: exit ${r.code}\n${r.err}`);
          assert.ok(ms < MAX_MS, `${args.join(' ')} took ${Math.round(ms)} ms`);
          if (cmd.includes('json') || cmd.includes('sarif')) {
            const again = await runCli(args);
            assert.equal(again.out, r.out, `${args.join(' ')}: a second run differs`);
            const j = JSON.parse(r.out) as { problems?: Array<{ source: string }>; runs?: unknown };
            for (const p of j.problems ?? []) assert.ok(files.includes(p.source), `${args.join(' ')}: problem names ${p.source}`);
          }
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }),
    { seed: SEED, numRuns: RUNS },
  );
});
