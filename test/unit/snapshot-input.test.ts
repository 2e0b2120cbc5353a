/**
 * Snapshots are input like any other: hand-made and corrupt ones (generated here) give a clear
 * problem per bad part, naming the file, and everything else is still read; the file and what
 * it inflates to are bounded (a gzip bomb stops at the limit, while inflating).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { readSnapshot } from '../../src/sources/cluster/snapshot.js';
import { runCli } from '../support/cli.js';

let tmp: string;
before(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-snapin-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const HEAD = { apiVersion: 'kordon.dev/v1', kind: 'Snapshot', source: 'cluster:hand', context: 'hand', server: 'https://k8s.example:6443' };
const privileged = (name: string): object => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop' }, spec: { containers: [{ name: 'c', image: 'nginx:1.27', securityContext: { privileged: true } }] } });

function write(name: string, content: unknown, raw = false): string {
  const file = path.join(tmp, name);
  writeFileSync(file, gzipSync(raw ? (content as string | Buffer) : JSON.stringify(content)));
  return file;
}

test('bad items, a coverage that is no list, wrong header types: a problem each, the rest read', async () => {
  // 10,000 levels deep (as text: JSON.stringify itself would not go that deep)
  const deep = '{"n":'.repeat(10_000) + '"x"' + '}'.repeat(10_000);
  const file = write('hand.json.gz', JSON.stringify({
    ...HEAD,
    context: 42,
    server: ['x'],
    serverVersion: 'v1.35',
    items: [null, 7, 'text', [], { metadata: { name: 'no-kind' } }, { kind: 'Pod', metadata: { name: 'no-version' } }, { apiVersion: 'v1', kind: 'Pod' }, { apiVersion: 'v1', kind: 'Pod', metadata: { name: ['a'] } }, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'deep', namespace: 'shop' }, spec: 'DEEP' }, privileged('good'), { ...privileged('odd-meta'), metadata: { name: 'odd-meta', namespace: 'shop', labels: 7, annotations: { a: 1 }, ownerReferences: {} } }],
    coverage: 'all of it',
    problems: [{ source: 'cluster:hand', code: 'forbidden', severity: 'error', message: 'cannot list secrets: 403 Forbidden' }, null, { message: 7 }],
  }).replace('"DEEP"', deep), true);
  const r = await readSnapshot(file);
  assert.deepEqual(r.objects.map((o) => o.object.metadata.name), ['good', 'odd-meta']);
  const lines = r.problems.map((p) => `${p.severity} ${p.code} ${p.message}`);
  const n = `snapshot ${file}`;
  assert.deepEqual(lines, [
    'error forbidden cannot list secrets: 403 Forbidden',
    `warning not-an-object ${n}: context is not a string; ignored`,
    `warning not-an-object ${n}: server is not a string; ignored`,
    `error not-an-object ${n}: items[0] is null, not an object; skipped`,
    `error not-an-object ${n}: items[1] is a number, not an object; skipped`,
    `error not-an-object ${n}: items[2] is a string, not an object; skipped`,
    `error not-an-object ${n}: items[3] is a list, not an object; skipped`,
    `error missing-kind ${n}: items[4] has no kind; skipped`,
    `error missing-apiversion ${n}: items[5] has no apiVersion; skipped`,
    `error missing-name ${n}: items[6] has no metadata; skipped`,
    `error missing-name ${n}: items[7] has no metadata.name; skipped`,
    `error too-deep ${n}: items[8] is nested more than 512 levels deep; skipped`,
    `error not-an-object ${n}: items[10] (Pod shop/odd-meta): metadata.labels is not a map of strings; ignored`,
    `error not-an-object ${n}: items[10] (Pod shop/odd-meta): metadata.annotations is not a map of strings; ignored`,
    `error not-an-object ${n}: items[10] (Pod shop/odd-meta): metadata.ownerReferences is not a list of objects; ignored`,
    `error not-an-object ${n}: coverage is not a list; ignored`,
    `error not-an-object ${n}: 2 recorded problems are malformed; ignored`,
    `warning not-an-object ${n}: serverVersion is not an object; ignored`,
  ]);
  assert.ok(r.problems.every((p) => p.source === file || p.source === 'cluster:hand'));
  // and a scan of it judges the good object, lists the problems, exits 3 (in every format)
  const cli = await runCli(['scan', file, '-f', 'json']);
  assert.equal(cli.code, 3, cli.err);
  const report = JSON.parse(cli.out) as { findings: Array<{ controlId: string; object: { name: string } }>; problems: Array<{ message: string }> };
  assert.ok(report.findings.some((f) => f.object.name === 'good' && f.controlId === 'KOR-0003'), 'the privileged pod is reported');
  assert.ok(report.findings.some((f) => f.object.name === 'odd-meta' && f.controlId === 'KOR-0003'), 'the object with bad metadata fields is judged too');
  assert.equal(report.problems.length, lines.length);
  for (const format of ['pretty', 'sarif', 'markdown', 'junit', 'html']) {
    const out = await runCli(['scan', file, '-f', format]);
    assert.equal(out.code, 3, `${format}: ${out.err}`);
  }
});

test('a million bad items: the first hundred listed, then how many more', async () => {
  const file = write('nulls.json.gz', { ...HEAD, items: [...Array.from({ length: 1_000_000 }, () => null), privileged('last')], coverage: [], problems: [] });
  const r = await readSnapshot(file);
  assert.deepEqual(r.objects.map((o) => o.object.metadata.name), ['last']);
  assert.equal(r.problems.length, 101);
  assert.match(r.problems[100]!.message, /: 999900 more items are not objects the snapshot can hold; skipped$/);
});

test('corrupt files: truncated gzip, not JSON (its text never quoted), not a snapshot, nested past any parser', async () => {
  const good = gzipSync(JSON.stringify({ ...HEAD, items: [privileged('p')], coverage: [], problems: [] }));
  const cases: Array<[string, Buffer | string, string, RegExp]> = [
    ['truncated.json.gz', good.subarray(0, Math.floor(good.length / 2)), 'unreadable', /the gzip data is truncated or corrupt$/],
    ['garbage.json.gz', Buffer.concat([good.subarray(0, 10), Buffer.alloc(200, 0xab)]), 'unreadable', /truncated or corrupt/],
    ['text.json.gz', gzipSync('{"apiVersion": "kordon.dev/v1",\n "items": [ password=hunter2-NEVER ]}'), 'json-syntax', /is not valid JSON; not read$/],
    ['cut.json.gz', gzipSync('{"apiVersion": "kordon.dev/v1",\n "items": [{"a": 1'), 'json-syntax', /is not valid JSON \(line 2, column 19\); not read$/],
    ['other.json.gz', gzipSync(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [] })), 'not-an-object', /is not a kordon snapshot/],
    ['array.json.gz', gzipSync('[1,2]'), 'not-an-object', /is not a kordon snapshot/],
    ['deep.json.gz', gzipSync('['.repeat(1_000_000)), 'json-syntax', /not valid JSON|nested too deeply/],
  ];
  for (const [name, data, code, message] of cases) {
    const file = path.join(tmp, name);
    writeFileSync(file, data);
    const r = await readSnapshot(file);
    assert.equal(r.objects.length, 0, name);
    assert.equal(r.problems.length, 1, name);
    assert.equal(r.problems[0]!.code, code, `${name}: ${r.problems[0]!.message}`);
    assert.match(r.problems[0]!.message, message, name);
    assert.ok(r.problems[0]!.message.includes(file), name);
    assert.ok(!r.problems[0]!.message.includes('hunter2'), 'parser text was quoted');
  }
  // the rest of a scan still happens
  const cli = await runCli(['scan', path.join(tmp, 'truncated.json.gz'), 'examples/shop', '-f', 'json']);
  assert.equal(cli.code, 3, cli.err);
  assert.ok((JSON.parse(cli.out) as { findings: unknown[] }).findings.length > 10);
});

/** A gzip file of many copies of one member: `{"apiVersion":...,"items":[` and then a GiB of spaces. */
function bomb(file: string): number {
  const spaces = gzipSync(Buffer.alloc(16 * 1024 * 1024, 0x20), { level: 9 });
  const members = [gzipSync(`{"apiVersion":"kordon.dev/v1","kind":"Snapshot","items":[`), ...Array.from({ length: 64 }, () => spaces), gzipSync(']}')];
  const data = Buffer.concat(members);
  writeFileSync(file, data);
  return data.length;
}

test('a gzip bomb (about 1 MB inflating to 1 GiB) stops at the limit while inflating', async () => {
  const file = path.join(tmp, 'bomb.json.gz');
  const size = bomb(file);
  assert.ok(size < 2 * 1024 * 1024, `${size} bytes`);
  const started = Date.now();
  const r = await readSnapshot(file, { maxFileSize: 8 * 1024 * 1024 });
  assert.ok(Date.now() - started < 5000);
  assert.deepEqual(r.problems.map((p) => `${p.code} ${p.message}`), [`too-large snapshot ${file} inflates to more than 8388608 bytes (--max-file-size); not read`]);
  const cli = await runCli(['scan', file, '--max-file-size', '8388608']);
  assert.equal(cli.code, 3);
  assert.match(cli.out, /inflates to more than 8388608 bytes/);
  // with the default limit (256 MiB), in a process of its own: memory stays near the limit, far from the GiB
  const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', `import('./src/sources/cluster/snapshot.ts').then(async (m) => { const r = await m.readSnapshot(${JSON.stringify(file)}); console.log(JSON.stringify({ problems: r.problems.map((p) => p.code), rss: process.resourceUsage().maxRSS })); })`], { encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  const out = JSON.parse(child.stdout) as { problems: string[]; rss: number };
  assert.deepEqual(out.problems, ['too-large']);
  assert.ok(out.rss < 700 * 1024, `max RSS ${Math.round(out.rss / 1024)} MiB`);
});

test('a snapshot over the limit before inflating is not read at all', async () => {
  const file = write('big.json.gz', { ...HEAD, items: [privileged('p')], coverage: [], problems: [] });
  const r = await readSnapshot(file, { maxFileSize: 20 });
  assert.equal(r.problems[0]!.code, 'too-large');
  assert.match(r.problems[0]!.message, /bytes, over the 20-byte limit \(--max-file-size\); not read$/);
});

test('the corpus of bad snapshots (test/corpus/cluster): every command reads them, exit 3, problems name the file', async () => {
  const dir = 'test/corpus/cluster';
  const files = readdirSync(dir).filter((f) => f.endsWith('.json.gz')).sort();
  assert.ok(files.length >= 3);
  for (const f of files) {
    const file = path.join(dir, f);
    const json = await runCli(['scan', file, '-f', 'json']);
    assert.equal(json.code, 3, `${f}: ${json.err}`);
    const problems = (JSON.parse(json.out) as { problems: Array<{ source: string; message: string }> }).problems;
    assert.ok(problems.length > 0 && problems.every((p) => p.source === file && p.message.includes(file)), `${f}: ${JSON.stringify(problems)}`);
    for (const args of [['scan', file, '--attack-paths'], ['scan', file, '-f', 'html'], ['scan', file, '-f', 'sarif'], ['paths', file], ['plan', file], ['pss', file], ['netpol', 'reach', file], ['rbac', 'risky', file]]) {
      const r = await runCli(args);
      assert.ok(r.code <= 3, `${args.join(' ')}: exit ${r.code} ${r.err}`);
    }
  }
});
