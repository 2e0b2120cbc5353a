/** Every control names the Health Assessment dimensions it informs, and `kordon controls` shows them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allControls } from '../../src/controls/index.js';
import { DIMENSIONS } from '../../src/engine/types.js';
import { controlMeta } from '../../src/report/json.js';

test('every control declares its dimensions explicitly, each one of the eight, without repeats', () => {
  for (const c of allControls) {
    assert.ok(c.dimensions && c.dimensions.length > 0, `${c.id} ${c.name}: no dimensions`);
    for (const d of c.dimensions) assert.ok(DIMENSIONS.includes(d), `${c.id}: unknown dimension ${d}`);
    assert.equal(new Set(c.dimensions).size, c.dimensions.length, `${c.id}: a dimension is listed twice`);
  }
});

test('every dimension has controls behind it', () => {
  for (const d of DIMENSIONS) assert.ok(allControls.some((c) => c.dimensions?.includes(d)), `no control informs ${d}`);
});

test('the JSON catalogue carries the dimensions', () => {
  for (const c of allControls) assert.deepEqual(controlMeta(c)['dimensions'], c.dimensions);
});
