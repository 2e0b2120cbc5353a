/**
 * The command users run (bin/kordon) loads the bundled CLI (dist/bundle/kordon.cjs, built by
 * `npm run build`) with a V8 code cache. It must answer exactly as the in-process CLI built
 * from the sources: same output bytes and exit codes, its YAML thread, its lazily loaded
 * cluster client and zod/yaml, and a cache that is written once and then used.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createRequire } from 'node:module';
import { runCli } from '../support/cli.js';
import { COMMANDS as COMMAND_TABLE } from '../../src/cli/main.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const BIN = path.join(ROOT, 'bin', 'kordon');
let tmp: string;

function kordon(args: string[], env: Record<string, string> = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, KORDON_CACHE_DIR: path.join(tmp, 'cache'), ...env }, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('bin/kordon runs the bundled CLI', () => {
  before(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-bundle-'));
    for (const name of ['kordon.cjs', 'kordon-scan.cjs']) assert.ok(existsSync(path.join(ROOT, 'dist', 'bundle', name)), `npm run build writes dist/bundle/${name}`);
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('writes a code cache on the first run and answers the same with it', () => {
    const first = kordon(['scan', 'examples/', '-f', 'json']);
    const files = readdirSync(path.join(tmp, 'cache', 'v8'));
    assert.equal(files.length, 1, 'one cache file');
    // a scan runs the scan-only bundle (scripts/bundle.mjs)
    assert.match(files[0]!, /^kordon-scan-v\d+.*-scan\.bin$/);
    const second = kordon(['scan', 'examples/', '-f', 'json']);
    assert.equal(second.out, first.out);
    assert.equal(second.code, first.code);
    const uncached = kordon(['scan', 'examples/', '-f', 'json'], { KORDON_NO_CODE_CACHE: '1' });
    assert.equal(uncached.out, first.out);
    // a cache left by an earlier build (another key) of the same bundle is removed when this build
    // writes its own; the other bundle's caches stay
    const dir = path.join(tmp, 'cache', 'v8');
    writeFileSync(path.join(dir, 'kordon-scan-v0.0.0-x64-1-1-scan.bin'), 'stale');
    writeFileSync(path.join(dir, 'kordon-v0.0.0-x64-1-1-pss.bin'), 'stale');
    rmSync(path.join(dir, files[0]!));
    kordon(['scan', 'examples/', '-f', 'json']);
    assert.deepEqual(readdirSync(dir).sort(), [...files, 'kordon-v0.0.0-x64-1-1-pss.bin'].sort(), 'only the current scan bundle\'s cache stays');
    kordon(['controls']);
    assert.ok(!readdirSync(dir).includes('kordon-v0.0.0-x64-1-1-pss.bin'), 'the whole CLI\'s stale cache goes when it writes one');
    // each command has its own (what its first run compiled); anything else shares one
    kordon(['pss', 'examples/']);
    kordon(['--help']);
    kordon(['--version']);
    assert.deepEqual(readdirSync(dir).map((f) => f.replace(/^kordon-.*-(\w+)\.bin$/, '$1')).sort(), ['cli', 'controls', 'pss', 'scan']);
  });

  it('names a cache for every command of the CLI, and for no other', () => {
    const { COMMANDS: cached } = createRequire(import.meta.url)('../../bin/load-bundle.cjs') as { COMMANDS: string[] };
    assert.deepEqual([...cached].sort(), COMMAND_TABLE.map(([name]) => name).sort());
  });

  for (const format of ['json', 'sarif', 'markdown', 'junit', 'pretty']) {
    it(`scan examples/ -f ${format}: the same bytes and exit code as the in-process CLI`, async () => {
      const args = ['scan', 'examples/', '-f', format, '--fail-on', 'high', '--attack-paths'];
      const bundled = kordon(args);
      const inProcess = await runCli(args);
      assert.equal(bundled.out, inProcess.out);
      assert.equal(bundled.code, inProcess.code);
      assert.equal(bundled.code, 1);
    });
  }

  it('analysis commands answer the same', async () => {
    for (const args of [['paths', 'examples/', '--format', 'json'], ['plan', 'examples/'], ['rbac', 'risky', 'examples/'], ['netpol', 'reach', 'examples/'], ['pss', 'examples/', '--level', 'restricted', '--format', 'json'], ['controls']]) {
      const bundled = kordon(args);
      const inProcess = await runCli(args);
      assert.equal(bundled.out, inProcess.out, args.join(' '));
      assert.equal(bundled.code, inProcess.code, args.join(' '));
    }
  });

  it('a large YAML stream is decoded on the second thread from the bundle, with the same result', async () => {
    const docs: string[] = [];
    for (let i = 0; i < 5000; i++) {
      docs.push(`apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\n  namespace: ns-${i % 7}\n  labels: {app: app-${i}}\nspec:\n  selector: {matchLabels: {app: app-${i}}}\n  template:\n    metadata: {labels: {app: app-${i}}}\n    spec:\n      containers:\n        - name: main\n          image: registry.example.com/app:${i % 3 === 0 ? 'latest' : '1.2.3'}\n          securityContext: {privileged: ${i % 5 === 0}}\n          ports: [{containerPort: 8080}]\n          resources: {limits: {cpu: 100m, memory: 64Mi}}\n`);
    }
    const file = path.join(tmp, 'large.yaml');
    writeFileSync(file, docs.join('---\n'));
    assert.ok(readFileSync(file).length > 2 * 1024 * 1024, 'past the size where a second thread is used');
    const bundled = kordon(['scan', file, '-f', 'json']);
    const inProcess = await runCli(['scan', file, '-f', 'json']);
    assert.equal(bundled.err, '');
    assert.equal(bundled.out, inProcess.out);
  });

  it('a large JSON List is indexed by the JSON thread from the bundle at once (no 30 s wait for a thread that failed to start)', async () => {
    const items = [];
    for (let i = 0; i < 9000; i++) items.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${i}`, namespace: `ns-${i % 13}`, labels: { app: `a${i % 5}` } }, spec: { containers: [{ name: 'c', image: `registry.example.com/app:${i % 3 === 0 ? 'latest' : '1.0'}`, securityContext: { privileged: i % 7 === 0 }, env: [{ name: 'MODE', value: 'x'.repeat(600) }] }] } });
    const file = path.join(tmp, 'large-list.json');
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2));
    assert.ok(readFileSync(file).length > 8 * 1024 * 1024, 'past the size where the JSON thread is used');
    const started = Date.now();
    const bundled = kordon(['scan', file, '-f', 'json']);
    const took = Date.now() - started;
    assert.equal(bundled.err, '');
    assert.ok(took < 25_000, `the scan took ${took} ms: the JSON thread did not answer`);
    const inProcess = await runCli(['scan', file, '-f', 'json']);
    assert.equal(bundled.out, inProcess.out);
  });

  it('a scan of files loads no network, thread, process or compression module, and no package outside the bundle (start-up cost)', () => {
    // a preload that lists, at exit, the heavy built-ins the process loaded ('net' is not among them:
    // a piped stdout is a socket)
    const probe = path.join(tmp, 'probe.cjs');
    writeFileSync(probe, "process.on('exit', () => { const heavy = ['http', 'https', 'tls', 'child_process', 'worker_threads', 'zlib', 'crypto', 'v8', 'fs/promises', 'readline', 'assert']; process.stderr.write('LOADED ' + heavy.filter((m) => process.moduleLoadList.includes('NativeModule ' + m)).join(',') + '\\n'); const pkgs = Object.keys(require.cache).map((k) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(k)?.[1]).filter(Boolean); process.stderr.write('PACKAGES ' + [...new Set(pkgs)].sort().join(',') + '\\n'); });\n");
    // (written to a file: the output path is checked and written without node:fs/promises)
    const r = spawnSync(process.execPath, ['--require', probe, BIN, 'scan', 'test/fixtures/reports/workloads.yaml', '-f', 'json', '-o', path.join(tmp, 'probe-out.json')], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, KORDON_CACHE_DIR: path.join(tmp, 'cache') } });
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
    assert.ok(JSON.parse(readFileSync(path.join(tmp, 'probe-out.json'), 'utf8')).findings.length > 0);
    assert.match(r.stderr, /^LOADED $/m, r.stderr);
    // nor the packages kept outside the bundle (zod, yaml, the cluster client): each costs tens of ms
    assert.match(r.stderr, /^PACKAGES $/m, r.stderr);
    // and the cluster path still loads what it needs (the check above could not pass by loading nothing ever)
    const c = spawnSync(process.execPath, ['--require', probe, BIN, 'scan', '--cluster', '--kubeconfig', path.join(tmp, 'missing-kubeconfig')], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, KORDON_CACHE_DIR: path.join(tmp, 'cache') } });
    assert.equal(c.status, 4, c.stderr);
  });

  it('loads the cluster client only when asked, from node_modules', () => {
    const r = kordon(['scan', '--cluster', '--kubeconfig', path.join(tmp, 'missing-kubeconfig')]);
    assert.equal(r.code, 4, r.err);
    assert.match(r.err, /missing-kubeconfig/);
    assert.doesNotMatch(r.err, /internal error/);
  });

  it('reads an exceptions file (zod and yaml load lazily from node_modules)', async () => {
    const args = ['scan', 'test/fixtures/reports/workloads.yaml', '--exceptions', 'test/fixtures/reports/exceptions.yaml', '-f', 'json'];
    const bundled = kordon(args);
    const inProcess = await runCli(args);
    assert.equal(bundled.out, inProcess.out);
    assert.match(bundled.out, /"suppressed"/);
  });
});
