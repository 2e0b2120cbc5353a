/**
 * `kordon assess --capacity` end to end on the bundled example: the person-days of each action as
 * docs/assess.md computes them, each quarter filled up to the capacity and no further (an action
 * larger than a quarter alone, flagged), the rest in the backlog with a reason, and the capacity
 * shown in the JSON, Markdown and HTML.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../support/cli.js';

interface Action { id: string; effort: 'low' | 'medium' | 'high'; objects: string[]; personDays: number; quarter: number | null; overCapacity?: boolean; backlog?: string }
interface Assessment { capacity: number; summary: { personDays: number; backlog: number }; actions: Action[]; quarters: Array<{ quarter: number; capacity: number; personDays: number; actions: string[] }>; backlog: string[] }

async function assess(args: string[]): Promise<Assessment> {
  const r = await runCli(['assess', 'examples/', '-f', 'json', ...args]);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as Assessment;
}

/** docs/assess.md, "Effort in person-days": days × (1 + ½·log2(objects)), up to half days. */
const DAYS = { low: 0.5, medium: 2, high: 5 } as const;
const documented = (effort: Action['effort'], objects: number): number => Math.ceil(DAYS[effort] * (1 + Math.log2(Math.max(1, objects)) / 2) * 2 - 1e-9) / 2;

test('--capacity: person-days as documented, quarters filled up to the capacity, the rest in the backlog', async () => {
  const byCapacity = new Map<number, Assessment>();
  for (const capacity of [4, 30, 500]) {
    const a = await assess(capacity === 30 ? [] : ['--capacity', String(capacity)]);
    byCapacity.set(capacity, a);
    assert.equal(a.capacity, capacity, 'the default is 30');
    for (const x of a.actions) assert.equal(x.personDays, documented(x.effort, x.objects.length), `${x.id}: ${x.effort}, ${x.objects.length} object(s)`);
    assert.equal(a.summary.personDays, a.actions.reduce((n, x) => n + x.personDays, 0));
    for (const q of a.quarters) {
      assert.equal(q.capacity, capacity);
      const qa = a.actions.filter((x) => x.quarter === q.quarter);
      assert.deepEqual(qa.map((x) => x.id).sort(), [...q.actions].sort());
      assert.equal(q.personDays, qa.reduce((n, x) => n + x.personDays, 0));
      if (q.personDays > capacity) assert.ok(qa.length === 1 && qa[0]!.overCapacity, `Q${q.quarter}: ${q.personDays} > ${capacity} only for one action larger than a quarter`);
    }
    assert.equal(a.backlog.length, a.summary.backlog);
    for (const id of a.backlog) {
      const x = a.actions.find((y) => y.id === id)!;
      assert.equal(x.quarter, null);
      assert.ok(x.backlog && x.backlog.length > 0, `${id}: the backlog says why`);
    }
  }
  const [small, mid, large] = [byCapacity.get(4)!, byCapacity.get(30)!, byCapacity.get(500)!];
  const scheduled = (a: Assessment): number => a.actions.filter((x) => x.quarter !== null).reduce((n, x) => n + x.personDays, 0);
  assert.ok(small.backlog.length > mid.backlog.length || mid.backlog.length === 0, 'a smaller team leaves more for later');
  assert.equal(large.backlog.length, 0, 'room for everything');
  assert.ok(scheduled(small) <= 4 * 4 + Math.max(0, ...small.actions.filter((x) => x.overCapacity).map((x) => x.personDays)));
  assert.ok(scheduled(small) < scheduled(large));
});

test('--capacity appears in the Markdown roadmap and the HTML report', async () => {
  const md = await runCli(['assess', 'examples/', '--capacity', '12', '-f', 'markdown']);
  assert.equal(md.code, 0, md.err);
  assert.match(md.out, /capacity 12 person-days per quarter/);
  assert.match(md.out, /^\| Q1 \| days 1–90 \| \d+ \| [\d.]+ \/ 12 \|/m);
  const html = await runCli(['assess', 'examples/', '--capacity', '12', '-f', 'html']);
  assert.equal(html.code, 0, html.err);
  assert.match(html.out, /capacity 12 person-days per quarter/);
  assert.match(html.out, /[\d.]+ \/ 12 person-days/);
});
