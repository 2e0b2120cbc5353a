/**
 * Custom controls: YAML with CEL from a directory, the config file and inline, JavaScript
 * plugins; checked at load (every problem at once, with position); run by the same engine,
 * covered by exceptions, listed by `kordon controls`, present in every report format.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { runCli } from '../support/cli.js';
import { parseConfig } from '../../src/config/load.js';
import { loadCustomControls, parseCustomControls } from '../../src/controls/custom/index.js';
import { allControls, catalogWith } from '../../src/controls/index.js';
import { scanPaths } from '../../src/scan.js';

const DIR = 'test/fixtures/cel/controls';
const BAD = 'test/fixtures/cel/bad-controls';
const PLUGINS = 'test/fixtures/cel/plugins';
const SHOP = 'test/fixtures/cel/manifests';

describe('custom controls in YAML with CEL', () => {
  test('run by the scan engine: findings with messages, positions, frameworks and exceptions', async () => {
    const loaded = await loadCustomControls({ dirs: [DIR] }, allControls);
    assert.deepEqual(loaded.problems, []);
    assert.deepEqual(loaded.controls.map((c) => c.id), ['ACME-0001', 'ACME-0002', 'ACME-0003']);
    const result = await scanPaths([SHOP], { controls: loaded.controls, now: new Date('2026-01-01T00:00:00Z') });
    const lines = result.findings.map((f) => `${f.controlId} ${f.object?.namespace}/${f.object?.name} ${f.location?.line}:${f.location?.column} ${f.pointer} ${f.severity}${f.suppressed ? ' suppressed' : ''}: ${f.message}`);
    assert.deepEqual(lines, [
      'ACME-0001 shop-prod/checkout 14:3 /spec/replicas medium: checkout runs 1 replica(s); production needs 2 or more',
      'ACME-0003 shop-prod/checkout 21:7 /spec/template/spec/containers high: a container\'s memory limit is above 4Gi',
      'ACME-0002 shop-prod/catalog 33:5 /metadata/labels/team low: team label "Catalog Team" is not a lower-case name',
      'ACME-0003 shop-prod/catalog 45:7 /spec/template/spec/containers high suppressed: a container\'s memory limit is above 4Gi',
      'ACME-0002 shop-dev/preview 53:1 /metadata/labels low: the workload has no team label',
    ]);
    // scores count them like built-in controls
    // every Deployment and StatefulSet counts as judged (outside match.namespaces it passes; docs/custom-controls.md)
    assert.equal(result.evaluations.find((e) => e.controlId === 'ACME-0001')?.evaluated, 3);
    assert.equal(result.evaluations.find((e) => e.controlId === 'ACME-0001')?.failed, 1);
  });

  test('every problem at once, with file, line and column (expressions at their own column)', () => {
    const text = `id: ACME-1
name: one
title: One
severity: low
layer: code
remediation: Fix.
match: {kinds: [Pod]}
validations:
  - expression: "object.spec.containers.all(c, c.name == )"
  - expression: "nope > 1"
    messageExpression: "'x' + 1"
---
id: ACME-2
name: two
severity: loud
layer: code
match: {kinds: [Pod]}
validations: []
`;
    const r = parseCustomControls('c.yaml', text);
    assert.deepEqual(r.specs, []);
    assert.deepEqual(
      r.problems.map((p) => `${p.line}:${p.column} ${p.message}`),
      [
        '9:58 custom control ACME-1: validations[0].expression does not compile: line 1, column 41: Unexpected token: RPAREN',
        '10:18 custom control ACME-1: validations[1].expression does not compile: line 1, column 1: Unknown variable: nope',
        "11:25 custom control ACME-1: validations[1].messageExpression does not compile: line 1, column 1: no such overload: string + int",
        '13:1 custom control ACME-2: title: is required (string)',
        '15:11 custom control ACME-2: severity: Invalid option: expected one of "critical"|"high"|"medium"|"low"|"info"',
        '13:1 custom control ACME-2: remediation: is required (string)',
        '18:14 custom control ACME-2: validations: at least one validation',
      ],
    );
  });

  test('kordon controls lists them, and a broken directory is a usage error naming every problem', async () => {
    const ok = await runCli(['controls', '--controls-dir', DIR, '--controls-dir', PLUGINS, '--no-config']);
    assert.equal(ok.code, 0);
    assert.match(ok.out, /^ACME-0001 {2}medium {3}cluster {3}replicas-for-prod {2}Production deployments run at least two replicas {2}\[Scalability, Disaster Recovery\]$/m);
    assert.match(ok.out, /^ACME-0200 {2}low {6}code {6}configmap-size {2}ConfigMaps stay small {2}\[Security\]$/m);
    assert.match(ok.out, new RegExp(`^${allControls.length + 4} controls$`, 'm'));
    const json = JSON.parse((await runCli(['controls', '--controls-dir', DIR, '--no-config', '--format', 'json'])).out) as { controls: Array<{ id: string; kinds?: string[]; frameworks: unknown }> };
    assert.deepEqual(json.controls.find((c) => c.id === 'ACME-0001')?.kinds, ['Deployment', 'StatefulSet']);
    assert.deepEqual(json.controls.find((c) => c.id === 'ACME-0001')?.frameworks, { cis: ['acme-1.1'] });
    const loaded = await loadCustomControls({ dirs: [DIR] }, allControls);
    assert.deepEqual(loaded.controls[0]?.dimensions, ['Scalability', 'Disaster Recovery']);
    const bad = await runCli(['controls', '--controls-dir', BAD, '--no-config']);
    assert.equal(bad.code, 2);
    const lines = bad.err.split('\n').filter((l) => l.startsWith('  '));
    assert.equal(lines.length, 12, bad.err);
    assert.match(bad.err, /broken\.yaml:2:5: custom control KOR-9999: id: KOR- ids belong to the built-in controls/);
    assert.match(bad.err, /broken\.yaml:11:42: custom control KOR-9999: validations\[0\]\.expression does not compile: line 1, column 25: Unexpected token: EOF/);
    assert.match(bad.err, /broken\.yaml:30: custom control ACME-0101 \(pss-privileged\): its id or name is already used by built-in control KOR-0003/);
  });

  test('from the config file: inline definitions (checked with positions), controlsDirs and plugins', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kordon-custom-'));
    const cfg = `apiVersion: kordon.dev/v1
kind: Config
controlsDirs: [${path.resolve(DIR)}]
plugins: [${path.resolve(PLUGINS, 'acme-plugin.mjs')}]
customControls:
  - id: ACME-0300
    name: no-default-namespace-services
    title: Services name their namespace
    severity: info
    layer: code
    remediation: Set metadata.namespace.
    match: {kinds: [Service]}
    validations:
      - expression: "has(object.metadata.namespace)"
        message: the Service names no namespace
`;
    writeFileSync(path.join(dir, '.kordon.yaml'), cfg);
    const parsed = parseConfig('.kordon.yaml', cfg, dir);
    assert.deepEqual(parsed.errors, []);
    assert.equal(parsed.config?.customControls[0]?.spec.id, 'ACME-0300');
    assert.equal(parsed.config?.customControls[0]?.line, 6);
    const broken = parseConfig('.kordon.yaml', cfg.replace('has(object.metadata.namespace)', 'has(object.metadata.namespace'), dir);
    assert.deepEqual(broken.errors, ['.kordon.yaml:14:51: custom control ACME-0300: validations[0].expression does not compile: line 1, column 30: Expected RPAREN, got EOF']);
    const unknownKey = parseConfig('.kordon.yaml', cfg.replace('    severity: info', '    severity: info\n    colour: red'), dir);
    assert.deepEqual(unknownKey.errors, ['.kordon.yaml:10:5: customControls.0.colour: unknown key "colour"']);
    const manifests = path.join(dir, 'm.yaml');
    writeFileSync(manifests, 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80}]}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: x}\ndata: {a: "1", b: "2", c: "3", d: "4"}\n');
    const r = await runCli(['scan', manifests, '--config', path.join(dir, '.kordon.yaml'), '--controls', 'ACME-*', '--format', 'json']);
    const report = JSON.parse(r.out) as { findings: Array<{ controlId: string; message: string }> };
    assert.deepEqual(report.findings.map((f) => `${f.controlId}: ${f.message}`), ['ACME-0300: the Service names no namespace', 'ACME-0200: ConfigMap has 4 keys (more than 3).']);
    // the SARIF report carries them as rules too
    const sarif = JSON.parse((await runCli(['scan', manifests, '--config', path.join(dir, '.kordon.yaml'), '--controls', 'ACME-*', '--format', 'sarif'])).out) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string }> } } }> };
    const rules = sarif.runs[0]!.tool.driver.rules.map((x) => x.id);
    assert.ok(rules.includes('ACME-0300') && rules.includes('ACME-0200'), rules.join(','));
  });

  test('plugins: checked against the control API; a TypeScript source asks to be compiled', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kordon-plugin-'));
    writeFileSync(path.join(dir, 'bad.mjs'), "export default { id: 'KOR-0001', name: 'x', targets: 'object', check: 3 };\n");
    writeFileSync(path.join(dir, 'src.ts'), 'export default {};\n');
    const r = await loadCustomControls({ plugins: [path.join(dir, 'bad.mjs'), path.join(dir, 'src.ts')] }, allControls);
    const msgs = r.problems.map((p) => `${path.basename(p.file)}: ${p.message}`);
    assert.ok(msgs.includes('bad.mjs: plugin control KOR-0001: KOR- ids belong to the built-in controls; use your own prefix'), msgs.join('\n'));
    assert.ok(msgs.includes('bad.mjs: plugin control KOR-0001: check must be a function'));
    assert.ok(msgs.includes('bad.mjs: plugin control KOR-0001: kinds must list the kinds the control judges'));
    assert.ok(msgs.some((m) => m.startsWith('src.ts: TypeScript plugins are loaded compiled')));
    assert.equal(catalogWith([]), allControls);
  });

  test('evaluation errors are input problems naming the control and the expression, never a crash', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kordon-custom-err-'));
    writeFileSync(path.join(dir, 'c.yaml'), 'id: ACME-9\nname: nine\ntitle: Nine\nseverity: low\nlayer: code\nremediation: Fix.\nmatch: {kinds: [ConfigMap]}\nvalidations:\n  - expression: "object.data.missing == \'x\'"\n');
    const loaded = await loadCustomControls({ dirs: [dir] }, allControls);
    const m = path.join(dir, 'm.yaml');
    writeFileSync(m, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: x}\ndata: {a: secret-value}\n');
    const result = await scanPaths([m], { controls: loaded.controls });
    assert.deepEqual(result.findings, []);
    assert.deepEqual(result.problems.map((p) => `${p.code} ${p.severity}: ${p.message}`), ["control-error error: custom control ACME-9 (nine) on ConfigMap x/c: expression 'object.data.missing == 'x'' resulted in error: no such key: missing"]);
    assert.ok(!JSON.stringify(result).includes('secret-value'));
  });
});
