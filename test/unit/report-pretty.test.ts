import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPretty } from '../../src/report/pretty.js';
import { problemLocation } from '../../src/report/common.js';
import { fixtureScan } from './report-fixture.js';

const ANSI = /\x1b\[/;

test('pretty: no ANSI escape codes when colour is off, some when it is on', async () => {
  const r = await fixtureScan();
  assert.doesNotMatch(formatPretty(r, { color: false }), ANSI);
  assert.match(formatPretty(r, { color: true }), ANSI);
});

test('pretty: grouped by 4C layer, severity-ordered, remediation once per control', async () => {
  const text = formatPretty(await fixtureScan(), { color: false });
  const cluster = text.indexOf('CLUSTER (2 findings)');
  const container = text.indexOf('CONTAINER (2 findings)');
  assert.ok(cluster >= 0 && container > cluster, 'layers in 4C order');
  assert.ok(text.indexOf('HIGH     KOR-9001') < text.indexOf('LOW      KOR-9002'), 'severity order within a layer');
  const fixLines = text.split('\n').filter((l) => l.includes('remediation: Reference images by an explicit version tag'));
  assert.equal(fixLines.length, 1, 'remediation printed once for two findings of one control');
  assert.match(text, /KOR-0100 Deployment prod\/web at test\/fixtures\/reports\/workloads\.yaml:17:11\n {6}Container "init" image "busybox"/);
  assert.match(text, /KOR-0100 Deployment prod\/web at test\/fixtures\/reports\/workloads\.yaml:20:11/);
  assert.match(text, /KOR-9002 cluster\n/);
});

test('pretty: summary with counts and scores per layer and per framework; problems; exceptions', async () => {
  const r = await fixtureScan();
  const text = formatPretty(r, { color: false });
  assert.match(text, /objects 5, findings 4, suppressed 2, input errors 1, input warnings 0/);
  assert.match(text, /by severity: critical 0, high 1, medium 2, low 1, info 0/);
  assert.match(text, new RegExp(`posture score ${r.scores.overall}%`));
  assert.match(text, new RegExp(`by 4C layer: cloud n/a \\(0 findings\\), cluster ${r.scores.layers.cluster}% \\(2 findings\\), container ${r.scores.layers.container}%`));
  assert.match(text, new RegExp(`by framework: PSS ${r.scores.frameworks.pss}%, NSA-CISA ${r.scores.frameworks.nsa}%, CIS ${r.scores.frameworks.cis}%, MITRE ATT&CK ${r.scores.frameworks.mitre}%`));
  const p = r.problems[0]!;
  assert.ok(p.line);
  assert.ok(text.includes(`${problemLocation(p)}: ${p.message}`));
  assert.ok(problemLocation(p).startsWith(`${p.source}:${p.line}`));
  assert.match(text, /EXPIRED +test\/fixtures\/reports\/exceptions\.yaml: KOR-0100 on namespace=legacy \(expired 2020-01-01\)/);
  assert.match(text, /UNUSED +test\/fixtures\/reports\/exceptions\.yaml: \* on name=nothing-matches-this matched no finding/);
  assert.match(text, /SUPPRESSED \(2\)\n.*short-lived debugging pod \(annotation\)/);
});

test('pretty: says so when there is nothing to report', async () => {
  const r = await fixtureScan();
  const text = formatPretty({ ...r, findings: [], problems: [] }, { color: false });
  assert.match(text, /^No findings\./);
  assert.doesNotMatch(text, /INPUT PROBLEMS/);
});
