/**
 * The streamed JSON writer must give JSON.stringify's exact bytes: reports are compared
 * byte for byte between runs, and tools diff them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonChunks, jsonText } from '../../src/report/json-stream.js';
import { prng } from '../support/prng.js';

function randomValue(next: () => number, depth: number): unknown {
  const r = next();
  if (depth > 5 || r < 0.3) {
    const s = next();
    if (s < 0.2) return Math.floor(next() * 1e6) - 5e5;
    if (s < 0.3) return next() < 0.5;
    if (s < 0.35) return null;
    if (s < 0.4) return undefined;
    if (s < 0.45) return next() * 10;
    return ['', 'a', 'line\nbreak', 'quote "x"', 'tab\t', 'ünï', '\u2028', '{[]}'][Math.floor(next() * 8)];
  }
  if (r < 0.6) {
    // near the top, sometimes long enough to be written element by element
    const n = depth < 2 && next() < 0.3 ? 256 + Math.floor(next() * 300) : Math.floor(next() * 5);
    return Array.from({ length: n }, () => randomValue(next, depth + 2));
  }
  const o: Record<string, unknown> = {};
  const n = Math.floor(next() * 6);
  for (let i = 0; i < n; i++) o[['k', 'name', 'a/b', 'ünï', '0', '"q"'][Math.floor(next() * 6)]! + i] = randomValue(next, depth + 1);
  return o;
}

test('streamed JSON equals JSON.stringify(value, null, 2) on random values', () => {
  const next = prng(0x6a736f);
  let big = 0;
  const isBig = (x: unknown): boolean => Array.isArray(x) && x.length >= 256;
  for (let i = 0; i < 200; i++) {
    const v = randomValue(next, 0);
    if (isBig(v) || (v !== null && typeof v === 'object' && Object.values(v).some(isBig))) big++;
    assert.equal(jsonText(v), JSON.stringify(v, null, 2) ?? '', `value ${i}`);
  }
  assert.ok(big >= 10, `${big} values hold arrays written element by element`);
});

test('a big array deep inside (SARIF results) is written in pieces, with the same bytes', () => {
  const results = Array.from({ length: 5000 }, (_, i) => ({ ruleId: `KOR-${i % 90}`, message: { text: 'x'.repeat(300) }, locations: [{ line: i, tags: [] }], props: {} }));
  const sarif = { version: '2.1.0', runs: [{ tool: { driver: { rules: [] } }, results, empty: {}, none: undefined, fn: () => 1 }] };
  const chunks = [...jsonChunks(sarif)];
  assert.ok(chunks.length > 1, `written in ${chunks.length} pieces`);
  assert.ok(chunks.every((c) => c.length < 2 ** 21), 'no piece holds the whole text');
  assert.equal(chunks.join(''), JSON.stringify(sarif, null, 2));
});

test('toJSON, Dates, holes and values JSON drops are handled as JSON.stringify does', () => {
  const big = Array.from({ length: 300 }, (_, i) => (i % 7 === 0 ? undefined : i % 11 === 0 ? new Date(Date.UTC(2026, 0, 1 + (i % 28))) : { i, f: () => 0, u: undefined, j: { toJSON: () => `j${i}` } }));
  const v = { big, at: new Date(Date.UTC(2026, 10, 22)), custom: { toJSON: () => ({ replaced: [1, 2] }) }, gone: { toJSON: () => undefined }, sym: Symbol('s') };
  assert.equal(jsonText(v), JSON.stringify(v, null, 2));
  assert.equal(jsonText(undefined), '');
  assert.equal(jsonText([]), '[]');
  assert.equal(jsonText({}), '{}');
});
