#!/usr/bin/env node
// Runs the whole test suite with node's test runner (TypeScript through tsx).
// Usage: node scripts/run-tests.mjs [test files or directories...]
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
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

const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { cwd: root, stdio: 'inherit', env: process.env });
child.on('close', (code) => process.exit(code ?? 1));
