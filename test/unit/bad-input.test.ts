/**
 * The bad-input corpus (test/fixtures/bad-input plus inputs generated here that are too big
 * or too binary to keep as files): every broken input becomes an InputProblem naming its
 * source and line, the rest of the input is still scanned, and no secret value ever reaches
 * a report.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanPaths } from '../../src/scan.js';
import { formatReport, REPORT_FORMATS } from '../../src/report/index.js';
import type { ScanResult } from '../../src/engine/result.js';
import type { InputProblem } from '../../src/inventory/types.js';
import { parseManifestText } from '../../src/sources/manifests/parse.js';
import { loadManifests } from '../../src/sources/manifests/load.js';
import { TextLocator } from '../../src/sources/manifests/locate.js';
import { runControls } from '../../src/engine/run.js';
import { Inventory } from '../../src/inventory/inventory.js';
import { defineControl, type CheckContext } from '../../src/engine/types.js';
import type { K8sObject } from '../../src/inventory/types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const corpus = path.resolve(here, '../fixtures/bad-input');
const fixture = (name: string): string => path.join(corpus, name);
const SECRET = 'KORDON-TEST-SECRET-9f8e7d';

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'kordon-bad-input-'));
}

function problemsOf(r: ScanResult, code?: InputProblem['code']): InputProblem[] {
  return r.problems.filter((p) => code === undefined || p.code === code);
}

/** The object scanned next to the broken one still gets its finding (nginx:latest → KOR-0100). */
function assertNeighbourScanned(r: ScanResult, name: string): void {
  const f = r.findings.find((x) => x.controlId === 'KOR-0100' && x.object?.name === name);
  assert.ok(f, `expected the mutable-tag finding on ${name}; got ${JSON.stringify(r.findings.map((x) => [x.controlId, x.object?.name]))}`);
}

function assertProblem(r: ScanResult, code: InputProblem['code'], source: string, line: number): InputProblem {
  const p = r.problems.find((x) => x.code === code && x.source === source && x.line === line);
  assert.ok(p, `expected ${code} at ${source}:${line}; got ${JSON.stringify(r.problems)}`);
  return p;
}

test('an alias bomb (billion laughs) is refused quickly on its own line and the next document is scanned', async () => {
  const started = process.hrtime.bigint();
  const r = await scanPaths([fixture('alias-bomb.yaml')]);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const p = assertProblem(r, 'alias-limit', fixture('alias-bomb.yaml'), 2);
  assert.equal(p.severity, 'error');
  assert.match(p.message, /alias/);
  assertNeighbourScanned(r, 'neighbour-of-bomb');
  assert.equal(r.summary.objects, 1);
  assert.ok(ms < 5000, `alias bomb took ${ms} ms`);
});

test('documents nested 10,000 deep (YAML block and flow, JSON) are refused without a stack overflow', async () => {
  const dir = tempDir();
  try {
    const depth = 10_000;
    // block style: each level one more space of indentation
    const block: string[] = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: deep-block}', 'data:'];
    for (let i = 0; i < depth; i++) block.push(`${' '.repeat(i + 1)}k:`);
    const neighbour = 'apiVersion: v1\nkind: Pod\nmetadata: {name: deep-neighbour}\nspec:\n  containers:\n    - {name: app, image: "nginx:latest"}\n';
    writeFileSync(path.join(dir, 'block.yaml'), `${block.join('\n')} x\n---\n${neighbour}`);
    writeFileSync(path.join(dir, 'flow.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep-flow}\ndata: ${'['.repeat(depth)}${']'.repeat(depth)}\n---\n${neighbour.replace('deep-neighbour', 'flow-neighbour')}`);
    writeFileSync(path.join(dir, 'flow-map.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep-flow-map}\ndata: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}\n`);
    writeFileSync(path.join(dir, 'deep.json'), `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep-json"},"data":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    const deepItem = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep-item"},"data":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
    const okItem = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'list-neighbour' }, spec: { containers: [{ name: 'app', image: 'nginx:latest' }] } });
    writeFileSync(path.join(dir, 'list.json'), `{"apiVersion": "v1", "kind": "List",\n "items": [\n  ${deepItem},\n  ${okItem}\n]}\n`);
    const r = await scanPaths([dir]);
    const deep = problemsOf(r, 'too-deep');
    for (const f of ['block.yaml', 'flow.yaml', 'flow-map.yaml', 'deep.json', 'list.json']) {
      const p = deep.find((x) => x.source === path.join(dir, f));
      assert.ok(p, `${f}: expected a too-deep problem; got ${JSON.stringify(r.problems)}`);
      assert.ok(p.line !== undefined && p.line >= 1, `${f}: the problem has a line`);
    }
    // the List item is reported at its own line, not the List's
    assert.equal(deep.find((x) => x.source === path.join(dir, 'list.json'))!.line, 3);
    assertNeighbourScanned(r, 'deep-neighbour');
    assertNeighbourScanned(r, 'flow-neighbour');
    assertNeighbourScanned(r, 'list-neighbour');
    assert.deepEqual(r.findings.filter((f) => ['deep-block', 'deep-flow', 'deep-flow-map', 'deep-json', 'deep-item'].includes(f.object?.name ?? '')), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('objects within the depth limit are scanned, and neither the locator nor the controls recurse past it', () => {
  // 500 levels: accepted (limit 512); a control that walks the whole object and the locator both cope
  // (a custom resource: a ConfigMap's data holds strings only, and a nested one is dropped at the door)
  const depth = 500;
  const text = `apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: five-hundred}\ndata:\n${Array.from({ length: depth - 2 }, (_, i) => `${' '.repeat(i + 2)}k:`).join('\n')} leaf\n`;
  const parsed = parseManifestText('deep.yaml', text);
  assert.deepEqual(parsed.problems, []);
  assert.equal(parsed.objects.length, 1);
  const locator = new TextLocator();
  locator.addYaml('deep.yaml', parsed.yamlDocs!);
  const walker = defineControl({
    id: 'KOR-TEST-DEEP',
    name: 'test-deep-walker',
    title: 'walks every field recursively',
    description: 'test only',
    layer: 'code',
    phases: ['develop'],
    severity: 'info',
    effort: 'low',
    frameworks: {},
    remediation: 'none',
    targets: 'object',
    kinds: ['Widget'],
    messages: { leaf: 'leaf at depth {{depth}}' },
    check(obj: K8sObject, ctx: CheckContext<'leaf'>) {
      const visit = (v: unknown, pointer: string, d: number): void => {
        if (v === null || typeof v !== 'object') return ctx.report('leaf', { depth: d }, pointer);
        for (const [k, x] of Object.entries(v)) visit(x, `${pointer}/${k}`, d + 1);
      };
      visit(obj['data'], '/data', 1);
    },
  } as unknown as Parameters<typeof defineControl>[0]);
  const run = runControls(new Inventory(parsed.objects, parsed.problems, locator), [walker]);
  assert.equal(run.findings.length, 1);
  assert.equal(run.findings[0]!.location?.line, 4 + depth - 2, 'the deepest key is located on its line');
});

test('a file over maxFileSize is skipped with its size named, and the other files are scanned', async () => {
  const dir = tempDir();
  try {
    writeFileSync(path.join(dir, 'big.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  blob: "${'x'.repeat(4096)}"\n`);
    writeFileSync(path.join(dir, 'small.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: small}\nspec:\n  containers: [{name: app, image: "nginx:latest"}]\n');
    const r = await scanPaths([dir], { maxFileSize: 1024 });
    const p = problemsOf(r, 'too-large');
    assert.equal(p.length, 1);
    assert.equal(p[0]!.source, path.join(dir, 'big.yaml'));
    assert.match(p[0]!.message, /1024-byte limit/);
    assertNeighbourScanned(r, 'small');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('invalid UTF-8 in one document skips only that document, at the right line', async () => {
  const dir = tempDir();
  try {
    const good1 = Buffer.from('apiVersion: v1\nkind: Pod\nmetadata: {name: before-bad-bytes}\nspec:\n  containers: [{name: app, image: "nginx:latest"}]\n---\n');
    const bad = Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad-bytes}\ndata:\n  k: "'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"\n---\n')]);
    const good2 = Buffer.from('apiVersion: v1\nkind: Pod\nmetadata: {name: after-bad-bytes}\nspec:\n  containers: [{name: app, image: "nginx:latest"}]\n');
    writeFileSync(path.join(dir, 'mixed.yaml'), Buffer.concat([good1, bad, good2]));
    writeFileSync(path.join(dir, 'bad.json'), Buffer.concat([Buffer.from('{"apiVersion": "v1", "kind": "ConfigMap",\n"metadata": {"name": "x\u00e9'), Buffer.from([0xfe]), Buffer.from('"}}\n')]));
    // a binary file with a bad byte on each of 300,000 lines (also as .json)
    const binary = Buffer.alloc(600_000, 0x0a);
    for (let i = 0; i < binary.length; i += 2) binary[i] = 0xff;
    writeFileSync(path.join(dir, 'binary.yaml'), binary);
    writeFileSync(path.join(dir, 'binary.json'), Buffer.concat([Buffer.from('{'), binary]));
    const r = await scanPaths([dir]);
    assertProblem(r, 'invalid-utf8', path.join(dir, 'binary.yaml'), 1);
    assertProblem(r, 'invalid-utf8', path.join(dir, 'binary.json'), 1);
    assertProblem(r, 'invalid-utf8', path.join(dir, 'mixed.yaml'), 11);
    assertProblem(r, 'invalid-utf8', path.join(dir, 'bad.json'), 2);
    assertNeighbourScanned(r, 'before-bad-bytes');
    assertNeighbourScanned(r, 'after-bad-bytes');
    assert.equal(r.summary.objects, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('duplicate keys: a warning at the repeated key, and the last value wins (as the API server reads it)', async () => {
  const r = await scanPaths([fixture('duplicate-keys.yaml')]);
  const p = assertProblem(r, 'duplicate-key', fixture('duplicate-keys.yaml'), 9);
  assert.equal(p.severity, 'warning');
  assert.equal(p.column, 7);
  const f = r.findings.find((x) => x.controlId === 'KOR-0100');
  assert.ok(f, 'the last value (nginx:latest) is the one scanned');
  assert.equal(f.location?.line, 9, 'the finding points at the key whose value is used');
});

test('duplicate JSON member names: a warning at each repeated name, and the last value wins', async () => {
  const file = fixture('duplicate-keys.json');
  const r = await scanPaths([file]);
  const dups = problemsOf(r, 'duplicate-key').filter((p) => p.source === file);
  assert.deepEqual(dups.map((p) => [p.line, p.column, p.severity]), [[6, 42, 'warning'], [13, 9, 'warning']]); // "\u0061pp" is "app"
  const f = r.findings.find((x) => x.controlId === 'KOR-0100' && x.object?.name === 'twice-json');
  assert.ok(f, 'the last value (nginx:latest) is the one scanned');
  assert.equal(f.location?.line, 13, 'the finding points at the name whose value is used');
  for (const format of REPORT_FORMATS) assert.ok(formatReport(r, format, { color: false }).includes('duplicate member name'), `${format} lists the warning`);
});

test('YAML 1.1 scalars are read with go-yaml v2 semantics (sigs.k8s.io/yaml)', async () => {
  const r = await scanPaths([fixture('yaml11.yaml')], { controls: [] });
  // booleans and numbers in a ConfigMap's data are what the API server refuses (data holds
  // strings): each is named at its line as a field of the wrong type, never quoted
  const wrong = r.problems.filter((p) => p.code === 'wrong-type');
  assert.deepEqual(r.problems.filter((p) => p.code !== 'wrong-type'), []);
  assert.deepEqual(
    wrong.map((p) => [p.line, p.message.replace(/ should.*/, '')]),
    [[8, 'ConfigMap yaml-one-one: data.plain-yes'], [9, 'ConfigMap yaml-one-one: data.plain-y'], [10, 'ConfigMap yaml-one-one: data.plain-off'], [11, 'ConfigMap yaml-one-one: data.plain-no'], [13, 'ConfigMap yaml-one-one: data.octal'], [14, 'ConfigMap yaml-one-one: data.octal-o'], [15, 'ConfigMap yaml-one-one: data.hex'], [16, 'ConfigMap yaml-one-one: data.underscores'], [17, 'ConfigMap yaml-one-one: data.not-octal']],
  );
  const parsed = parseManifestText('y.yaml', (await import('node:fs')).readFileSync(fixture('yaml11.yaml'), 'utf8'));
  const data = parsed.objects[0]!.object['data'] as Record<string, unknown>;
  assert.deepEqual(data, {
    true: 'enabled', // key `on` resolves to the boolean true, whose JSON key is "true"
    off: 'quoted-key-stays',
    'plain-yes': true,
    'plain-y': true,
    'plain-off': false,
    'plain-no': false,
    'quoted-yes': 'yes',
    octal: 511,
    'octal-o': 15,
    hex: 31,
    underscores: 1000,
    'not-octal': 89, // go-yaml falls back to a float for 089
    sexagesimal: '12:30', // base 60 is not supported by go-yaml v2
    date: '2024-01-01', // timestamps stay strings when decoded into interface{}
    tilde: null,
    'mixed-case': 'yEs',
  });
});

test('non-object documents (scalars, sequences) are reported and the next document is scanned', async () => {
  const r = await scanPaths([fixture('not-objects.yaml')]);
  const f = fixture('not-objects.yaml');
  assertProblem(r, 'not-an-object', f, 1);
  assertProblem(r, 'not-an-object', f, 3);
  assertProblem(r, 'not-an-object', f, 6);
  assertNeighbourScanned(r, 'after-non-objects');
});

test('objects missing kind, apiVersion or name are reported on their lines', async () => {
  const r = await scanPaths([fixture('missing-fields.yaml')]);
  const f = fixture('missing-fields.yaml');
  assertProblem(r, 'missing-kind', f, 1);
  assertProblem(r, 'missing-apiversion', f, 5);
  assert.equal(assertProblem(r, 'missing-name', f, 9).severity, 'warning');
  assertNeighbourScanned(r, 'after-missing-fields');
});

test('broken List items are reported at their own lines; the good item is scanned', async () => {
  const r = await scanPaths([fixture('broken-list.json')]);
  const f = fixture('broken-list.json');
  assertProblem(r, 'not-an-object', f, 5);
  assertProblem(r, 'missing-kind', f, 6);
  assertProblem(r, 'missing-apiversion', f, 12);
  assertNeighbourScanned(r, 'valid-list-item');
  const finding = r.findings.find((x) => x.object?.name === 'valid-list-item' && x.controlId === 'KOR-0100')!;
  assert.deepEqual(finding.location, { source: f, line: 31, column: 25 });
});

test('unreadable inputs: a dangling symlink, a missing path, a FIFO; the rest is scanned', async () => {
  const dir = tempDir();
  try {
    writeFileSync(path.join(dir, 'ok.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: readable}\nspec:\n  containers: [{name: app, image: "nginx:latest"}]\n');
    symlinkSync(path.join(dir, 'gone.yaml'), path.join(dir, 'dangling.yaml'));
    mkdirSync(path.join(dir, 'dir.yaml')); // a directory named like a file is walked, not read
    const fifo = path.join(dir, 'pipe.yaml');
    const mk = spawnSync('mkfifo', [fifo]);
    // (a FIFO is only given inside a directory here: scanPaths opens explicit paths to sniff snapshots)
    const r = await scanPaths([dir, path.join(dir, 'missing.yaml')]);
    const unreadable = problemsOf(r, 'unreadable');
    assert.ok(unreadable.some((p) => p.source === path.join(dir, 'dangling.yaml') && /no such file/.test(p.message)));
    assert.ok(unreadable.some((p) => p.source === path.join(dir, 'missing.yaml')));
    if (mk.status === 0) {
      assert.ok(unreadable.some((p) => p.source === fifo && p.severity === 'warning' && /not a regular file/.test(p.message)));
      const explicit = await loadManifests([fifo]);
      assert.deepEqual(explicit.problems.map((p) => [p.code, p.severity]), [['unreadable', 'error']]);
    }
    assertNeighbourScanned(r, 'readable');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file without read permission is reported as permission denied (checked as an unprivileged user)', (t) => {
  const dir = tempDir();
  try {
    chmodSync(dir, 0o755);
    writeFileSync(path.join(dir, 'secret.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: locked}\n');
    writeFileSync(path.join(dir, 'ok.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: open}\nspec:\n  containers: [{name: app, image: "nginx:latest"}]\n');
    chmodSync(path.join(dir, 'secret.yaml'), 0o000);
    const script = `import { scanPaths } from ${JSON.stringify(path.resolve(here, '../../src/scan.ts'))};
const r = await scanPaths([${JSON.stringify(dir)}]);
process.stdout.write(JSON.stringify({ problems: r.problems, names: r.findings.map((f) => f.object?.name) }));`;
    const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    const scriptFile = path.join(dir, 'child.mts');
    writeFileSync(scriptFile, script);
    const child = spawnSync(process.execPath, ['--import', 'tsx', scriptFile], {
      cwd: path.resolve(here, '../..'),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
      ...(asRoot ? { uid: 65534, gid: 65534, env: { ...process.env, HOME: dir } } : {}),
    });
    if (child.status !== 0 && asRoot && /EACCES|permission/i.test(child.stderr) && !child.stdout) {
      // the unprivileged user cannot run the toolchain here; the root-only checks above still hold
      t.diagnostic(`could not run as an unprivileged user: ${child.stderr.slice(0, 300)}`);
      return;
    }
    assert.equal(child.status, 0, child.stderr);
    const out = JSON.parse(child.stdout) as { problems: InputProblem[]; names: string[] };
    const p = out.problems.find((x) => x.source === path.join(dir, 'secret.yaml'));
    assert.ok(p, JSON.stringify(out.problems));
    assert.equal(p.code, 'unreadable');
    assert.match(p.message, /permission denied/);
    assert.ok(out.names.includes('open'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('empty files and comment-only files are read without problems or objects', async () => {
  const r = await scanPaths([fixture('empty.yaml'), fixture('comments-only.yaml')]);
  assert.deepEqual(r.problems, []);
  assert.equal(r.summary.objects, 0);
  assert.deepEqual(r.sources, [fixture('empty.yaml'), fixture('comments-only.yaml')]);
});

test('a UTF-8 BOM is ignored and positions are unchanged', async () => {
  const dir = tempDir();
  try {
    const body = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: bom\nspec:\n  containers:\n    - name: app\n      image: nginx:latest\n';
    writeFileSync(path.join(dir, 'bom.yaml'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]));
    writeFileSync(path.join(dir, 'bom.json'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bom-json' }, spec: { containers: [{ name: 'app', image: 'nginx:latest' }] } }, null, 2))]));
    const r = await scanPaths([dir]);
    assert.deepEqual(r.problems, []);
    const y = r.findings.find((f) => f.controlId === 'KOR-0100' && f.object?.name === 'bom')!;
    assert.deepEqual(y.location, { source: path.join(dir, 'bom.yaml'), line: 8, column: 7 });
    const j = r.findings.find((f) => f.controlId === 'KOR-0100' && f.object?.name === 'bom-json')!;
    assert.deepEqual(j.location, { source: path.join(dir, 'bom.json'), line: 11, column: 9 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tab indentation is a syntax error on its line; the next document is scanned', async () => {
  const r = await scanPaths([fixture('tabs.yaml')]);
  const p = assertProblem(r, 'yaml-syntax', fixture('tabs.yaml'), 4);
  assert.match(p.message, /tab/);
  assertNeighbourScanned(r, 'after-tabs');
});

test('`---` indented inside a block scalar is content; at column 0 it separates documents', async () => {
  const r = await scanPaths([fixture('block-scalar-separator.yaml')]);
  assert.deepEqual(r.problems, []);
  const parsed = parseManifestText('b.yaml', (await import('node:fs')).readFileSync(fixture('block-scalar-separator.yaml'), 'utf8'));
  assert.equal((parsed.objects[0]!.object['data'] as Record<string, string>)['stream.yaml'], 'a: 1\n---\nb: 2\n');
  assertNeighbourScanned(r, 'after-block-scalar');
  const f = r.findings.find((x) => x.object?.name === 'after-block-scalar' && x.controlId === 'KOR-0100')!;
  assert.deepEqual(f.location, { source: fixture('block-scalar-separator.yaml'), line: 19, column: 7 });
});

test('secret values in broken Secret documents never reach a report', async () => {
  const r = await scanPaths([fixture('broken-secrets.yaml'), fixture('broken-secret.json'), fixture('broken-list.json')]);
  const f = fixture('broken-secrets.yaml');
  assertProblem(r, 'yaml-syntax', f, 7);
  assertProblem(r, 'yaml-syntax', f, 14);
  assert.ok(problemsOf(r, 'yaml-syntax').some((p) => p.source === f && p.line! >= 20 && p.line! <= 23), 'the unterminated string is reported');
  assertProblem(r, 'yaml-syntax', f, 28);
  assertProblem(r, 'missing-apiversion', f, 30);
  assertProblem(r, 'duplicate-key', f, 42);
  assertProblem(r, 'json-syntax', fixture('broken-secret.json'), 1);
  assertNeighbourScanned(r, 'after-broken-secrets');
  for (const format of REPORT_FORMATS) {
    const out = formatReport(r, format, { color: false });
    assert.ok(out.length > 0);
    assert.ok(!out.includes(SECRET), `${format} report leaks the secret`);
    assert.ok(!out.includes('9f8e7d'), `${format} report leaks part of the secret`);
  }
});

test('the whole corpus scans in one go: every file is read or reported, nothing throws', async () => {
  const r = await scanPaths([corpus]);
  assert.ok(r.problems.length >= 15);
  for (const p of r.problems) {
    assert.ok(p.source.startsWith(corpus), p.source);
    assert.ok(typeof p.line === 'number' && p.line >= 1, `problem without a line: ${JSON.stringify(p)}`);
    assert.ok(!p.message.includes(SECRET));
  }
  for (const name of ['neighbour-of-bomb', 'after-non-objects', 'after-missing-fields', 'valid-list-item', 'after-tabs', 'after-block-scalar', 'after-broken-secrets']) assertNeighbourScanned(r, name);
});

test('files that are not Kubernetes objects are skipped with a warning; broken objects stay errors; valid-YAML placeholders are read', async () => {
  const repo = path.resolve(here, '../corpus/sources/app-repo');
  const hidden = [path.join(repo, '.github/workflows/ci.yaml'), path.join(repo, '.pre-commit-config.yaml')];
  const r = await scanPaths([repo, ...hidden]);
  const skipped = problemsOf(r, 'not-kubernetes');
  const rel = (p: InputProblem): string => path.relative(repo, p.source);
  assert.deepEqual(skipped.map(rel).sort(), ['.github/workflows/ci.yaml', '.pre-commit-config.yaml', 'ansible/playbook.yml', 'config/settings.json', 'deploy/kustomization-copy.yaml', 'deploy/values.yaml', 'docker-compose.yml', 'kind-config.yaml', 'skaffold.yaml']);
  for (const p of skipped) {
    assert.equal(p.severity, 'warning');
    assert.match(p.message, /^skipped, not a Kubernetes manifest: /);
  }
  assert.match(skipped.find((p) => rel(p) === 'ansible/playbook.yml')!.message, /a sequence/);
  assert.match(skipped.find((p) => rel(p) === 'deploy/kustomization-copy.yaml')!.message, /Kustomize Kustomization/);
  // one of apiVersion/kind, or metadata without either: a broken object, an error on its line
  const errors = r.problems.filter((p) => p.severity === 'error');
  assert.deepEqual(errors.map((p) => [rel(p), p.line, p.code]), [['deploy/broken.yaml', 2, 'missing-apiversion'], ['deploy/broken.yaml', 8, 'missing-kind']]);
  // placeholders substituted by CI later (`${IMAGE}`, `__REPLICAS__`) are read, and the objects scanned
  assert.deepEqual(r.findings.filter((f) => f.object?.name === 'web').length > 0, true);
  assert.equal(r.summary.objects, 2);
  // without the broken file, skipped files alone do not make the exit code 3
  const cli = spawnSync(process.execPath, [path.resolve(here, '../../bin/kordon'), 'scan', '-q', '-f', 'json', path.join(repo, 'deploy/web.yaml'), path.join(repo, 'docker-compose.yml'), path.join(repo, 'ansible')], { encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stderr);
  // two skipped files, and the placeholder `replicas: __REPLICAS__`, which is not read as a number (src/inventory/shapes.ts)
  assert.equal(JSON.parse(cli.stdout).summary.problems.warnings, 3);
});

test('standard input obeys --max-file-size: an endless stream is cut at the limit with a too-large problem', async () => {
  const { Readable } = await import('node:stream');
  let produced = 0;
  // an endless generated stream (not /dev/zero): it would never end if read to the end
  const endless = new Readable({
    read() {
      produced += 65536;
      this.push(Buffer.alloc(65536, 'a: b\n'));
    },
  });
  const r = await scanPaths(['-', fixture('tabs.yaml')], { stdin: endless, maxFileSize: 1024 * 1024 });
  const p = problemsOf(r, 'too-large');
  assert.equal(p.length, 1);
  assert.equal(p[0]!.source, '<stdin>');
  assert.match(p[0]!.message, /over the 1048576-byte limit \(--max-file-size\)/);
  assert.ok(produced < 4 * 1024 * 1024, `read ${produced} bytes`);
  assert.ok(r.sources.includes('<stdin>'));
  assertNeighbourScanned(r, 'after-tabs');
  // under the limit, standard input is read as before; the CLI passes --max-file-size to it
  const small = spawnSync(process.execPath, [path.resolve(here, '../../bin/kordon'), 'scan', '-', '-q', '-f', 'json', '--max-file-size', '100'], { input: 'apiVersion: v1\nkind: Pod\nmetadata: {name: from-stdin}\nspec:\n  containers: [{name: a, image: "nginx:latest"}]\n', encoding: 'utf8' });
  assert.equal(small.status, 3);
  assert.equal(JSON.parse(small.stdout).problems[0].code, 'too-large');
  const ok = spawnSync(process.execPath, [path.resolve(here, '../../bin/kordon'), 'scan', '-', '-q', '-f', 'json'], { input: 'apiVersion: v1\nkind: Pod\nmetadata: {name: from-stdin}\nspec:\n  containers: [{name: a, image: "nginx:latest"}]\n', encoding: 'utf8' });
  assert.equal(JSON.parse(ok.stdout).summary.objects, 1);
});

test('JSON and YAML parse errors around a secret never quote it, wherever the text breaks', () => {
  const canary = 'CANARY-json-3e9d1f';
  const good = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { password: canary, 'x-password': `${canary}` } }, null, 2);
  const breakers = ['', '"', '}', ',', ' x', '\u0001', '{', ']', ':', '\\'];
  let checked = 0;
  for (let cut = 1; cut < good.length; cut += 3) {
    for (const b of breakers) {
      const text = good.slice(0, cut) + b + good.slice(cut + (b === '' ? 1 : 0));
      for (const json of [true, false]) {
        const r = parseManifestText('s.json', text, { json });
        for (const p of r.problems) assert.ok(!p.message.includes(canary.slice(0, 10)) && !p.message.includes('3e9d1f'), `${JSON.stringify(p)} from cut ${cut} ${JSON.stringify(b)}`);
        checked++;
      }
    }
  }
  assert.ok(checked > 1000);
});
