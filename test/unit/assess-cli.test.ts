/**
 * `kordon assess` as a user runs it: every format on the bundled example, byte-identical reruns,
 * no secret value in any output, the standalone scorecard, partial input, bad flags, and
 * progress against a previous assessment after fixing one thing and breaking another.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/cli.js';
import { DIMENSIONS } from '../../src/engine/types.js';
import { allControls } from '../../src/controls/index.js';
import { dimensionsOf } from '../../src/assess/assess.js';

const SECRETS = ['pk_live_51HdemoKeyThatMustNeverBePrinted', 'Pr0d-DB-pa55w0rd!'];
let tmp: string;

before(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-assess-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

test('every format: the example, byte-identical on a rerun, no secret value anywhere', async () => {
  const example = readFileSync('examples/shop/20-api.yaml', 'utf8') + readFileSync('examples/shop/30-data.yaml', 'utf8');
  assert.ok(SECRETS.some((s) => example.includes(s)), 'the example carries the secrets this test looks for');
  for (const format of ['json', 'markdown', 'html', 'pretty']) {
    const first = await runCli(['assess', 'examples/', '-f', format]);
    const second = await runCli(['assess', 'examples/', '-f', format]);
    assert.equal(first.code, 0, first.err);
    assert.equal(first.out, second.out, `${format} is deterministic`);
    for (const s of SECRETS) assert.ok(!first.out.includes(s), `${format} leaks no secret`);
    for (const d of DIMENSIONS) {
      const shown = format === 'html' ? d.replace(/&/g, '&amp;') : d;
      assert.ok(first.out.includes(shown) || first.out.includes(d.toUpperCase()), `${format} names ${d}`);
    }
  }
  const j = JSON.parse((await runCli(['assess', 'examples/', '-f', 'json'])).out);
  // the shape the issue asks for
  assert.deepEqual(j.dimensions.map((d: { name: string }) => d.name), [...DIMENSIONS]);
  for (const d of j.dimensions) {
    assert.ok('score' in d && Array.isArray(d.findings) && Array.isArray(d.notJudged));
    for (const n of d.notJudged) assert.ok(typeof n.what === 'string' && typeof n.reason === 'string' && n.reason.length > 0);
  }
  for (const a of j.actions) assert.ok(typeof a.id === 'string' && typeof a.risk === 'number' && ['low', 'medium', 'high'].includes(a.effort) && (DIMENSIONS as readonly string[]).includes(a.dimension));
  assert.deepEqual(j.quarters.map((q: { quarter: number }) => q.quarter), [1, 2, 3, 4]);
  for (const q of j.quarters) assert.ok(Array.isArray(q.actions) && typeof q.pathsClosed === 'number');
  assert.equal(j.partial, false);
  // every finding of the scan is behind each dimension its control informs, and behind no other
  const scan = JSON.parse((await runCli(['scan', 'examples/', '-f', 'json'])).out);
  const dimsOf = new Map(allControls.map((c) => [c.id, dimensionsOf(c)]));
  for (const d of j.dimensions) {
    const want = scan.findings.filter((f: { suppressed?: unknown; controlId: string }) => !f.suppressed && dimsOf.get(f.controlId)!.includes(d.name));
    assert.equal(d.findings.length, want.length, d.name);
  }
});

test('--scorecard writes a standalone SVG with a bubble per action; the roadmap in markdown is one page of quarters', async () => {
  const svg = path.join(tmp, 'scorecard.svg');
  const r = await runCli(['assess', 'examples/', '-f', 'markdown', '--scorecard', svg]);
  assert.equal(r.code, 0, r.err);
  const text = readFileSync(svg, 'utf8');
  assert.match(text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  const j = JSON.parse((await runCli(['assess', 'examples/', '-f', 'json'])).out);
  assert.equal((text.match(/<g class="bubble"/g) ?? []).length, j.actions.length);
  for (const q of [1, 2, 3, 4]) assert.match(r.out, new RegExp(`^### Q${q} \\(days`, 'm'));
  assert.match(r.out, /## 12-month roadmap/);
  assert.match(r.out, /after KOR-\d+.*fix those pods first/);
});

test('bad flags and a malformed input: exit 2 with a clear message; a broken file is named and the rest is assessed', async () => {
  let r = await runCli(['assess', 'examples/', '-f', 'sarif']);
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown format "sarif"/);
  r = await runCli(['assess', 'examples/', '--capacity', 'lots']);
  assert.equal(r.code, 2);
  assert.match(r.err, /--capacity takes a positive number/);
  r = await runCli(['assess', 'examples/', '--capacity', '0']);
  assert.equal(r.code, 2);
  const dir = path.join(tmp, 'broken');
  cpSync('examples/shop', dir, { recursive: true });
  writeFileSync(path.join(dir, '99-broken.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: [unclosed\n');
  r = await runCli(['assess', dir, '-f', 'json']);
  assert.equal(r.code, 3);
  const j = JSON.parse(r.out);
  assert.equal(j.partial, true);
  assert.ok(j.problems.some((p: { source: string; line?: number }) => p.source.endsWith('99-broken.yaml') && (p.line ?? 0) > 0));
  assert.ok(j.actions.length > 10, 'the rest is still assessed');
  r = await runCli(['assess', dir]);
  assert.equal(r.code, 3);
  assert.match(r.out, /^computed from partial input/);
});

test('--previous: actions done, new risks, worse and better scores', async () => {
  const dir = path.join(tmp, 'shop');
  cpSync('examples/shop', dir, { recursive: true });
  const prev = path.join(tmp, 'before.json');
  assert.equal((await runCli(['assess', dir, '-f', 'json', '-o', prev])).code, 0);
  // fix the privileged log agent; expose a new Service on an external IP
  const obs = path.join(dir, '40-observability.yaml');
  writeFileSync(obs, readFileSync(obs, 'utf8').replace('privileged: true', 'privileged: false'));
  writeFileSync(path.join(dir, '50-new.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: admin\n  namespace: shop-api\nspec:\n  selector:\n    app: orders\n  externalIPs: ["203.0.113.10"]\n  ports:\n    - port: 8443\n');
  const r = await runCli(['assess', dir, '-f', 'json', '--previous', prev]);
  assert.equal(r.code, 0, r.err);
  const { progress, actions } = JSON.parse(r.out);
  assert.ok(progress.actionsDone.some((x: { id: string }) => x.id === 'KOR-0003'), JSON.stringify(progress.actionsDone));
  assert.ok(!actions.some((x: { id: string }) => x.id === 'KOR-0003'));
  assert.ok(progress.newRisks.some((x: { id: string }) => x.id === 'KOR-0135'), JSON.stringify(progress.newRisks));
  const before = JSON.parse(readFileSync(prev, 'utf8'));
  for (const s of progress.scores) {
    const b = before.dimensions.find((d: { name: string }) => d.name === s.name).score;
    assert.equal(s.before, b);
    if (s.before !== null && s.after !== null) assert.equal(s.delta, Math.round((s.after - s.before) * 10) / 10);
  }
  assert.equal(progress.attackPaths.before, before.summary.attackPaths);
  assert.equal(progress.attackPaths.after, JSON.parse(r.out).summary.attackPaths);
  for (const format of ['markdown', 'pretty', 'html']) {
    const t = await runCli(['assess', dir, '-f', format, '--previous', prev]);
    assert.match(t.out, /actions done: 1|Actions done: 1/i, format);
    assert.match(t.out, /KOR-0135/, format);
  }
  // not an assessment: exit 2, naming the file and what is wrong
  const scanJson = path.join(tmp, 'scan.json');
  writeFileSync(scanJson, (await runCli(['scan', dir, '-f', 'json'])).out);
  let bad = await runCli(['assess', dir, '--previous', scanJson]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--previous .*scan\.json: not a kordon assessment/);
  writeFileSync(scanJson, '{"kind": "kordon-assessment", "dimensions": [], "actions": [{"id": 3}]}');
  bad = await runCli(['assess', dir, '--previous', scanJson]);
  assert.match(bad.err, /actions\[0\] is not an assessment action/);
  writeFileSync(scanJson, '{ truncated');
  bad = await runCli(['assess', dir, '--previous', scanJson]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /not JSON/);
  bad = await runCli(['assess', dir, '--previous', path.join(tmp, 'missing.json')]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /cannot be read \(ENOENT\)/);
});
