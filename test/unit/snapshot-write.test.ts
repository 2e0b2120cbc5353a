/**
 * Snapshots are written to a temporary file in the same folder and renamed when complete: a
 * real `kordon snapshot` process killed mid-write (SIGINT, SIGTERM) leaves no file behind and
 * the good snapshot already at the -o path untouched; so does a read that fails. Credentials in
 * the server URL reach neither stderr nor the snapshot.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { readSnapshot } from '../../src/sources/cluster/snapshot.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PASSWORD = 'srvPw-NEVER-PRINTED-777';
let tmp: string;
let server: http.Server;
let port: number;
let pagesServed = 0;
let versionStatus = 200;
let slow = false;

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

before(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-snapw-'));
  server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    switch (url.pathname) {
      case '/version':
        return versionStatus === 200 ? json(res, 200, { major: '1', minor: '35', gitVersion: 'v1.35.0-slow' }) : json(res, versionStatus, { reason: 'Unauthorized' });
      case '/api':
        return json(res, 200, { versions: ['v1'] });
      case '/apis':
        return json(res, 200, { groups: [] });
      case '/api/v1':
        return json(res, 200, { groupVersion: 'v1', resources: [{ name: 'configmaps', kind: 'ConfigMap', namespaced: true, verbs: ['list'] }] });
      case '/api/v1/configmaps': {
        // while `slow`: pages keep coming, slowly (a large cluster); else two objects
        const n = Number(url.searchParams.get('continue') ?? '0');
        if (url.searchParams.get('limit') && slow) {
          pagesServed++;
          const items = Array.from({ length: 50 }, (_, i) => ({ metadata: { name: `cm-${n}-${i}`, namespace: 'n' }, data: { k: 'x'.repeat(200) } }));
          setTimeout(() => json(res, 200, { metadata: { continue: String(n + 1) }, items }), 40);
          return;
        }
        return json(res, 200, { metadata: {}, items: [{ metadata: { name: 'one', namespace: 'n' } }, { metadata: { name: 'two', namespace: 'n' } }] });
      }
      default:
        return json(res, 404, { reason: 'NotFound' });
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  writeFileSync(path.join(tmp, 'kubeconfig'), `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "http://ops:${PASSWORD}@127.0.0.1:${port}", insecure-skip-tls-verify: true}\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: slow\n  context: {cluster: c, user: u}\ncurrent-context: slow\n`);
});

after(() => {
  server.closeAllConnections();
  server.close();
  rmSync(tmp, { recursive: true, force: true });
});


function kordon(args: string[]): { child: ReturnType<typeof spawn>; done: Promise<{ code: number | null; signal: string | null; err: string }> } {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/kordon'), ...args], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  child.stdout!.resume();
  const done = new Promise<{ code: number | null; signal: string | null; err: string }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, err })));
  return { child, done };
}

const GOOD = Buffer.from('a good snapshot from yesterday');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} mid-write: no temporary file left, the file at -o untouched`, async () => {
    const out = path.join(tmp, `cluster-${signal}.json.gz`);
    writeFileSync(out, GOOD);
    slow = true;
    pagesServed = 0;
    const { child, done } = kordon(['snapshot', '--cluster', '--kubeconfig', path.join(tmp, 'kubeconfig'), '-o', out, '-q']);
    // wait until the snapshot is being written: pages read, its temporary file growing
    const deadline = Date.now() + 20_000;
    const temps = (): string[] => readdirSync(tmp).filter((f) => f.startsWith(`.cluster-${signal}.json.gz.`) && f.endsWith('.tmp'));
    while (!(pagesServed >= 5 && temps().length === 1 && statSync(path.join(tmp, temps()[0]!)).size > 0)) {
      assert.ok(Date.now() < deadline, 'the snapshot never started writing');
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(statSync(path.join(tmp, temps()[0]!)).mode & 0o777, 0o600, 'a snapshot is readable by its owner only');
    child.kill(signal);
    const r = await done;
    slow = false;
    assert.equal(r.code, signal === 'SIGINT' ? 130 : 143, r.err);
    assert.match(r.err, new RegExp(`stopped by ${signal}; .*cluster-${signal}\\.json\\.gz was not written`));
    assert.deepEqual(temps(), []);
    assert.deepEqual(readFileSync(out), GOOD);
  });
}

test('a read that fails keeps the good file; one that succeeds replaces it; no password anywhere', async () => {
  const out = path.join(tmp, 'cluster.json.gz');
  writeFileSync(out, GOOD);
  versionStatus = 401;
  const failed = await kordon(['snapshot', '--cluster', '--kubeconfig', path.join(tmp, 'kubeconfig'), '-o', out, '-q']).done;
  versionStatus = 200;
  assert.equal(failed.code, 4, failed.err);
  assert.match(failed.err, new RegExp(`^kordon: cannot read the cluster \\(context "slow", server http://127\\.0\\.0\\.1:${port}\\): GET /version: 401`));
  assert.deepEqual(readFileSync(out), GOOD);
  const ok = await kordon(['snapshot', '--cluster', '--kubeconfig', path.join(tmp, 'kubeconfig'), '-o', out, '-q']).done;
  assert.equal(ok.code, 0, ok.err);
  const text = gunzipSync(readFileSync(out)).toString('utf8');
  assert.ok(text.includes('"name":"two"'));
  assert.ok(text.includes(`"server":"http://127.0.0.1:${port}"`), text.slice(-400));
  for (const s of [failed.err, ok.err, text]) assert.ok(!s.includes(PASSWORD), 'the server password was written out');
  assert.deepEqual(readdirSync(tmp).filter((f) => f.endsWith('.tmp')), []);
  const snap = await readSnapshot(out);
  assert.deepEqual(snap.objects.map((o) => o.object.metadata.name), ['one', 'two']);
  // a folder that does not exist is a usage error, not a bug
  const nowhere = await kordon(['snapshot', '--cluster', '--kubeconfig', path.join(tmp, 'kubeconfig'), '-o', path.join(tmp, 'missing', 'x.json.gz'), '-q']).done;
  assert.equal(nowhere.code, 2, nowhere.err);
  assert.match(nowhere.err, /cannot write .*x\.json\.gz: its folder does not exist/);
});
