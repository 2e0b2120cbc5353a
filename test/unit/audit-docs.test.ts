/** docs/audit.md's detection table is generated from the catalogue (KORDON_UPDATE_DOCS=1 rewrites it). */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { detectionsTable } from '../../src/audit/catalog.js';

const DOC = path.join(import.meta.dirname, '..', '..', 'docs', 'audit.md');
const BEGIN = '<!-- detections table: generated from src/audit (test/unit/audit-docs.test.ts), do not edit -->';
const END = '<!-- end of detections table -->';

describe('docs/audit.md', () => {
  it('lists every detection as the catalogue says', () => {
    const text = readFileSync(DOC, 'utf8');
    const a = text.indexOf(BEGIN);
    const b = text.indexOf(END);
    assert.ok(a >= 0 && b > a, 'markers missing');
    const want = `${BEGIN}\n${detectionsTable()}\n${END}`;
    const got = text.slice(a, b + END.length);
    if (got !== want && process.env.KORDON_UPDATE_DOCS === '1') writeFileSync(DOC, text.slice(0, a) + want + text.slice(b + END.length));
    else assert.equal(got, want, 'docs/audit.md drifted: KORDON_UPDATE_DOCS=1 node scripts/run-tests.mjs test/unit/audit-docs.test.ts');
  });
});
