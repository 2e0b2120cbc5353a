import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/cli.js';


test('an output file that cannot be written is a usage error (exit 2) said before any work, for every command', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kordon-out-'));
  try {
    const missing = path.join(dir, 'no-such-folder', 'report.json');
    const cases: Array<[string[], RegExp]> = [
      [['scan', 'examples/', '-f', 'json', '-o', missing], /cannot write .*report\.json: its folder does not exist/],
      [['scan', 'examples/', '-o', dir], /cannot write .*: is a directory/],
      [['snapshot', '--cluster', '--kubeconfig', path.join(dir, 'kc'), '-o', missing, '-q'], /cannot write .*report\.json: its folder does not exist/],
      [['rbac', 'who-can', 'get', 'secrets', 'examples/', '-o', missing], /cannot write .*report\.json: its folder does not exist/],
      [['controls', '-o', missing], /cannot write .*report\.json: its folder does not exist/],
      [['paths', 'examples/', '--graph-json', missing], /cannot write .*report\.json: its folder does not exist/],
      [['plan', 'examples/', '-o', missing], /cannot write .*report\.json: its folder does not exist/],
    ];
    for (const [args, want] of cases) {
      const r = await runCli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, want);
      assert.doesNotMatch(r.err, /internal error/);
    }
    assert.equal(existsSync(path.dirname(missing)), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a snapshot whose cluster cannot be read leaves no file behind', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kordon-out-'));
  try {
    const snap = path.join(dir, 'cluster.json.gz');
    const r = await runCli(['snapshot', '--cluster', '--kubeconfig', path.join(dir, 'missing-kubeconfig'), '-o', snap, '-q']);
    assert.equal(r.code, 4, r.err);
    assert.equal(existsSync(snap), false, 'a partial snapshot was left');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
