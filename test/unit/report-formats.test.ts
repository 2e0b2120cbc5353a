import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { formatReport, REPORT_FORMATS } from '../../src/report/index.js';
import { formatJson, toJsonReport } from '../../src/report/json.js';
import { fixtureScan, ROOT } from './report-fixture.js';

test('every format lists the input problems with their source and line', async () => {
  const r = await fixtureScan();
  const p = r.problems[0]!;
  assert.ok(p.line, 'the fixture problem has a line');
  for (const format of REPORT_FORMATS) {
    const text = formatReport(r, format, { color: false });
    if (format === 'json' || format === 'sarif') {
      const json = JSON.stringify(JSON.parse(text));
      assert.ok(json.includes(JSON.stringify(p.source)), `${format}: source`);
      assert.ok(json.includes(`"line":${p.line}`) || json.includes(`"startLine":${p.line}`), `${format}: line`);
    } else {
      assert.ok(text.includes(`${p.source}:${p.line}`), `${format}: ${p.source}:${p.line}`);
    }
  }
});

test('every format is byte-identical for the same input', async () => {
  const [a, b] = [await fixtureScan(), await fixtureScan()];
  for (const format of REPORT_FORMATS) assert.equal(formatReport(a, format, { color: false }), formatReport(b, format, { color: false }), format);
});

test('JSON report: versioned, with findings, suppressions, problems and exceptions', async () => {
  const r = await fixtureScan();
  const j = JSON.parse(formatJson(r));
  assert.equal(j.schemaVersion, r.schemaVersion);
  assert.match(j.schemaVersion, /^\d+\.\d+$/);
  assert.equal(j.findings.length, 6);
  assert.equal(j.findings.filter((f: { suppressed?: unknown }) => f.suppressed).length, 2);
  assert.equal(j.problems[0].code, 'yaml-syntax');
  assert.equal(j.exceptions.expired.length, 1);
  assert.equal(j.exceptions.unused.length, 1);
  assert.deepEqual(j.controls.map((c: { id: string }) => c.id), ['KOR-0100', 'KOR-9001', 'KOR-9002']);
});

test('docs/json-report.md documents every field the JSON report emits', async () => {
  const doc = readFileSync(path.join(ROOT, 'docs/json-report.md'), 'utf8');
  const keys = new Set<string>();
  const walk = (v: unknown, parent: string): void => {
    if (Array.isArray(v)) for (const x of v) walk(x, parent);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        // Keys of maps (framework names, severities, layers) are values, documented as such.
        if (!['frameworks', 'bySeverity', 'byLayer', 'layers'].includes(parent)) keys.add(k);
        walk(x, k);
      }
    }
  };
  walk(toJsonReport(await fixtureScan()), '');
  const missing = [...keys].filter((k) => !doc.includes(`\`${k}\``)).sort();
  assert.deepEqual(missing, [], `fields missing from docs/json-report.md: ${missing.join(', ')}`);
});
