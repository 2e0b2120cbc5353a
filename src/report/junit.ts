/**
 * JUnit XML, for CI systems that show test results (GitLab, Jenkins, Azure DevOps, CircleCI).
 * A test suite per control that judged anything; a failing test case per (control, object) with
 * findings; objects whose findings are all suppressed are skipped test cases; the objects that
 * passed are one passing test case. Input problems are failing test cases of the suite "input".
 */
import type { ScanResult } from '../engine/result.js';
import type { Control, Finding } from '../engine/types.js';
import { controlsById, findingLocation, findingNote, groupBy, objectName, problemLocation } from './common.js';

/** Escapes text for XML content and attribute values; drops characters XML 1.0 cannot carry. */
export function escapeXml(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function attrs(a: Record<string, string | number | undefined>): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
}

interface Case {
  xml: string;
  failed: boolean;
  skipped: boolean;
}

function findingDetail(f: Finding): string {
  const loc = findingLocation(f);
  const note = findingNote(f);
  return `${f.message}\n  object: ${objectName(f.object)}${loc ? `\n  at: ${loc}` : ''}\n  field: ${f.pointer || '/'}${note ? `\n  ${note}` : ''}`;
}

function objectCase(c: Control, fs: Finding[]): Case {
  const first = fs[0]!;
  const active = fs.filter((f) => !f.suppressed);
  const name = objectName(first.object);
  const head = attrs({
    classname: `${c.id}.${c.name}`,
    name,
    ...(first.location ? { file: first.location.source, line: first.location.line } : {}),
  });
  if (active.length === 0) {
    const reasons = [...new Set(fs.map((f) => f.suppressed!.reason))].join('; ');
    return { xml: `    <testcase${head}>\n      <skipped${attrs({ message: `suppressed: ${reasons}` })}/>\n    </testcase>`, failed: false, skipped: true };
  }
  const message = active.length === 1 ? active[0]!.message : `${active.length} findings: ${active[0]!.message}`;
  const body = [...active.map(findingDetail), `remediation: ${c.remediation}`].join('\n\n');
  return {
    xml: `    <testcase${head}>\n      <failure${attrs({ message, type: c.severity })}>${escapeXml(body)}</failure>\n    </testcase>`,
    failed: true,
    skipped: false,
  };
}

function suite(name: string, cases: Case[], properties: Array<[string, string]>, passing?: { classname: string; name: string }): string {
  const all = [...cases];
  if (passing) all.push({ xml: `    <testcase${attrs(passing)}/>`, failed: false, skipped: false });
  const props = properties.length ? `    <properties>\n${properties.map(([k, v]) => `      <property${attrs({ name: k, value: v })}/>`).join('\n')}\n    </properties>\n` : '';
  const head = attrs({ name, tests: all.length, failures: all.filter((c) => c.failed).length, errors: 0, skipped: all.filter((c) => c.skipped).length });
  return `  <testsuite${head}>\n${props}${all.map((c) => c.xml).join('\n')}${all.length ? '\n' : ''}  </testsuite>`;
}

export function formatJunit(r: ScanResult): string {
  const suites: Array<{ xml: string; tests: number; failures: number; skipped: number }> = [];
  const evaluations = new Map(r.evaluations.map((e) => [e.controlId, e]));
  const byControl = groupBy(r.findings, (f) => f.controlId);
  for (const c of controlsById(r)) {
    const findings = byControl.get(c.id) ?? [];
    const evaluated = evaluations.get(c.id)?.evaluated ?? 0;
    if (evaluated === 0 && findings.length === 0) continue;
    const byObject = groupBy(findings, (f) => f.object?.id ?? '');
    const cases = [...byObject.keys()].sort().map((k) => objectCase(c, byObject.get(k)!));
    const judgedWithFindings = [...byObject.keys()].filter((k) => k !== '').length;
    const passing = Math.max(0, evaluated - judgedWithFindings);
    const props: Array<[string, string]> = [
      ['layer', c.layer],
      ['severity', c.severity],
      ['evaluated', String(evaluated)],
      ...Object.entries(c.frameworks).filter(([, l]) => l && l.length).map(([fw, l]) => [fw, (l as string[]).join(', ')] as [string, string]),
    ];
    const xml = suite(`${c.id} ${c.name}`, cases, props, passing > 0 ? { classname: `${c.id}.${c.name}`, name: `${passing} object${passing === 1 ? '' : 's'} pass` } : undefined);
    const tests = cases.length + (passing > 0 ? 1 : 0);
    suites.push({ xml, tests, failures: cases.filter((x) => x.failed).length, skipped: cases.filter((x) => x.skipped).length });
  }
  if (r.problems.length > 0) {
    const cases: Case[] = r.problems.map((p) => ({
      xml: `    <testcase${attrs({ classname: 'input', name: problemLocation(p), file: p.source, line: p.line })}>\n      <failure${attrs({ message: p.message, type: `${p.severity}:${p.code}` })}>${escapeXml(`${problemLocation(p)}: ${p.message}`)}</failure>\n    </testcase>`,
      failed: true,
      skipped: false,
    }));
    suites.push({ xml: suite('input', cases, []), tests: cases.length, failures: cases.length, skipped: 0 });
  }
  const total = (k: 'tests' | 'failures' | 'skipped'): number => suites.reduce((n, s) => n + s[k], 0);
  const head = attrs({ name: 'kordon', tests: total('tests'), failures: total('failures'), errors: 0, skipped: total('skipped') });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${head}>\n${suites.map((s) => s.xml + '\n').join('')}</testsuites>\n`;
}
