import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { artifactUri, formatSarif, sarifChunks, toSarif } from '../../src/report/sarif.js';
import type { ScanResult } from '../../src/engine/result.js';
import { findingFingerprint } from '../../src/report/common.js';
import { fixtureScan, ROOT } from './report-fixture.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

/**
 * The SARIF tools of Microsoft's SARIF SDK, from the npm registry (@microsoft/sarif-multitool,
 * whose platform package holds the Multitool and the final SARIF 2.1.0 schema it validates with).
 */
const require = createRequire(import.meta.url);
const MULTITOOL: string = require('@microsoft/sarif-multitool');
const SCHEMA_FILE = path.join(path.dirname(MULTITOOL), 'sarif-2.1.0.json');

function sarifValidator(): (data: unknown) => { ok: boolean; errors: string } {
  // the OASIS SARIF 2.1.0 schema, as JSON Schema draft 2020-12
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
  const AjvClass = Ajv2020 as unknown as typeof Ajv2020.default;
  const ajv = new AjvClass({ allErrors: true, strict: false });
  (addFormats as unknown as typeof addFormats.default)(ajv);
  const validate = ajv.compile(schema);
  return (data) => ({ ok: validate(data) as boolean, errors: JSON.stringify(validate.errors ?? [], null, 1) });
}

/**
 * The SARIF Multitool's own validation (`validate`: the schema plus its SARIF rules) at levels
 * error and warning; returns what it reported, as `ruleId: arguments` lines.
 */
function multitoolProblems(log: unknown): string[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kordon-sarif-'));
  try {
    const input = path.join(dir, 'kordon.sarif');
    const output = path.join(dir, 'validation.sarif');
    writeFileSync(input, JSON.stringify(log));
    const r = spawnSync(MULTITOOL, ['validate', input, '-o', output, '--log', 'ForceOverwrite', '--level', 'Error', 'Warning', '--kind', 'Fail', '--quiet'], { encoding: 'utf8', env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' } });
    assert.ok(existsSync(output), `the Multitool wrote no validation log (exit ${r.status}): ${r.stdout}${r.stderr}`);
    const results = (JSON.parse(readFileSync(output, 'utf8')).runs[0].results ?? []) as Json[];
    return results.map((x) => `${x.ruleId}: ${JSON.stringify(x.message?.arguments ?? x.message?.text)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const validate = sarifValidator();

test('the SARIF log of a scan with findings, suppressions and input problems is valid SARIF 2.1.0', async () => {
  const log = JSON.parse(formatSarif(await fixtureScan()));
  const v = validate(log);
  assert.ok(v.ok, v.errors);
  assert.deepEqual(multitoolProblems(log), [], 'the SARIF Multitool finds errors or warnings');
});

test('the validator does reject what the schema forbids (the test can fail)', async () => {
  const text = formatSarif(await fixtureScan());
  const badLevel = JSON.parse(text);
  badLevel.runs[0].results[0].level = 'fatal';
  assert.equal(validate(badLevel).ok, false);
  const badLine = JSON.parse(text);
  const located = (badLine.runs[0].results as Json[]).find((x) => x.locations[0].physicalLocation);
  located.locations[0].physicalLocation.region.startLine = 0;
  assert.equal(validate(badLine).ok, false);
  // and the Multitool reports such breakage by its rule ids
  const broken = JSON.parse(text);
  delete broken.runs[0].tool.driver.name;
  (broken.runs[0].results as Json[]).find((x) => x.locations[0].physicalLocation).locations[0].physicalLocation.region.startLine = 0;
  const problems = multitoolProblems(broken);
  assert.ok(problems.some((p) => p.startsWith('JSON1002') && p.includes('name')), problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('JSON1008') && p.includes('startLine')), problems.join('\n'));
});

test('rules describe every control that ran, with GitHub security-severity and tags', async () => {
  const r = await fixtureScan();
  const run = JSON.parse(formatSarif(r)).runs[0] as Json;
  assert.equal(run.tool.driver.name, 'kordon');
  assert.equal(run.tool.driver.version, r.tool.version);
  assert.match(run.tool.driver.informationUri, /^https:\/\//);
  const rules = run.tool.driver.rules as Json[];
  assert.deepEqual(rules.map((x) => x.id), ['KOR-0100', 'KOR-9001', 'KOR-9002']);
  const host = rules.find((x) => x.id === 'KOR-9001');
  assert.equal(host.name, 'test-host-network');
  assert.equal(host.shortDescription.text, 'Pod shares the node network');
  assert.match(host.help.markdown, /Remove spec\.hostNetwork/);
  assert.match(host.help.text, /Remediation: Remove spec\.hostNetwork/);
  assert.equal(host.defaultConfiguration.level, 'error');
  assert.equal(host.properties['security-severity'], '8.0');
  assert.ok(host.properties.tags.includes('layer:cluster'));
  assert.ok(host.properties.tags.includes('pss:baseline:host-namespaces'));
  assert.ok(host.properties.tags.includes('mitre:T1611'));
  assert.equal(rules.find((x) => x.id === 'KOR-0100').properties['security-severity'], '5.5');
  assert.equal(rules.find((x) => x.id === 'KOR-9002').properties['security-severity'], '3.0');
});

test('results point at their rule, file, line and object, with stable fingerprints', async () => {
  const r = await fixtureScan();
  const run = JSON.parse(formatSarif(r)).runs[0] as Json;
  const results = run.results as Json[];
  assert.equal(results.length, r.findings.length);
  for (const res of results) assert.equal(run.tool.driver.rules[res.ruleIndex].id, res.ruleId);
  const host = results.find((x) => x.ruleId === 'KOR-9001');
  assert.equal(host.level, 'error');
  const phys = host.locations[0].physicalLocation;
  assert.deepEqual(phys.artifactLocation, { uri: 'test/fixtures/reports/workloads.yaml', uriBaseId: '%SRCROOT%' });
  assert.deepEqual(phys.region, { startLine: 14, startColumn: 7 });
  assert.equal(host.locations[0].logicalLocations[0].fullyQualifiedName, 'Deployment/prod/web');
  assert.equal(host.locations[0].logicalLocations[0].properties.namespace, 'prod');
  assert.deepEqual(host.properties.jsonPatch, [{ op: 'remove', path: '/spec/template/spec/hostNetwork' }]);
  const cluster = results.find((x) => x.ruleId === 'KOR-9002');
  assert.equal(cluster.locations[0].physicalLocation, undefined);
  assert.equal(cluster.locations[0].logicalLocations[0].name, 'cluster');
  const prints = results.map((x) => x.partialFingerprints['kordonFinding/v1']);
  assert.equal(new Set(prints).size, prints.length, 'fingerprints are unique per finding');
  // The identity ignores where the text sits: moving the manifest keeps it.
  const f = r.findings[0]!;
  assert.equal(findingFingerprint({ ...f, location: { source: 'elsewhere.yaml', line: 99, column: 1 } }), findingFingerprint(f));
  assert.notEqual(findingFingerprint({ ...f, pointer: f.pointer + '/x' }), findingFingerprint(f));
});

test('suppressed findings carry in-source or external suppressions with the justification', async () => {
  const run = JSON.parse(formatSarif(await fixtureScan())).runs[0] as Json;
  const suppressed = (run.results as Json[]).filter((x) => x.suppressions);
  assert.equal(suppressed.length, 2);
  const byKind = Object.fromEntries(suppressed.map((x) => [x.suppressions[0].kind, x.suppressions[0]]));
  assert.equal(byKind.inSource.justification, 'short-lived debugging pod');
  assert.equal(byKind.external.justification, "vendor agent, pinned by the vendor's operator");
  assert.equal(byKind.external.properties.owner, 'platform-team');
});

test('input problems are tool execution notifications with their source and line', async () => {
  const r = await fixtureScan();
  const inv = (JSON.parse(formatSarif(r)).runs[0] as Json).invocations[0];
  assert.equal(inv.executionSuccessful, false);
  assert.equal(inv.toolExecutionNotifications.length, r.problems.length);
  const n = inv.toolExecutionNotifications[0];
  const p = r.problems[0]!;
  assert.equal(n.level, 'error');
  assert.equal(n.descriptor.id, 'yaml-syntax');
  assert.equal(n.locations[0].physicalLocation.artifactLocation.uri, 'test/fixtures/reports/broken.yaml');
  assert.equal(n.locations[0].physicalLocation.region.startLine, p.line);
  assert.match(n.message.text, /broken\.yaml:\d+(:\d+)?: YAML syntax error/);
});

test('the SARIF log is byte-identical for the same input', async () => {
  assert.equal(formatSarif(await fixtureScan()), formatSarif(await fixtureScan()));
});

test('artifact URIs are relative, forward-slashed and percent-encoded; non-files have none', () => {
  assert.deepEqual(artifactUri('./k8s/app.yaml'), { uri: 'k8s/app.yaml', uriBaseId: '%SRCROOT%' });
  assert.deepEqual(artifactUri('k8s\\prod\\my app.yaml'), { uri: 'k8s/prod/my%20app.yaml', uriBaseId: '%SRCROOT%' });
  assert.deepEqual(artifactUri('/abs/x#1.yaml'), { uri: 'file:///abs/x%231.yaml' });
  assert.deepEqual(artifactUri('C:\\work\\a.yaml'), { uri: 'file:///C:/work/a.yaml' });
  assert.equal(artifactUri('<stdin>'), undefined);
  assert.equal(artifactUri('cluster:kind-dev'), undefined);
  // an absolute path inside the directory kordon runs from is relative to it; outside it stays absolute
  assert.deepEqual(artifactUri('/home/runner/work/repo/k8s/app.yaml', '/home/runner/work/repo'), { uri: 'k8s/app.yaml', uriBaseId: '%SRCROOT%' });
  assert.deepEqual(artifactUri('/home/runner/work/repo/k8s/app.yaml', '/home/runner/work/repo/'), { uri: 'k8s/app.yaml', uriBaseId: '%SRCROOT%' });
  assert.deepEqual(artifactUri('/home/runner/work/repo-2/app.yaml', '/home/runner/work/repo'), { uri: 'file:///home/runner/work/repo-2/app.yaml' });
  assert.deepEqual(artifactUri('C:\\work\\a.yaml', 'C:\\work'), { uri: 'a.yaml', uriBaseId: '%SRCROOT%' });
});

test('a scan given absolute paths under the working directory gives the same SARIF locations as relative paths', async () => {
  const { scanPaths } = await import('../../src/scan.js');
  const rel = JSON.parse(formatSarif(await scanPaths(['examples/shop/10-web.yaml'])));
  const abs = JSON.parse(formatSarif(await scanPaths([path.resolve('examples/shop/10-web.yaml')])));
  const uris = (log: Json): string[] => (log.runs[0].results as Json[]).map((x) => `${x.locations[0].physicalLocation.artifactLocation.uriBaseId} ${x.locations[0].physicalLocation.artifactLocation.uri}`);
  assert.ok(uris(rel).length > 0);
  assert.deepEqual(uris(abs), uris(rel));
  assert.deepEqual(multitoolProblems(abs), []);
});

test('the SARIF log of a scan with the whole catalogue is valid too', async () => {
  const { scanPaths } = await import('../../src/scan.js');
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const r = await scanPaths(['test/fixtures/reports/workloads.yaml', 'test/fixtures/reports/broken.yaml'], { now: new Date('2025-06-01T00:00:00Z') });
    const log = JSON.parse(formatSarif(r));
    assert.equal(log.runs[0].tool.driver.rules.length, r.controls.length);
    assert.ok(log.runs[0].results.length > 0);
    const v = validate(log);
    assert.ok(v.ok, v.errors);
    assert.deepEqual(multitoolProblems(log), []);
  } finally {
    process.chdir(cwd);
  }
});

test('the streamed SARIF log has the bytes JSON.stringify gives the same log, large or small', async () => {
  const base = await fixtureScan();
  // today's text: the whole log as one JSON.stringify
  const whole = (r: ScanResult): string => JSON.stringify(toSarif(r), null, 2) + '\n';
  assert.equal([...sarifChunks(base)].join(''), whole(base));
  assert.equal(formatSarif(base), whole(base));
  // and with more findings and problems than are written one batch at a time
  const many: ScanResult = {
    ...base,
    findings: Array.from({ length: 1300 }, (_, i) => ({ ...base.findings[i % base.findings.length]!, message: `finding ${i}` })),
    problems: Array.from({ length: 700 }, (_, i) => ({ ...base.problems[0]!, line: i + 1 })),
  };
  const chunks = [...sarifChunks(many)];
  assert.equal(chunks.join(''), whole(many));
  const log = JSON.parse(chunks.join(''));
  assert.equal(log.runs[0].results.length, 1300);
  assert.equal(log.runs[0].invocations[0].toolExecutionNotifications.length, 700);
  assert.deepEqual(validate(log).ok, true);
});

test('SARIF with a million input problems is written in pieces (it is larger than any string)', async () => {
  const base = await fixtureScan();
  const problem = base.problems[0]!;
  const million: ScanResult = { ...base, problems: Array.from({ length: 1_000_000 }, (_, i) => ({ ...problem, line: i + 1 })), summary: { ...base.summary, problems: { errors: 1_000_000, warnings: 0 } } };
  let length = 0;
  let notifications = 0;
  let largest = 0;
  let tail = '';
  for (const chunk of sarifChunks(million)) {
    length += chunk.length;
    largest = Math.max(largest, chunk.length);
    for (let i = chunk.indexOf('"descriptor"'); i !== -1; i = chunk.indexOf('"descriptor"', i + 1)) notifications++;
    tail = chunk.length >= 200 ? chunk.slice(-200) : (tail + chunk).slice(-200);
  }
  assert.equal(notifications, 1_000_000);
  assert.ok(length > 2 ** 29, `${length} characters: more than one string can hold`);
  assert.ok(largest < 2 ** 22, `the largest piece has ${largest} characters`);
  assert.ok(tail.endsWith('\n      }\n    }\n  ]\n}\n'), tail);
});
