/**
 * Property-based fuzzing of the report and evidence readers: every fixture of the shop corpus,
 * cut at any place or with any value replaced by another type, is read without throwing; every
 * problem names the file (with a line), and the analysis of what was read is the same twice.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { readVulnText } from '../../src/sources/vulns/read.js';
import { readRuntimeText } from '../../src/sources/runtime/read.js';
import { analyseVulns } from '../../src/vulns/analyse.js';
import type { InputProblem } from '../../src/inventory/types.js';

const REPORTS = 'test/corpus/vulns/shop/reports';
const RUNTIME = 'test/corpus/vulns/shop/runtime';
const reports = readdirSync(REPORTS).sort().map((f) => ({ source: path.join(REPORTS, f), text: readFileSync(path.join(REPORTS, f), 'utf8') }));
const evidence = readdirSync(RUNTIME).sort().map((f) => ({ source: path.join(RUNTIME, f), text: readFileSync(path.join(RUNTIME, f), 'utf8') }));

/** Replaces the value at the n-th position of a walk of the document with another of any JSON type. */
function mutate(doc: unknown, n: number, value: unknown): unknown {
  let i = 0;
  const walk = (v: unknown): unknown => {
    if (i++ === n) return value;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(doc);
}

const anyValue = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.string(), fc.constant([]), fc.constant({}), fc.array(fc.string(), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 4 }), fc.string(), { maxKeys: 2 }));

test('fuzz: cut or retyped reports and evidence never throw; problems name the file; the analysis is deterministic', { timeout: 300_000 }, () => {
  fc.assert(
    fc.property(fc.nat(reports.length - 1), fc.nat(), fc.nat(), anyValue, fc.boolean(), (which, cut, at, value, truncate) => {
      const r = reports[which]!;
      const text = truncate ? r.text.slice(0, cut % (r.text.length + 1)) : JSON.stringify(mutate(JSON.parse(r.text), at % 400, value), null, 1);
      const problems: InputProblem[] = [];
      const read = readVulnText(r.source, text, problems);
      for (const p of problems) {
        assert.equal(p.source, r.source);
        assert.ok(p.message.length > 0);
      }
      const others = reports.filter((_, i) => i !== which).flatMap((o) => readVulnText(o.source, o.text, []).reports);
      const ev = evidence.flatMap((e) => readRuntimeText(e.source, e.text, []));
      const a = analyseVulns({ reports: [...others, ...read.reports], evidence: ev });
      const b = analyseVulns({ reports: [...read.reports, ...others].reverse(), evidence: ev });
      assert.equal(JSON.stringify(b), JSON.stringify(a));
    }),
    { seed: 14_2026, numRuns: 150 },
  );
  fc.assert(
    fc.property(fc.nat(evidence.length - 1), fc.nat(), (which, cut) => {
      const e = evidence[which]!;
      const problems: InputProblem[] = [];
      readRuntimeText(e.source, e.text.slice(0, cut % (e.text.length + 1)), problems);
      for (const p of problems) assert.equal(p.source, e.source);
    }),
    { seed: 14_2027, numRuns: 100 },
  );
});
