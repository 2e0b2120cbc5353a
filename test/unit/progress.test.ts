import { test } from 'node:test';
import assert from 'node:assert/strict';
import { progressReporter } from '../../src/cli/progress.js';

function sink(isTTY: boolean): { isTTY: boolean; out: string[]; write(s: string): boolean } {
  const out: string[] = [];
  return { isTTY, out, write: (s: string) => (out.push(s), true) };
}

test('plain progress lines at most every 10% of the resources, and the last one', () => {
  const s = sink(false);
  const p = progressReporter(s, false);
  for (let i = 1; i <= 40; i++) p({ resourcesDone: i, resourcesTotal: 40, objects: i * 10, current: 'pods' });
  p.end();
  assert.equal(s.out.length, 10);
  assert.equal(s.out.at(-1), 'kordon: read 40/40 resources, 400 objects\n');
  assert.ok(s.out.every((l) => !l.includes('\r')));
});

test('a bar on a terminal, redrawn in place, closed by a newline; nothing when quiet', () => {
  const s = sink(true);
  const p = progressReporter(s, false);
  p({ resourcesDone: 1, resourcesTotal: 2, objects: 5, current: 'pods' });
  p({ resourcesDone: 2, resourcesTotal: 2, objects: 9, current: 'nodes' });
  p.end();
  assert.match(s.out[0]!, /^\r\[={15} {15}\] 1\/2 resources, 5 objects$/);
  assert.match(s.out[1]!, /^\r\[={30}\] 2\/2 resources, 9 objects$/);
  assert.equal(s.out[2], '\n');
  const q = sink(true);
  const quiet = progressReporter(q, true);
  quiet({ resourcesDone: 1, resourcesTotal: 1, objects: 1, current: 'pods' });
  quiet.end();
  assert.deepEqual(q.out, []);
});
