import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runTool, toolError } from '../../src/sources/exec.js';

const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

test('a missing tool is reported as missing and leaves no timer behind (the process can exit at once)', async () => {
  const before = timers();
  const r = await runTool('kordon-no-such-tool-xyz', ['--version']);
  assert.equal(r.status, 'missing');
  assert.equal(r.code, null);
  assert.equal(timers(), before, 'a timer of the missing tool is still pending');
});

test('a tool that finishes: output, exit code and status', async () => {
  const before = timers();
  const ok = await runTool('sh', ['-c', 'echo out; echo warn >&2']);
  assert.deepEqual({ status: ok.status, stdout: ok.stdout, stderr: ok.stderr, code: ok.code }, { status: 'ok', stdout: 'out\n', stderr: 'warn\n', code: 0 });
  const bad = await runTool('sh', ['-c', 'echo "Error: chart not found" >&2; exit 3']);
  assert.equal(bad.status, 'failed');
  assert.equal(bad.code, 3);
  assert.equal(toolError(bad), 'Error: chart not found');
  assert.equal(timers(), before);
});

test('a tool that runs past its time limit is stopped and reported as failed', async () => {
  const r = await runTool('sleep', ['30'], { timeoutMs: 200 });
  assert.equal(r.status, 'failed');
  assert.match(toolError(r), /sleep did not finish within 200 ms and was stopped/);
});
