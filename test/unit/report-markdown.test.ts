import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cell, COMMENT_LIMIT, formatMarkdown } from '../../src/report/markdown.js';
import { SEVERITIES, type Finding } from '../../src/engine/types.js';
import type { ScanResult } from '../../src/engine/result.js';
import type { InputProblem } from '../../src/inventory/types.js';
import { problemLocation } from '../../src/report/common.js';
import { fixtureScan } from './report-fixture.js';

test('markdown: a summary first: score, severity counts, top risks, what could not be read; scores per layer and framework at the end', async () => {
  const r = await fixtureScan();
  const md = formatMarkdown(r);
  assert.match(md, /^## kordon \S+: 4 findings, 5 objects scanned\n/);
  assert.match(md, new RegExp(`\\nPosture score \\*\\*${r.scores.overall}%\\*\\* \\(held at 70% or below by high findings\\); 2 suppressed; input: 1 error, 0 warnings \\(some input could not be read`));
  assert.match(md, /\| High \| 1 \|\n\| Medium \| 2 \|/);
  assert.match(md, /\*\*Top risks\*\*\n\n- \*\*High\*\* KOR-9001 Pod shares the node network \(cluster\): 1 finding\n- \*\*Medium\*\* KOR-0100/);
  assert.match(md, new RegExp(`\\| Cluster \\| 2 \\| ${r.scores.layers.cluster}% \\|`));
  assert.match(md, /\| Cloud \| 0 \| n\/a \|/);
  assert.match(md, new RegExp(`\\| Pod Security Standards \\| ${r.scores.frameworks.pss}% \\|`));
  assert.ok(md.indexOf('Top risks') < md.indexOf('### Findings') && md.indexOf('### Findings') < md.indexOf('| 4C layer |'));
});

test('markdown: findings by severity across layers, the layer of each, with file:line', async () => {
  const md = formatMarkdown(await fixtureScan());
  const high = md.indexOf('#### High (1)');
  const medium = md.indexOf('#### Medium (2)');
  const low = md.indexOf('#### Low (1)');
  assert.ok(high > 0 && medium > high && low > medium);
  assert.match(md, /\| KOR-9001 \| cluster \| Deployment prod\/web \| `test\/fixtures\/reports\/workloads\.yaml:14:7` \| Pod of Deployment "web" uses the host network\. \|/);
  assert.match(md, /\| KOR-0100 \| container \| Deployment prod\/web \|/);
  assert.match(md, /- \*\*KOR-0100\*\*: Reference images/);
  assert.doesNotMatch(md, /debug/, 'suppressed findings are not listed');
  assert.match(md, /_2 suppressed finding\(s\) are not listed\._/);
  assert.doesNotMatch(md, /Not listed here/);
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
  assert.match(md, /_\*\*Not listed here: 3 more findings\*\* \(a pull-request comment holds 65,536 characters\); the full report: run the scan with `--format json`/);
});

/** The fixture scan blown up: `n` findings with long messages and `p` input problems. */
async function bigScan(n: number, p: number): Promise<ScanResult> {
  const r = await fixtureScan();
  const base = r.findings.find((f) => !f.suppressed && f.object)!;
  const findings: Finding[] = [];
  for (let i = 0; i < n; i++) {
    const sev = SEVERITIES[i % 4]!;
    findings.push({ ...base, severity: sev, controlId: `KOR-9${String(i % 50).padStart(3, '0')}`, object: { ...base.object!, id: `Deployment/prod/web-${i}`, name: `web-${i}` }, message: `Container "app-${i}" ${'does something risky '.repeat(8)}` });
  }
  const problems: InputProblem[] = Array.from({ length: p }, (_, i) => ({ source: `charts/app/templates/t${i}.yaml`, line: i + 1, code: 'yaml-syntax', severity: 'error' as const, message: `YAML syntax error number ${i}` }));
  const bySeverity = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) bySeverity[f.severity]++;
  return { ...r, findings, problems, summary: { ...r.summary, findings: n, suppressed: 0, bySeverity, problems: { errors: p, warnings: 0 } } };
}

test('markdown: a report too large for a comment is cut to 65,536 characters, saying how many findings and problems were left out and where the full report is', async () => {
  const r = await bigScan(3000, 400);
  const md = formatMarkdown(r, { fullReport: 'https://ci.example/artifacts/kordon.sarif' });
  assert.ok(md.length <= COMMENT_LIMIT, `${md.length} characters`);
  assert.ok(md.length > COMMENT_LIMIT - 2000, 'the room is used');
  const rows = md.split('\n').filter((l) => /^\| KOR-9\d{3} \|/.test(l)).length;
  const problems = md.split('\n').filter((l) => l.startsWith('| error |')).length;
  assert.ok(rows > 50 && rows < 500);
  const m = /Not listed here: (\d+) more findings and (\d+) more input problems\*\* \(a pull-request comment holds 65,536 characters\); the full report: https:\/\/ci\.example\/artifacts\/kordon\.sarif\._/.exec(md);
  assert.ok(m, md.slice(-600));
  assert.equal(Number(m[1]) + rows, 3000, 'listed + left out = all findings');
  assert.equal(Number(m[2]) + problems, 400, 'listed + left out = all problems');
  // the worst first: every critical row comes before the first high row
  assert.ok(md.indexOf('#### Critical (750)') < md.indexOf('#### High (750)') || md.indexOf('#### High') === -1);
  assert.match(md, /\| Framework \| Score \|/, 'the score tables are never cut');
});

test('markdown: exactly at the limit nothing is cut; one character less and it is', async () => {
  const r = await bigScan(120, 3);
  const full = formatMarkdown(r, { maxChars: 1_000_000 });
  assert.doesNotMatch(full, /Not listed here/);
  assert.equal(formatMarkdown(r, { maxChars: full.length }), full);
  const cut = formatMarkdown(r, { maxChars: full.length - 1 });
  assert.ok(cut.length <= full.length - 1);
  assert.match(cut, /Not listed here: \d+ more finding/);
});

test('markdown: even a report whose summary alone is over the limit stays under it', async () => {
  const r = await bigScan(10, 0);
  const md = formatMarkdown(r, { maxChars: 1500 });
  assert.ok(md.length <= 1500, `${md.length}`);
  assert.match(md, /cut|Not listed here/);
});
