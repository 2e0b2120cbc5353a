import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parseConfig } from '../../src/config/load.js';
import { findConfigFile } from '../../src/config/find.js';
import { ConfigSchema, CONFIG_FORMATS, configJsonSchema } from '../../src/config/schema.js';
import { resolveConfig } from '../../src/cli/scan.js';
import { REPORT_FORMATS } from '../../src/report/index.js';
import { selectControls } from '../../src/engine/select.js';
import { allControls } from '../../src/controls/index.js';
import { PathFilter } from '../../src/util/glob.js';
import { parse as parseYaml } from 'yaml';
import { ROOT } from './report-fixture.js';

const CORPUS_CONFIG = path.join(ROOT, 'test/corpus/options/repo/.kordon.yaml');

test('config: every problem at once, each with file, line and column, in file order', () => {
  const text = [
    'controls:', //                       1
    '  enable: [KOR-0001]', //            2
    '  skpi: [x]', //                     3
    'severity: hgh', //                   4
    'helm:', //                           5
    '  values: [a.yaml]', //              6
    '  releaseName: ""', //               7
    'ignores:', //                        8
    '  - controls: []', //                9
    '    reason: x', //                   10
    '    expires: 2020-13', //            11
    '  - controls: ["*"]', //             12
    '    match: {kind: Pod, nmespace: x}', // 13
    'format: xml', //                     14
    'exclude: vendor', //                 15
  ].join('\n');
  const { config, errors } = parseConfig('repo/.kordon.yaml', text);
  assert.equal(config, undefined);
  assert.deepEqual(errors, [
    'repo/.kordon.yaml:3:3: controls.skpi: unknown key "skpi"',
    'repo/.kordon.yaml:4:11: severity: Invalid option: expected one of "critical"|"high"|"medium"|"low"|"info"',
    'repo/.kordon.yaml:7:16: helm.releaseName: must not be empty',
    'repo/.kordon.yaml:9:15: ignores.0.controls: Too small: expected array to have >=1 items',
    'repo/.kordon.yaml:11:14: ignores.0.expires: a date as YYYY-MM-DD',
    'repo/.kordon.yaml:12:5: ignores.1.reason: is required (string)',
    'repo/.kordon.yaml:13:24: ignores.1.match.nmespace: unknown key "nmespace"',
    'repo/.kordon.yaml:14:9: format: Invalid option: expected one of "pretty"|"json"|"sarif"|"junit"|"markdown"|"html"',
    'repo/.kordon.yaml:15:10: exclude: Invalid input: expected array, received string',
  ]);
});

test('config: YAML errors and duplicate keys name their line; an empty file is an empty config', () => {
  assert.match(parseConfig('c.yaml', 'a: [\n').errors[0]!, /^c\.yaml:2:1: not valid YAML/);
  assert.match(parseConfig('c.yaml', 'severity: high\nseverity: low\n').errors[0]!, /^c\.yaml:2:1: not valid YAML: .*[Uu]nique/);
  assert.deepEqual(parseConfig('c.yaml', '').errors, []);
  assert.deepEqual(parseConfig('c.yaml', '# only a comment\n').config?.settings, {});
  assert.match(parseConfig('c.yaml', '- a\n- b\n').errors[0]!, /^c\.yaml:1:1: \(root\): Invalid input: expected object, received array/);
});

test('config: relative paths are relative to the config file; ignores keep their source', () => {
  const cwd = '/work/project';
  const { config } = parseConfig('sub/.kordon.yaml', 'exclude: [vendor, "./deploy/old/**", "/abs/x"]\nhelm: {values: [v.yaml, ../shared/v.yaml]}\nexceptions: [ex.yaml]\nignores: [{controls: [x], reason: y, expires: 2026-01-01}]\n', cwd);
  assert.deepEqual(config!.exclude, ['vendor', '/work/project/sub/deploy/old/**', '/abs/x']);
  assert.deepEqual(config!.helmValues, ['sub/v.yaml', 'shared/v.yaml']);
  assert.deepEqual(config!.exceptionFiles, ['sub/ex.yaml']);
  assert.deepEqual(config!.ignores, [{ rule: { controls: ['x'], match: {}, reason: 'y', expires: '2026-01-01' }, source: 'sub/.kordon.yaml' }]);
});

test('config: the published JSON Schema is generated from the zod schema and agrees with it', () => {
  const published = JSON.parse(readFileSync(path.join(ROOT, 'docs/kordon-config.schema.json'), 'utf8'));
  assert.deepEqual(published, configJsonSchema(), 'docs/kordon-config.schema.json is out of date: run `npm run docs`');
  const ajv = new Ajv2020({ strict: false });
  const validate = ajv.compile(published);
  const samples: unknown[] = [
    parseYaml(readFileSync(CORPUS_CONFIG, 'utf8')),
    {},
    { severity: 'high', failOn: 'critical', format: 'sarif', groupBy: 'object', attackPaths: true },
    { controls: { enable: ['KOR-0001'], skip: [] }, exclude: ['a/**'], defaultNamespace: 'team-a', helm: { set: ['a=b'], kubeVersion: '1.31.0' } },
    { severity: 'urgent' },
    { controls: { only: ['x'] } },
    { ignores: [{ controls: ['*'] }] },
    { ignores: [{ controls: ['*'], reason: 'r', expires: '31.12.2025' }] },
    { exclude: 'vendor' },
    { helm: { values: [''] } },
    { unknown: 1 },
    { format: 'xml' },
  ];
  for (const s of samples) {
    const z = ConfigSchema.safeParse(s).success;
    assert.equal(validate(s), z, `zod and the JSON Schema disagree on ${JSON.stringify(s)}`);
  }
  assert.ok(validate(samples[0]), 'the corpus config is valid');
  assert.deepEqual([...CONFIG_FORMATS], [...REPORT_FORMATS], 'the config file knows every report format');
});

test('config: found upward from the working directory, never above the git repository', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-config-'));
  try {
    const repo = path.join(tmp, 'outer', 'repo');
    const deep = path.join(repo, 'deploy', 'apps');
    mkdirSync(deep, { recursive: true });
    mkdirSync(path.join(repo, '.git'));
    writeFileSync(path.join(tmp, 'outer', '.kordon.yaml'), 'severity: high\n');
    // nothing in the repository: the file above it is not read
    assert.equal(findConfigFile(deep), undefined);
    writeFileSync(path.join(repo, '.kordon.yml'), 'severity: low\n');
    assert.deepEqual(findConfigFile(deep), { file: path.join(repo, '.kordon.yml') });
    // the nearest wins
    writeFileSync(path.join(repo, 'deploy', '.kordon.yaml'), 'severity: medium\n');
    assert.deepEqual(findConfigFile(deep), { file: path.join(repo, 'deploy', '.kordon.yaml') });
    // both names in one directory: ambiguous
    writeFileSync(path.join(repo, 'deploy', '.kordon.yml'), 'severity: medium\n');
    assert.deepEqual(findConfigFile(deep), { ambiguous: [path.join(repo, 'deploy', '.kordon.yaml'), path.join(repo, 'deploy', '.kordon.yml')] });
    // without a .git anywhere the search goes to the file system root
    const plain = path.join(tmp, 'plain', 'a');
    mkdirSync(plain, { recursive: true });
    writeFileSync(path.join(tmp, '.kordon.yaml'), 'severity: critical\n');
    assert.deepEqual(findConfigFile(plain), { file: path.join(tmp, '.kordon.yaml') });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('config: resolveConfig: --no-config reads none, a bad file is a usage error with every problem', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-config-'));
  try {
    mkdirSync(path.join(tmp, '.git'));
    writeFileSync(path.join(tmp, '.kordon.yaml'), 'severity: hgh\nfailOn: never\n');
    assert.equal(await resolveConfig(false, tmp), undefined);
    await assert.rejects(resolveConfig(undefined, tmp), (err: Error) => {
      assert.equal(err.message, 'invalid config file .kordon.yaml:\n  .kordon.yaml:1:11: severity: Invalid option: expected one of "critical"|"high"|"medium"|"low"|"info"\n  .kordon.yaml:2:9: failOn: Invalid option: expected one of "critical"|"high"|"medium"|"low"|"info"');
      return true;
    });
    await assert.rejects(resolveConfig(path.join(tmp, 'missing.yaml'), tmp), /cannot read the config file \(ENOENT\)/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('control selection: ids, names, aliases and globs, case-insensitive; a selector that matches nothing is an error', () => {
  const ids = (enable: string[], skip: string[] = []) => selectControls(allControls, { enable, skip }).controls.map((c) => c.id);
  assert.deepEqual(ids(['KOR-0003']), ['KOR-0003']);
  assert.deepEqual(ids(['pss-privileged']), ['KOR-0003']);
  assert.deepEqual(ids(['kor-0003']), ['KOR-0003']);
  const pss = ids(['pss-*']);
  assert.ok(pss.length > 10 && pss.every((id) => allControls.find((c) => c.id === id)!.name.startsWith('pss-')));
  assert.deepEqual(ids(['pss-*'], ['KOR-0003']), pss.filter((id) => id !== 'KOR-0003'));
  assert.equal(ids([], ['*']).length, 0);
  assert.equal(ids([]).length, allControls.length);
  const bad = selectControls(allControls, { enable: ['KOR-9999', 'pss-*'], skip: ['no-such-control'] });
  assert.deepEqual(bad.errors, ['control "KOR-9999" matches no control (see `kordon controls`)', 'skipped control "no-such-control" matches no control (see `kordon controls`)']);
});

test('exclude globs: names at any depth, paths from the working directory, ** across directories', () => {
  const f = new PathFilter(['vendor', '*.test.yaml', 'deploy/legacy/**', 'charts/*/ci', '/abs/dir'], '/repo');
  assert.ok(f.excludes('vendor'));
  assert.ok(f.excludes('a/b/vendor'));
  assert.ok(!f.excludes('a/vendors'));
  assert.ok(f.excludes('x/pod.test.yaml'));
  assert.ok(!f.excludes('x/pod.yaml'));
  assert.ok(f.excludes('deploy/legacy/a/b.yaml'));
  assert.ok(f.excludes('./deploy/legacy/x.yaml'));
  assert.ok(f.excludes('/repo/deploy/legacy/x.yaml'), 'an absolute path inside the working directory');
  assert.ok(!f.excludes('other/deploy/legacy/x.yaml'), 'a pattern with a / is anchored');
  assert.ok(f.excludes('charts/web/ci'));
  assert.ok(!f.excludes('charts/web/sub/ci'), '* stays within one segment');
  assert.ok(f.excludes('/abs/dir'));
  assert.ok(new PathFilter(['**/generated/*.json'], '/repo').excludes('a/b/generated/x.json'));
  assert.ok(new PathFilter(['**/generated/*.json'], '/repo').excludes('generated/x.json'));
  assert.ok(new PathFilter(['file?.yaml'], '/repo').excludes('d/file1.yaml'));
  assert.ok(!new PathFilter(['file?.yaml'], '/repo').excludes('d/file10.yaml'));
  assert.ok(new PathFilter([], '/repo').empty);
});

test('config: every command that reads inputs reads them as the config file says (exclude, defaultNamespace); plan also takes its controls and ignores', async () => {
  const { runCli } = await import('../support/cli.js');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-config-cmds-'));
  try {
    mkdirSync(path.join(tmp, 'vendor'));
    const deploy = (name: string, privileged: boolean) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}}\nspec:\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec:\n      containers:\n      - name: c\n        image: registry.example/${name}:1.0\n        securityContext: {privileged: ${privileged}}\n`;
    writeFileSync(path.join(tmp, 'web.yaml'), deploy('web', true));
    writeFileSync(path.join(tmp, 'vendor', 'third-party.yaml'), deploy('thirdparty', true));
    const cfg = path.join(tmp, '.kordon.yaml');
    writeFileSync(cfg, 'defaultNamespace: shop\nexclude: [vendor]\ncontrols: {skip: [pss-privileged]}\n');
    const commands: string[][] = [
      ['netpol', 'reach', tmp, '-f', 'json'],
      ['netpol', 'exposure', tmp, '-f', 'json'],
      ['pss', tmp, '-f', 'json'],
      ['paths', tmp, '-f', 'json'],
      ['plan', tmp, '-f', 'json'],
      ['rbac', 'who-can', 'get', 'pods', tmp, '-A', '-f', 'json'],
    ];
    for (const args of commands) {
      const withCfg = await runCli([...args, '--config', cfg]);
      assert.ok(withCfg.code !== 2 && withCfg.code !== 10, `${args.join(' ')}: ${withCfg.err}`);
      assert.doesNotMatch(withCfg.out, /thirdparty/, `${args.join(' ')} read the excluded directory`);
      const without = await runCli([...args, '--no-config']);
      assert.ok(without.code !== 2 && without.code !== 10, `${args.join(' ')} --no-config: ${without.err}`);
      if (args[0] === 'pss' || args[0] === 'plan') {
        assert.match(without.out, /thirdparty/, `${args.join(' ')} without the config reads vendor/`);
        assert.match(withCfg.out, /shop/, `${args.join(' ')}: objects that name no namespace are in the config's defaultNamespace`);
      }
    }
    const plan = JSON.parse((await runCli(['plan', tmp, '-f', 'json', '--config', cfg])).out) as unknown;
    assert.doesNotMatch(JSON.stringify(plan), /KOR-0100\b|pss-privileged/, 'plan runs without the skipped control');
    assert.match(JSON.stringify(JSON.parse((await runCli(['plan', tmp, '-f', 'json', '--no-config'])).out)), /pss-privileged|KOR-0100\b/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
