/**
 * A report that cannot be written is said in words with exit 2 (as an output file that cannot be
 * opened), never an internal error (exit 10) with a stack: a full disk behind `> file` or `-o`,
 * and a reader that stops early (`| head`), which is not an error at all (and does not turn a
 * failing `--fail-on` gate into a pass). /dev/full answers every
 * write with ENOSPC (Linux, where the suite runs).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const BIN = path.join(ROOT, 'bin', 'kordon');
let tmp: string;

function kordon(args: string[], stdout: 'pipe' | number): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, KORDON_CACHE_DIR: path.join(tmp, 'cache') }, stdio: ['ignore', stdout, 'pipe'] });
  return { code: r.status, out: r.stdout ?? '', err: r.stderr };
}

describe('writing the report', () => {
  before(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-output-'));
    assert.ok(existsSync('/dev/full'), 'the suite runs on Linux, where /dev/full exists');
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  for (const args of [['scan', 'examples/'], ['scan', 'examples/', '-f', 'json'], ['pss', 'examples/'], ['rbac', 'risky', 'examples/']]) {
    it(`${args.join(' ')} > /dev/full: "cannot write to standard output", exit 2`, () => {
      const fd = openSync('/dev/full', 'w');
      try {
        const r = kordon(args, fd);
        assert.equal(r.code, 2, r.err);
        assert.equal(r.err.trim(), 'kordon: cannot write to standard output: no space left on device');
      } finally {
        closeSync(fd);
      }
    });
  }

  it('scan -o /dev/full: "cannot write /dev/full", exit 2', () => {
    const r = kordon(['scan', 'examples/', '-o', '/dev/full'], 'pipe');
    assert.equal(r.code, 2, r.err);
    assert.equal(r.err.trim(), 'kordon: cannot write /dev/full: no space left on device');
  });

  it('a reader that stops early ends the run quietly, with the exit code the scan had', () => {
    // a JSON report with attack paths (about 170 KB, more than a pipe holds) through a reader that
    // closes after 10 bytes: the scan's own answer stays, 1 (critical findings), not 0
    const direct = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" scan examples/ -f json --attack-paths --fail-on critical | head -c 10 >/dev/null; exit \${PIPESTATUS[0]}`], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, KORDON_CACHE_DIR: path.join(tmp, 'cache') } });
    assert.equal(direct.status, 1, direct.stderr);
    assert.equal(direct.stderr, '');
  });
});
