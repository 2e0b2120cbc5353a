/**
 * Progress of a file scan on a real pseudo-terminal (util-linux `script` allocates one): the
 * real binary, a chart whose rendering takes two seconds (the real helm behind a wrapper that
 * waits first, so the scan is slow however long kordon takes to start), and what reaches the
 * terminal. Without a terminal, or with -q, nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { binaryPath } from '../support/controlplane.js';
import { ROOT } from '../unit/report-fixture.js';

const run = promisify(execFile);
const KORDON = path.join(ROOT, 'bin/kordon');
const CHART = 'test/fixtures/helm/webapp';

test('progress: shown on a terminal for a scan over a second, never with -q or without a terminal', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-pty-'));
  try {
    const slowHelm = path.join(tmp, 'slow-helm');
    writeFileSync(slowHelm, `#!/bin/sh\nsleep 2\nexec '${binaryPath('helm')}' "$@"\n`);
    chmodSync(slowHelm, 0o755);
    const env = { ...process.env, KORDON_HELM: slowHelm };
    const cmd = (extra: string, out: string): string => `'${KORDON}' scan ${CHART} -f json -o '${path.join(tmp, out)}' ${extra}`;
    const [tty, quiet, plain] = await Promise.all([
      run('script', ['-qec', cmd('', 'a.json'), '/dev/null'], { cwd: ROOT, env }),
      run('script', ['-qec', cmd('-q', 'b.json'), '/dev/null'], { cwd: ROOT, env }),
      // stderr a pipe (a CI log)
      run('bash', ['-c', cmd('', 'c.json')], { cwd: ROOT, env }),
    ]);
    assert.match(tty.stdout, new RegExp(`\\r\\x1b\\[Kkordon: reading 1/1 ${CHART}`));
    assert.match(tty.stdout, /\r\x1b\[Kkordon: analysing 2 objects\r\x1b\[K$/, 'the line is cleared at the end');
    assert.doesNotMatch(quiet.stdout, /kordon:/);
    assert.equal(plain.stderr, '');
    // the reports themselves are the same, and the chart was read
    const a = readFileSync(path.join(tmp, 'a.json'), 'utf8');
    assert.match(a, /"via": "helm"/);
    assert.equal(readFileSync(path.join(tmp, 'b.json'), 'utf8'), a);
    assert.equal(readFileSync(path.join(tmp, 'c.json'), 'utf8'), a);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
