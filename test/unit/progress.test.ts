import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileProgressReporter, progressReporter } from '../../src/cli/progress.js';

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

/** A clock and timers under the test's control. */
function fakeTime(): { now: () => number; advance(ms: number): void; setTimer: (fn: () => void, ms: number) => { cancel(): void }; pending: () => number } {
  let t = 0;
  let timers: Array<{ at: number; fn: () => void; cancelled: boolean }> = [];
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
      for (const x of timers) if (!x.cancelled && x.at <= t) (x.cancelled = true), x.fn();
      timers = timers.filter((x) => !x.cancelled);
    },
    setTimer(fn, ms) {
      const x = { at: t + ms, fn, cancelled: false };
      timers.push(x);
      return { cancel: () => void (x.cancelled = true) };
    },
    pending: () => timers.filter((x) => !x.cancelled).length,
  };
}

test('file progress: nothing during the first second, then one line redrawn in place, cleared at the end', () => {
  const s = sink(true);
  const time = fakeTime();
  const p = fileProgressReporter(s, false, { now: time.now, setTimer: time.setTimer });
  p({ done: 0, total: 3, current: 'charts/web' });
  time.advance(500);
  assert.equal(s.out.length, 0, 'a fast scan shows nothing');
  // a chart that takes long: the timer shows it after a second without a new report
  time.advance(600);
  assert.deepEqual(s.out, ['\r\x1b[Kkordon: reading 1/3 charts/web']);
  time.advance(150);
  p({ done: 1, total: 3, current: 'deploy/a.yaml' });
  p({ done: 2, total: 3, current: 'deploy/b.yaml' }); // within 100 ms of the last redraw: skipped
  p({ done: 3, total: 3, current: 'decoding' });
  p({ done: 12, total: 12, current: 'analysing' });
  p.end();
  assert.ok(s.out.every((l) => !l.includes('\n')), 'never a new line: the report starts on a clean one');
  assert.deepEqual(s.out, [
    '\r\x1b[Kkordon: reading 1/3 charts/web',
    '\r\x1b[Kkordon: reading 2/3 deploy/a.yaml',
    '\r\x1b[Kkordon: decoding 3 inputs',
    '\r\x1b[Kkordon: analysing 12 objects',
    '\r\x1b[K',
  ]);
});

test('file progress: a scan under a second writes nothing at all, and its timer is cancelled', () => {
  const s = sink(true);
  const time = fakeTime();
  const p = fileProgressReporter(s, false, { now: time.now, setTimer: time.setTimer });
  p({ done: 0, total: 1, current: 'a.yaml' });
  time.advance(200);
  p({ done: 1, total: 1, current: 'decoding' });
  p.end();
  assert.equal(time.pending(), 0);
  time.advance(5000);
  assert.deepEqual(s.out, []);
});

test('file progress: never when standard error is not a terminal (CI logs) or with -q; redraws at most every 100 ms; long names are cut to the width', () => {
  for (const [tty, quiet] of [[false, false], [true, true], [false, true]] as const) {
    const s = sink(tty);
    const time = fakeTime();
    const p = fileProgressReporter(s, quiet, { now: time.now, setTimer: time.setTimer });
    time.advance(5000);
    for (let i = 0; i < 100; i++) p({ done: i, total: 100, current: `f${i}.yaml` });
    p.end();
    time.advance(5000);
    assert.deepEqual(s.out, [], `isTTY ${tty}, quiet ${quiet}`);
  }
  const s = { ...sink(true), columns: 50 };
  const time = fakeTime();
  const p = fileProgressReporter(s, false, { now: time.now, setTimer: time.setTimer });
  time.advance(2000);
  for (let i = 0; i < 50; i++) {
    p({ done: i, total: 50, current: `deploy/some/very/deeply/nested/directory/file-${i}.yaml` });
    time.advance(10);
  }
  assert.equal(s.out.length, 5, 'one redraw per 100 ms over 500 ms');
  assert.ok(s.out.every((l) => l.length <= '\r\x1b[K'.length + 49), JSON.stringify(s.out));
  assert.ok(s.out[0]!.endsWith('…'));
});
