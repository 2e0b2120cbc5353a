/**
 * `kordon node` in the report formats of `kordon scan` besides pretty and JSON: SARIF 2.1.0 (a
 * rule per CIS item and per extra check, a result per failed item and per item left to review),
 * JUnit XML (a suite per scope, a test case per item: failures fail, items not judged here are
 * skipped with the reason) and Markdown (summary, failures, then what needs review). Deterministic.
 */
import { CIS_ITEMS, type CisResult } from './cis.js';
import type { ExtraFinding, NodeReport, ScopeReport } from './report.js';
import { KORDON_INFORMATION_URI, SARIF_SCHEMA_URI } from '../report/sarif.js';
import { escapeXml } from '../report/junit.js';
import { VERSION } from '../version.js';
import type { Severity } from '../engine/types.js';

export const NODE_FORMATS = ['pretty', 'json', 'sarif', 'junit', 'markdown'] as const;
export type NodeFormat = (typeof NODE_FORMATS)[number];

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
const ruleId = (cisId: string): string => `CIS-${cisId}`;
const REVIEW = new Set(['manual', 'needs-node-access']);

/** What was judged, as a line: the component and its flag or field, or the file. */
function judged(r: CisResult): string {
  return [r.component, r.field].filter(Boolean).join(' ') || r.path || '';
}

export function formatNodeSarif(r: NodeReport): string {
  const extraIds = [...new Set(r.extra.map((e) => e.id))].sort();
  const rules = [
    ...CIS_ITEMS.map((i) => ({
      id: ruleId(i.id),
      name: i.title,
      shortDescription: { text: `CIS ${i.id} ${i.title}` },
      properties: { assessment: i.assessment, severity: i.severity, benchmark: r.benchmark },
    })),
    ...extraIds.map((id) => ({ id, shortDescription: { text: r.extra.find((e) => e.id === id)!.message.split(':')[0]! } })),
  ];
  const index = new Map(rules.map((x, i) => [x.id, i]));
  const results: unknown[] = [];
  for (const s of r.scopes) {
    for (const x of s.results) {
      if (x.status !== 'fail' && !REVIEW.has(x.status)) continue;
      const fail = x.status === 'fail';
      results.push({
        ruleId: ruleId(x.id),
        ruleIndex: index.get(ruleId(x.id)),
        kind: fail ? 'fail' : 'review',
        level: fail ? LEVEL[x.severity] : 'none',
        message: { text: `${s.scope}: CIS ${x.id} ${x.title}: ${x.reason}` },
        locations: [
          {
            ...(x.path ? { physicalLocation: { artifactLocation: { uri: x.path.replace(/^\/+/, ''), uriBaseId: 'NODEROOT' } } } : {}),
            logicalLocations: [{ name: s.scope, kind: 'module' }],
          },
        ],
        properties: { status: x.status, ...(judged(x) ? { judged: judged(x) } : {}) },
      });
    }
  }
  for (const e of r.extra) {
    if (e.status === 'pass') continue;
    results.push({ ruleId: e.id, ruleIndex: index.get(e.id), kind: e.status === 'fail' ? 'fail' : 'review', level: e.status === 'fail' ? LEVEL[e.severity] : 'none', message: { text: e.message }, properties: { status: e.status } });
  }
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'kordon', semanticVersion: VERSION, informationUri: KORDON_INFORMATION_URI, rules } },
        originalUriBaseIds: { NODEROOT: { uri: 'file:///', description: { text: "The node's root file system (kordon node --root)." } } },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: r.problems.map((p) => ({ level: p.severity === 'error' ? 'error' : 'warning', message: { text: p.message }, locations: [{ physicalLocation: { artifactLocation: { uri: p.source.replace(/^\/+/, ''), uriBaseId: 'NODEROOT' }, ...(p.line ? { region: { startLine: p.line } } : {}) } }] })),
          },
        ],
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function testcase(s: ScopeReport, x: CisResult): string {
  const head = ` classname="${escapeXml(s.scope)}" name="${escapeXml(`CIS ${x.id} ${x.title}`)}"`;
  if (x.status === 'fail') return `    <testcase${head}>\n      <failure message="${escapeXml(x.reason)}" type="${x.severity}">${escapeXml(`${judged(x) ? `${judged(x)}: ` : ''}${x.reason}`)}</failure>\n    </testcase>`;
  if (x.status === 'pass') return `    <testcase${head}/>`;
  return `    <testcase${head}>\n      <skipped message="${escapeXml(`${x.status}: ${x.reason}`)}"/>\n    </testcase>`;
}

function extraCase(e: ExtraFinding): string {
  const head = ` classname="node" name="${escapeXml(e.id)}"`;
  if (e.status === 'fail') return `    <testcase${head}>\n      <failure message="${escapeXml(e.message)}" type="${e.severity}">${escapeXml(e.message)}</failure>\n    </testcase>`;
  if (e.status === 'pass') return `    <testcase${head}/>`;
  return `    <testcase${head}>\n      <skipped message="${escapeXml(e.message)}"/>\n    </testcase>`;
}

export function formatNodeJunit(r: NodeReport): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  const suite = (name: string, cases: string[], f: number, sk: number): void => {
    tests += cases.length;
    failures += f;
    skipped += sk;
    suites.push(`  <testsuite name="${escapeXml(name)}" tests="${cases.length}" failures="${f}" skipped="${sk}">\n${cases.map((c) => c + '\n').join('')}  </testsuite>\n`);
  };
  for (const s of r.scopes) {
    suite(`${r.benchmark}: ${s.scope}`, s.results.map((x) => testcase(s, x)), s.results.filter((x) => x.status === 'fail').length, s.results.filter((x) => x.status !== 'fail' && x.status !== 'pass').length);
  }
  if (r.extra.length) suite('beyond the benchmark', r.extra.map(extraCase), r.extra.filter((e) => e.status === 'fail').length, r.extra.filter((e) => e.status === 'unknown').length);
  if (r.problems.length) {
    const cases = r.problems.map((p) => `    <testcase classname="input" name="${escapeXml(`${p.source}${p.line ? `:${p.line}` : ''}`)}">\n      <failure message="${escapeXml(p.message)}" type="${p.severity}:${p.code}">${escapeXml(p.message)}</failure>\n    </testcase>`);
    suite('input', cases, cases.length, 0);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="kordon node" tests="${tests}" failures="${failures}" skipped="${skipped}">\n${suites.join('')}</testsuites>\n`;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function formatNodeMarkdown(r: NodeReport): string {
  const out: string[] = [`## kordon node: ${r.benchmark}`, ''];
  out.push(`| status | items |`, `| --- | ---: |`, ...Object.entries(r.summary).map(([k, v]) => `| ${k} | ${v} |`), '');
  if (r.problems.length) out.push(`> **Computed from partial input**: ${r.problems.length} input problem(s): ${r.problems.map((p) => cell(`${p.source}${p.line ? `:${p.line}` : ''} ${p.message}`)).join('; ')}`, '');
  for (const s of r.scopes) {
    const failed = s.results.filter((x) => x.status === 'fail');
    const review = s.results.filter((x) => REVIEW.has(x.status));
    out.push(`### ${s.scope}`, '', `${failed.length} failed, ${review.length} to review, ${s.results.filter((x) => x.status === 'pass').length} passed.`, '');
    if (failed.length) out.push('| item | severity | title | judged | why |', '| --- | --- | --- | --- | --- |', ...failed.map((x) => `| ${x.id} | ${x.severity} | ${cell(x.title)} | ${cell(judged(x))} | ${cell(x.reason)} |`), '');
    if (review.length) out.push('<details><summary>To review (manual, or needs access to the node)</summary>', '', ...review.map((x) => `- ${x.id} ${cell(x.title)}: ${cell(x.reason)}`), '', '</details>', '');
  }
  const extra = r.extra.filter((e) => e.status !== 'pass');
  if (extra.length) out.push('### Beyond the benchmark', '', ...extra.map((e) => `- **${e.status}** ${e.id} (${e.severity}): ${cell(e.message)}`), '');
  if (r.data) out.push(`Version data of ${r.data.updated} (${r.data.ageDays} days old).`, '');
  return out.join('\n');
}
