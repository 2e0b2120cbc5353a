#!/usr/bin/env node
// Runs the whole test suite with node's test runner (TypeScript through tsx).
// Usage: node scripts/run-tests.mjs [test files or directories...]
//
// When live tests (test/live/) are included, ONE real control plane (etcd + kube-apiserver,
// built from the Go module proxy and cached, see test/support/k8s/build.sh) is started first
// and shared by every test file through KORDON_TEST_CONTROLPLANE; it is stopped at the end,
// also when tests fail or the run is interrupted.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);

function findTests(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || e.name === 'node_modules' || e.name === 'fixtures') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findTests(p));
    else if (e.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const targets = args.length ? args : ['test'];
const files = targets.flatMap((t) => (statSync(path.resolve(root, t)).isDirectory() ? findTests(path.resolve(root, t)) : [path.resolve(root, t)])).sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}

const needsCluster = files.some((f) => f.includes(`${path.sep}live${path.sep}`)) && !process.env.KORDON_TEST_CONTROLPLANE;
let controlPlane;
let tmp;

function stopControlPlane() {
  if (controlPlane && controlPlane.exitCode === null) controlPlane.kill('SIGTERM');
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    stopControlPlane();
    process.exit(130);
  });
}
process.on('exit', stopControlPlane);

async function startControlPlane() {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-test-'));
  const info = path.join(tmp, 'controlplane.json');
  console.log('# starting the test control plane (etcd + kube-apiserver; first run builds them from the Go module proxy)');
  controlPlane = spawn(process.execPath, ['--import', 'tsx', 'test/support/controlplane-cli.ts', info, '--log-dir', path.join(tmp, 'logs')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  const deadline = Date.now() + 60 * 60 * 1000;
  while (!existsSync(info)) {
    if (controlPlane.exitCode !== null) throw new Error(`the test control plane failed to start (exit ${controlPlane.exitCode}); logs in ${path.join(tmp, 'logs')}`);
    if (Date.now() > deadline) throw new Error('the test control plane did not start within 60 minutes');
    await new Promise((r) => setTimeout(r, 250));
  }
  console.log(`# test control plane ready (${info})`);
  return info;
}

const env = { ...process.env };
if (needsCluster) env.KORDON_TEST_CONTROLPLANE = await startControlPlane();

const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { cwd: root, stdio: 'inherit', env });
child.on('close', async (code) => {
  if (controlPlane && controlPlane.exitCode === null) {
    const exited = new Promise((r) => controlPlane.once('exit', r));
    controlPlane.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15000))]);
  }
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  process.exit(code ?? 1);
});
