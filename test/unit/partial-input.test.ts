/**
 * Never lie: every analysis command, in every format, says when its answer was computed from
 * partial input (a missing file, a cluster read with resource kinds refused) and exits 3 unless a
 * stronger code applies (1 for what was found; docs/cli.md). src/cli/partial-input.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { runCli } from '../support/cli.js';
import { exitFor, inputState, partialLine } from '../../src/cli/partial-input.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '../..');
const EXAMPLES = path.join(ROOT, 'examples');
const MISSING = path.join(ROOT, 'test/fixtures/bad-input/no-such-directory');

/** Every analysis command with each of its formats; `code` is the exit on the complete input. */
interface Case {
  args: (input: string[]) => string[];
  formats: string[];
  formatFlag: string;
}

const CASES: Record<string, Case> = {
  paths: { args: (i) => ['paths', ...i], formats: ['pretty', 'json', 'html'], formatFlag: '-f' },
  'paths --what-if': { args: (i) => ['paths', ...i, '--what-if', path.join(EXAMPLES, 'shop/20-api.yaml')], formats: ['pretty', 'json', 'html'], formatFlag: '-f' },
  plan: { args: (i) => ['plan', ...i], formats: ['pretty', 'json', 'markdown'], formatFlag: '-f' },
  assess: { args: (i) => ['assess', ...i], formats: ['pretty', 'json', 'markdown', 'html'], formatFlag: '-f' },
  'rbac who-can': { args: (i) => ['rbac', 'who-can', 'get', 'secrets', ...i], formats: ['pretty', 'json'], formatFlag: '-f' },
  'rbac can': { args: (i) => ['rbac', 'can', 'sa:shop-api/orders', ...i], formats: ['pretty', 'json'], formatFlag: '-f' },
  'rbac escalations': { args: (i) => ['rbac', 'escalations', 'sa:shop-api/orders', ...i], formats: ['pretty', 'json'], formatFlag: '-f' },
  'rbac risky': { args: (i) => ['rbac', 'risky', ...i], formats: ['pretty', 'json', 'sarif', 'junit', 'markdown'], formatFlag: '-f' },
  'netpol reach': { args: (i) => ['netpol', 'reach', ...i], formats: ['text', 'json'], formatFlag: '--format' },
  'netpol explain': { args: (i) => ['netpol', 'explain', 'shop-web/storefront', 'shop-api/orders', ...i], formats: ['text', 'json'], formatFlag: '--format' },
  'netpol explain (denied)': { args: (i) => ['netpol', 'explain', 'shop-web/storefront', 'shop-data/postgres', ...i, '--port', '1'], formats: ['text', 'json'], formatFlag: '--format' },
  'netpol exposure': { args: (i) => ['netpol', 'exposure', ...i], formats: ['text', 'json'], formatFlag: '--format' },
  pss: { args: (i) => ['pss', ...i, '--level', 'baseline'], formats: ['pretty', 'json'], formatFlag: '-f' },
};

async function ensureExamplePath(): Promise<void> {
  // the --what-if case needs a file that exists in the examples
  const { existsSync } = await import('node:fs');
  assert.ok(existsSync(path.join(EXAMPLES, 'shop/20-api.yaml')), 'examples/shop/20-api.yaml exists');
}

test('a missing input: every command and format says "computed from partial input", names the source, exits 3 (or 1 when it found something)', async () => {
  await ensureExamplePath();
  for (const [name, c] of Object.entries(CASES)) {
    for (const format of c.formats) {
      const full = await runCli([...c.args([EXAMPLES]), c.formatFlag, format]);
      const partial = await runCli([...c.args([EXAMPLES, MISSING]), c.formatFlag, format]);
      const what = `${name} ${format}`;
      assert.notEqual(partial.code, 10, `${what}: ${partial.err}`);
      // what was found stays 1; a complete 0 becomes 3
      assert.equal(partial.code, full.code === 0 ? 3 : full.code, `${what}: exit ${partial.code} (complete input: ${full.code}); ${partial.err}`);
      assert.ok(partial.out.includes(MISSING), `${what}: the missing source is named in the output`);
      assert.ok(!full.out.includes('computed from partial input'), `${what}: complete input is not called partial`);
      if (format === 'json' && !name.startsWith('rbac risky')) {
        const j = JSON.parse(partial.out) as { partial: boolean; problems: Array<{ source: string; code: string; severity: string }> };
        assert.equal(j.partial, true, what);
        assert.deepEqual(j.problems.filter((p) => p.severity === 'error').map((p) => [p.source, p.code]), [[MISSING, 'unreadable']], what);
        assert.equal((JSON.parse(full.out) as { partial: boolean }).partial, false, what);
      } else if (['pretty', 'text', 'markdown'].includes(format) && name !== 'rbac risky') {
        assert.match(partial.out, /computed from partial input: 1 problem \(1 unreadable\)/, what);
      } else if (format === 'html') {
        assert.match(partial.out, /computed from partial input/, what);
      }
    }
  }
});

test('paths --fail: a path found exits 1 even from partial input, no path from partial input exits 3, never 0', async () => {
  const found = await runCli(['paths', EXAMPLES, MISSING, '--fail']);
  assert.equal(found.code, 1);
  const none = await runCli(['paths', MISSING, '--fail']);
  assert.equal(none.code, 3);
  assert.match(none.out, /^computed from partial input: 1 problem \(1 unreadable\)\n/);
  assert.match(none.out, /No attack path/);
  const noneJson = await runCli(['paths', MISSING, '--fail', '-f', 'json']);
  assert.equal(noneJson.code, 3);
  assert.equal((JSON.parse(noneJson.out) as { partial: boolean }).partial, true);
});

test('a snapshot whose cluster read was incomplete (resource kinds forbidden): partial, with the coverage, exit 3', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kordon-partial-'));
  try {
    const snap = {
      apiVersion: 'kordon.dev/v1',
      kind: 'Snapshot',
      source: 'cluster:test',
      context: 'test',
      server: 'https://127.0.0.1:6443',
      items: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }],
      coverage: [
        { resource: 'namespaces', apiVersion: 'v1', kind: 'Namespace', count: 1 },
        { resource: 'secrets', apiVersion: 'v1', kind: 'Secret', count: 0, error: 'forbidden', status: 403 },
        { resource: 'roles', apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', count: 0, error: 'forbidden', status: 403 },
      ],
      // a hand-made snapshot may carry no problem for its gaps: the coverage alone makes the answer partial
      problems: [],
    };
    const file = path.join(dir, 'snap.json.gz');
    writeFileSync(file, gzipSync(JSON.stringify(snap)));
    for (const args of [['paths', file], ['plan', file], ['assess', file], ['netpol', 'reach', file], ['rbac', 'who-can', 'get', 'secrets', file], ['pss', file]]) {
      const text = await runCli(args);
      assert.equal(text.code, 3, `${args[0]}: ${text.err}`);
      assert.match(text.out, /computed from partial input: 0 problems; 2 resource kinds of the cluster not \(fully\) read/, args.join(' '));
      const json = await runCli([...args, ...(args[0] === 'netpol' ? ['--format', 'json'] : ['-f', 'json'])]);
      const j = JSON.parse(json.out) as { partial: boolean; coverage: Array<{ resource: string; error?: string }> };
      assert.equal(j.partial, true, args.join(' '));
      assert.deepEqual(j.coverage.filter((c) => c.error).map((c) => c.resource), ['secrets', 'roles'], args.join(' '));
    }
    const risky = await runCli(['rbac', 'risky', file, '-f', 'json']);
    assert.equal(risky.code, 3);
    assert.equal((JSON.parse(risky.out) as { coverage: unknown[] }).coverage.length, 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('inputState and exitFor: errors and coverage gaps make partial input; warnings alone do not; 1, 2 and 4 stay', () => {
  const warn = inputState([{ source: 'a', code: 'duplicate-key', severity: 'warning', message: 'm' }]);
  assert.equal(warn.partial, false);
  assert.equal(partialLine(warn), undefined);
  assert.equal(exitFor(warn, 0), 0);
  const err = inputState([
    { source: 'b', line: 3, code: 'wrong-type', severity: 'error', message: 'x' },
    { source: 'a', code: 'unreadable', severity: 'error', message: 'y' },
    { source: 'b', line: 1, code: 'wrong-type', severity: 'error', message: 'z' },
  ]);
  assert.deepEqual(err.problems.map((p) => `${p.source}:${p.line ?? 0}`), ['a:0', 'b:1', 'b:3']);
  assert.equal(partialLine(err), 'computed from partial input: 3 problems (1 unreadable, 2 wrong-type)');
  assert.deepEqual([0, 1, 2, 3, 4].map((c) => exitFor(err, c)), [3, 1, 2, 3, 4]);
  const gap = inputState([], [{ resource: 'pods', apiVersion: 'v1', kind: 'Pod', count: 10, error: 'timed out' }]);
  assert.equal(gap.partial, true);
  assert.equal(exitFor(gap, 0), 3);
});
