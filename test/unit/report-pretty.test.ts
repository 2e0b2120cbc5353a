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

test('pretty: a summary first, then findings by severity across layers with the layer shown, remediation once per control', async () => {
  const text = formatPretty(await fixtureScan(), { color: false });
  assert.ok(text.startsWith('SUMMARY\n  4 findings, 5 objects scanned (2 suppressed)\n  by severity: critical 0, high 1, medium 2, low 1, info 0\n'), text.slice(0, 200));
  assert.match(text, /top risks:\n {4}HIGH {5}KOR-9001 Pod shares the node network \[cluster\]: 1 finding\n {4}MEDIUM {3}KOR-0100 Image not pinned to a version or digest \[container\]: 2 findings\n {4}LOW {6}KOR-9002/);
  assert.match(text, /input: 1 error, 0 warnings \(some input could not be read/);
  // severity sections across layers: the cluster-layer low finding comes after the container-layer medium ones
  const high = text.indexOf('HIGH (1 finding)\n  KOR-9001 Pod shares the node network (test-host-network) [cluster]');
  const medium = text.indexOf('MEDIUM (2 findings)\n  KOR-0100 Image not pinned to a version or digest (image-mutable-tag) [container]');
  const low = text.indexOf('LOW (1 finding)\n  KOR-9002 No NetworkPolicy at all (test-no-network-policy) [cluster]');
  assert.ok(high > 0 && medium > high && low > medium, 'severity order across layers');
  assert.ok(text.indexOf('SUMMARY') < high, 'summary first');
  const fixLines = text.split('\n').filter((l) => l.includes('remediation: Reference images by an explicit version tag'));
  assert.equal(fixLines.length, 1, 'remediation printed once for two findings of one control');
  assert.match(text, /\n {4}Deployment prod\/web at test\/fixtures\/reports\/workloads\.yaml:17:11\n {6}Container "init" image "busybox"/);
  assert.match(text, /\n {4}Deployment prod\/web at test\/fixtures\/reports\/workloads\.yaml:20:11/);
  assert.match(text, /\n {4}cluster\n/);
  assert.equal((text.match(/4 findings, 5 objects scanned/g) ?? []).length, 1, 'the counts are said once');
});

test('pretty: --group-by layer, control and object', async () => {
  const r = await fixtureScan();
  const layer = formatPretty(r, { color: false, groupBy: 'layer' });
  const cluster = layer.indexOf('CLUSTER (2 findings)\n  HIGH     KOR-9001');
  const container = layer.indexOf('CONTAINER (2 findings)\n  MEDIUM   KOR-0100');
  assert.ok(cluster > 0 && container > cluster, 'layers in 4C order');
  assert.ok(layer.indexOf('LOW      KOR-9002') < container, 'severity order within a layer');
  const control = formatPretty(r, { color: false, groupBy: 'control' });
  assert.match(control, /FINDINGS \(4, by control\)\n\n {2}HIGH {5}KOR-9001 .*\[cluster\]\n[^]*\n {2}MEDIUM {3}KOR-0100 .*\[container\]\n[^]*\n {2}LOW {6}KOR-9002/);
  const object = formatPretty(r, { color: false, groupBy: 'object' });
  assert.match(object, /FINDINGS \(4, by object\)\n\nDeployment prod\/web in test\/fixtures\/reports\/workloads\.yaml \(3 findings\)\n {2}HIGH {5}KOR-9001 \[cluster\] Pod of Deployment "web" uses the host network\. at test\/fixtures\/reports\/workloads\.yaml:14:7\n {2}MEDIUM {3}KOR-0100 \[container\] Container "init"/);
  assert.match(object, /\ncluster \(1 finding\)\n {2}LOW {6}KOR-9002/);
  assert.match(object, /REMEDIATION\n {2}KOR-0100 Reference images[^\n]*\n {2}KOR-9001 Remove spec\.hostNetwork[^\n]*\n {2}KOR-9002 Add NetworkPolicies\./);
});

test('pretty: findings of one severity are ordered by attack-path priority, highest first', async () => {
  const r = await fixtureScan();
  const findings = r.findings.map((f) => (f.controlId === 'KOR-0100' && !f.suppressed ? { ...f, priority: { score: f.message.includes('init') ? 10 : 90, onPaths: 1, reason: 'on 1 attack path' } } : f));
  const text = formatPretty({ ...r, findings }, { color: false });
  assert.ok(text.indexOf('Container "app" uses') < text.indexOf('Container "init" image'), 'priority 90 before priority 10');
  assert.match(text, /MEDIUM {3}KOR-0100 Image not pinned to a version or digest \[container\]: 2 findings, on attack paths \(priority 90\)/);
});

test('pretty: problems, exceptions and scores per layer and per framework at the end', async () => {
  const r = await fixtureScan();
  const text = formatPretty(r, { color: false });
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
  assert.ok(text.indexOf('INPUT PROBLEMS') < text.indexOf('SCORES'));
});

test('pretty: says so when there is nothing to report', async () => {
  const r = await fixtureScan();
  const summary = { ...r.summary, findings: 0, suppressed: 0, bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 }, problems: { errors: 0, warnings: 0 } };
  const text = formatPretty({ ...r, findings: [], problems: [], summary }, { color: false });
  assert.match(text, /\nNo findings\.\n/);
  assert.match(text, /^SUMMARY\n  0 findings, 5 objects scanned/);
  assert.match(text, /input: everything was read/);
  assert.doesNotMatch(text, /top risks/);
  assert.doesNotMatch(text, /INPUT PROBLEMS/);
});
