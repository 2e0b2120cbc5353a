/**
 * `--runtime DIR` holding both kinds of runtime output, read by one shared reader
 * (src/sources/runtime/files.ts) in `vulns`, `scan --vulns` and `plan`: vulnerability evidence
 * (Tetragon, Falco, Kubescape, kordon RuntimeEvidence) and observed behaviour only (Hubble flows,
 * Inspektor Gadget traces, an SPO SeccompProfile: test/corpus/ver8/vulns-runtime). The behaviour
 * files are not YAML errors (exit 0, not 3), change no verdict, are noted once each, and a broken
 * line in one of them is one problem, said once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/cli.js';
import { readRuntimeFiles } from '../../src/sources/runtime/files.js';

const SHOP = 'test/corpus/vulns/shop';
const BEHAVIOUR = 'test/corpus/ver8/vulns-runtime';

type Json = any;

/** A directory with both kinds: the shop's vulnerability evidence and the behaviour-only files. */
function mixedDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kordon-ver8-runtime-'));
  cpSync(`${SHOP}/runtime`, dir, { recursive: true });
  cpSync(BEHAVIOUR, dir, { recursive: true });
  return dir;
}

const verdicts = (j: Json): string[] => j.vulnerabilities.map((v: Json) => `${v.id ?? v.vulnerability ?? ''}|${v.image ?? ''}|${v.package?.name ?? v.package ?? ''}|${v.inUse}`).sort();

test('vulns --runtime DIR with Hubble, Inspektor Gadget and SPO files beside the evidence: no YAML errors, the same verdicts, one note per behaviour file', async () => {
  const dir = mixedDir();
  const base = ['vulns', `${SHOP}/manifests`, '--vulns', `${SHOP}/reports`, '-f', 'json'];
  const evidenceOnly = await runCli([...base, '--runtime', `${SHOP}/runtime`]);
  const mixed = await runCli([...base, '--runtime', dir]);
  assert.equal(mixed.code, 0, mixed.err);
  const a = JSON.parse(evidenceOnly.out);
  const b = JSON.parse(mixed.out);
  assert.equal(b.partial, false);
  assert.ok(b.vulnerabilities.length > 0);
  assert.deepEqual(verdicts(b), verdicts(a), 'the behaviour files change no verdict');
  assert.ok(b.vulnerabilities.some((v: Json) => v.inUse === 'yes'), 'the evidence in the same directory is read');
  assert.deepEqual(b.summary, a.summary);
  const extra = b.problems.filter((p: Json) => !a.problems.some((q: Json) => q.message === p.message && path.basename(q.source) === path.basename(p.source)));
  assert.deepEqual(extra.map((p: Json) => [path.basename(p.source), p.severity, p.code]), [
    ['gadget-trace-exec.json', 'warning', 'unknown-format'],
    ['hubble-flows.json', 'warning', 'unknown-format'],
    ['spo-seccomp-profile.yaml', 'warning', 'unknown-format'],
  ]);
  for (const p of extra) assert.match(p.message, /read as observed behaviour .* takes no vulnerability evidence from/);
  assert.ok(!b.problems.some((p: Json) => p.code === 'yaml-syntax' || p.severity === 'error'), JSON.stringify(b.problems));
  // the text report: warnings, not "computed from partial input"
  const text = await runCli(['vulns', `${SHOP}/manifests`, '--vulns', `${SHOP}/reports`, '--runtime', dir]);
  assert.equal(text.code, 0);
  assert.doesNotMatch(text.out, /partial input|YAML syntax/);
  // scan --vulns reads them the same way
  const scan = await runCli(['scan', `${SHOP}/manifests`, '--vulns', `${SHOP}/reports`, '--runtime', dir, '-f', 'json']);
  assert.ok(scan.code === 0 || scan.code === 1, scan.err);
  assert.ok(!JSON.parse(scan.out).problems?.some((p: Json) => p.code === 'yaml-syntax'), scan.out.slice(0, 2000));
});

test('a broken line in a Hubble flow log is one problem (the behaviour reader\'s), in vulns and in plan', async () => {
  const dir = mixedDir();
  appendFileSync(path.join(dir, 'hubble-flows.json'), '{"flow":{"time":"2026-11-29T10:04:00Z","verdict":"FORWARDED",\n');
  const read = await readRuntimeFiles([dir]);
  assert.deepEqual(read.behaviourOnly.map((f) => path.basename(f)), ['gadget-trace-exec.json', 'hubble-flows.json', 'spo-seccomp-profile.yaml']);
  const broken = read.evidenceProblems.filter((p) => path.basename(p.source) === 'hubble-flows.json');
  assert.deepEqual(broken.map((p) => [p.line, p.code, p.severity]), [[3, 'json-syntax', 'error']]);
  const vulns = await runCli(['vulns', `${SHOP}/manifests`, '--vulns', `${SHOP}/reports`, '--runtime', dir, '-f', 'json']);
  assert.equal(vulns.code, 3, 'a broken line: partial input');
  const vp = JSON.parse(vulns.out).problems.filter((p: Json) => path.basename(p.source) === 'hubble-flows.json' && p.severity === 'error');
  assert.deepEqual(vp.map((p: Json) => [p.line, p.code]), [[3, 'json-syntax']]);
  const plan = await runCli(['plan', `${SHOP}/manifests`, '--vulns', `${SHOP}/reports`, '--runtime', dir, '-f', 'json']);
  assert.equal(plan.code, 3, plan.err);
  const pj = JSON.parse(plan.out);
  const pp = pj.problems.filter((p: Json) => path.basename(p.source) === 'hubble-flows.json');
  assert.deepEqual(pp.map((p: Json) => [p.line, p.code]), [[3, 'json-syntax']], 'said once, not by both readers');
  // plan uses the behaviour files (harden's actions): no "takes no vulnerability evidence" note there
  assert.ok(!pj.problems.some((p: Json) => /takes no vulnerability evidence/.test(p.message)));
});
