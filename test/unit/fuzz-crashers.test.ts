/**
 * Every crasher found (test/fixtures/bad-input/crashers/: by the tester and by the
 * fuzzers before shapes were checked at the inventory's door) runs through every command and,
 * decoded without the manifest reader's own checks, straight through the inventory's door and
 * every analysis: no exit 10, no uncaught error, no control that throws.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../support/cli.js';
import { analyseAll, inventoryOfObjects } from '../support/fuzz.js';
import type { K8sObject } from '../../src/inventory/types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const DIR = path.resolve(here, '../fixtures/bad-input/crashers');
const VULNS = path.resolve(here, '../corpus/vulns/shop/reports');
const EVIDENCE = path.resolve(here, '../corpus/vulns/shop/runtime');
const BEHAVIOUR = path.resolve(here, '../fixtures/harden/shop/runtime');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

const COMMANDS: string[][] = [
  ['scan'], ['scan', '--attack-paths', '-f', 'json'], ['scan', '-f', 'html'], ['scan', '-f', 'sarif'], ['plan'], ['paths'],
  ['netpol', 'reach'], ['netpol', 'exposure'], ['pss'], ['rbac', 'who-can', 'get', 'secrets'], ['rbac', 'risky'], ['rbac', 'can', 'sa:shop/web'],
  // the commands of the other streams, each with real-shaped reports or evidence beside the crasher
  ['assess', '-f', 'json'], ['vap', '-f', 'json'], ['node', '-f', 'sarif'],
  ['vulns', '--vulns', VULNS, '--runtime', EVIDENCE, '-f', 'json'], ['scan', '--vulns', VULNS, '--runtime', EVIDENCE, '--attack-paths', '-f', 'json'],
  ['harden', '--runtime', BEHAVIOUR, '-f', 'json'],
];

test('the crasher corpus is not empty', () => {
  assert.ok(FILES.length >= 10, FILES.join(', '));
});

for (const file of FILES) {
  test(`crasher ${file}: every command answers (never exit 10)`, async () => {
    const full = path.join(DIR, file);
    for (const cmd of COMMANDS) {
      const flagAt = cmd.findIndex((a) => a.startsWith('-'));
      const args = flagAt === -1 ? [...cmd, full] : [...cmd.slice(0, flagAt), full, ...cmd.slice(flagAt)];
      const r = await runCli(args);
      assert.ok([0, 1, 3].includes(r.code), `${args.join(' ')}: exit ${r.code}\n${r.err}`);
    }
  });

  test(`crasher ${file}: straight through the inventory's door and every analysis`, () => {
    const objects = parseAllDocuments(readFileSync(path.join(DIR, file), 'utf8')).map((d) => d.toJS() as K8sObject).filter((o) => o !== null);
    analyseAll(inventoryOfObjects(objects));
  });
}

test('a node holding an alias to itself is one problem on its document, and the next document is read', async () => {
  const { scanPaths } = await import('../../src/scan.js');
  const file = path.join(DIR, 'self-alias-sequence.yaml');
  const r = await scanPaths([file]);
  assert.deepEqual(r.problems.map((p) => [p.source, p.line, p.code, p.severity]), [[file, 3, 'alias-limit', 'error']]);
  assert.match(r.problems[0]!.message, /contains it/);
  assert.deepEqual(r.findings.filter((f) => f.controlId === 'KOR-0100').map((f) => f.object?.name), ['after-the-loop']);
});

// crashers of the other streams' readers, found by bench/fuzz.ts: each read by the commands that take it
const VULN_CRASHERS = readdirSync(path.join(DIR, 'vulns')).sort();
for (const file of VULN_CRASHERS) {
  test(`vulnerability report crasher ${file}: vulns, scan and plan read it (never exit 10)`, async () => {
    const full = path.join(DIR, 'vulns', file);
    for (const cmd of [['vulns', '--vulns', full, '-f', 'json'], ['scan', 'examples/', '--vulns', full, '-f', 'json'], ['plan', 'examples/', '--vulns', full]]) {
      const r = await runCli(cmd);
      assert.notEqual(r.code, 10, `${cmd.join(' ')}: ${r.err}`);
      assert.doesNotMatch(r.err, /internal error|URIError/);
    }
  });
}
