import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cell, formatMarkdown } from '../../src/report/markdown.js';
import { problemLocation } from '../../src/report/common.js';
import { fixtureScan } from './report-fixture.js';

test('markdown: summary tables with severity counts and scores per layer and framework', async () => {
  const r = await fixtureScan();
  const md = formatMarkdown(r);
  assert.match(md, /^## kordon \S+: 4 findings in 5 objects\n/);
  assert.match(md, /\| High \| 1 \|\n\| Medium \| 2 \|/);
  assert.match(md, new RegExp(`\\| Cluster \\| 2 \\| ${r.scores.layers.cluster}% \\|`));
  assert.match(md, /\| Cloud \| 0 \| n\/a \|/);
  assert.match(md, new RegExp(`\\| Pod Security Standards \\| ${r.scores.frameworks.pss}% \\|`));
});

test('markdown: findings grouped by layer then severity, with file:line', async () => {
  const md = formatMarkdown(await fixtureScan());
  const cluster = md.indexOf('#### Cluster (2)');
  const high = md.indexOf('**High** (1)', cluster);
  const low = md.indexOf('**Low** (1)', cluster);
  const container = md.indexOf('#### Container (2)');
  assert.ok(cluster > 0 && high > cluster && low > high && container > low);
  assert.match(md, /\| KOR-9001 \| Deployment prod\/web \| `test\/fixtures\/reports\/workloads\.yaml:14:7` \| Pod of Deployment "web" uses the host network\. \|/);
  assert.match(md, /- \*\*KOR-0100\*\*: Reference images/);
  assert.doesNotMatch(md, /debug/, 'suppressed findings are not listed');
  assert.match(md, /_2 suppressed finding\(s\) are not listed\._/);
});

test('markdown: input problems and expired/unused exceptions', async () => {
  const r = await fixtureScan();
  const md = formatMarkdown(r);
  const p = r.problems[0]!;
  assert.ok(md.includes(`### Input problems (1)`));
  assert.ok(md.includes(`| error | \`${problemLocation(p)}\` |`));
  assert.ok(problemLocation(p).startsWith(`${p.source}:${p.line}`));
  assert.match(md, /\| expired \| `test\/fixtures\/reports\/exceptions\.yaml` \| KOR-0100 \| namespace=legacy \| legacy namespace is being retired \| 2020-01-01 \|/);
  assert.match(md, /\| unused \| `test\/fixtures\/reports\/exceptions\.yaml` \| \* \|/);
});

test('markdown: table cells cannot break the table or inject HTML; long lists are cut', async () => {
  assert.equal(cell('a|b\nc<script>'), 'a\\|b c&lt;script&gt;');
  const md = formatMarkdown(await fixtureScan(), { maxFindings: 1 });
  assert.match(md, /_3 more finding\(s\) not listed/);
});
