/**
 * Progress of a file scan on a real pseudo-terminal (util-linux `script` allocates one): the
 * real binary, a scan that takes longer than a second (standard input arriving after two
 * seconds), and what reaches the terminal. Without a terminal, or with -q, nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../unit/report-fixture.js';

const run = promisify(execFile);
const KORDON = path.join(ROOT, 'bin/kordon');
const INPUT = path.join(ROOT, 'examples/shop/10-web.yaml');

test('progress: shown on a terminal for a scan over a second, never with -q or without a terminal', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-pty-'));
  try {
    const slow = (extra: string, out: string): string => `(sleep 2; cat '${INPUT}') | '${KORDON}' scan - -f json -o '${path.join(tmp, out)}' ${extra}`;
    const [tty, quiet, plain] = await Promise.all([
      run('script', ['-qec', slow('', 'a.json'), '/dev/null'], { cwd: ROOT }),
      run('script', ['-qec', slow('-q', 'b.json'), '/dev/null'], { cwd: ROOT }),
      // stderr a pipe (a CI log)
      run('bash', ['-c', slow('', 'c.json')], { cwd: ROOT }),
    ]);
    assert.match(tty.stdout, /\r\x1b\[Kkordon: reading 1\/1 <stdin>/);
    assert.match(tty.stdout, /\r\x1b\[Kkordon: analysing 1 input\r\x1b\[K$/, 'the line is cleared at the end');
    assert.doesNotMatch(quiet.stdout, /kordon:/);
    assert.equal(plain.stderr, '');
    // the reports themselves are the same
    const a = readFileSync(path.join(tmp, 'a.json'), 'utf8');
    assert.equal(readFileSync(path.join(tmp, 'b.json'), 'utf8'), a);
    assert.equal(readFileSync(path.join(tmp, 'c.json'), 'utf8'), a);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
