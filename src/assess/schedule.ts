/**
 * Four 90-day plans: actions placed into quarters by priority, dependency and capacity.
 *
 * - Order: the plan's rank (quick wins, major projects, fill-ins, later; the riskiest first),
 *   except that an action inherits the rank of the most urgent action waiting for it (a fill-in
 *   that a quick win needs is done as early as that quick win), and an action always comes after
 *   the actions it depends on (topological order; ties by rank).
 * - Place: each action into the earliest quarter that is later than every quarter of its
 *   dependencies (a change that enforces something is rolled out after the fixes it needs, not
 *   beside them) and that still has room for its person-days. An action larger than a whole
 *   quarter's capacity takes a quarter of its own (`overCapacity`). What fits nowhere in the
 *   year goes to the backlog, with the reason.
 */

export interface ScheduleInput {
  id: string;
  /** 1 = most urgent. */
  rank: number;
  personDays: number;
  dependsOn: readonly string[];
}

export interface Placement {
  quarter: 1 | 2 | 3 | 4 | null;
  /** Order within the whole roadmap, from 1 (backlog last). */
  order: number;
  overCapacity?: boolean;
  /** Why the action is in the backlog. */
  backlog?: string;
}

export const QUARTERS = [1, 2, 3, 4] as const;

export function schedule(actions: readonly ScheduleInput[], capacity: number): Map<string, Placement> {
  const byId = new Map(actions.map((a) => [a.id, a]));
  const deps = new Map(actions.map((a) => [a.id, a.dependsOn.filter((d) => byId.has(d) && d !== a.id)]));
  // effective rank: the most urgent rank among the action and everything that (transitively) waits for it
  const eff = new Map(actions.map((a) => [a.id, a.rank]));
  for (let changed = true, rounds = 0; changed && rounds <= actions.length; rounds++) {
    changed = false;
    for (const a of actions) {
      for (const d of deps.get(a.id)!) {
        if (eff.get(a.id)! < eff.get(d)!) {
          eff.set(d, eff.get(a.id)!);
          changed = true;
        }
      }
    }
  }
  // topological order by (effective rank, rank, id); a cycle (no rule makes one, but controls are open) is broken at its most urgent action
  const key = (a: ScheduleInput): [number, number, string] => [eff.get(a.id)!, a.rank, a.id];
  const before = (a: ScheduleInput, b: ScheduleInput): boolean => {
    const x = key(a);
    const y = key(b);
    return x[0] !== y[0] ? x[0] < y[0] : x[1] !== y[1] ? x[1] < y[1] : x[2] < y[2];
  };
  const done = new Set<string>();
  const order: ScheduleInput[] = [];
  const left = new Set(actions.map((a) => a.id));
  while (left.size > 0) {
    let pick: ScheduleInput | undefined;
    let fallback: ScheduleInput | undefined;
    for (const id of left) {
      const a = byId.get(id)!;
      if (!fallback || before(a, fallback)) fallback = a;
      if (deps.get(id)!.every((d) => done.has(d)) && (!pick || before(a, pick))) pick = a;
    }
    const next = pick ?? fallback!;
    order.push(next);
    done.add(next.id);
    left.delete(next.id);
  }
  const used = [0, 0, 0, 0, 0];
  const out = new Map<string, Placement>();
  for (const a of order) {
    let earliest = 1;
    let blocked: string | undefined;
    for (const d of deps.get(a.id)!) {
      const p = out.get(d);
      if (!p) continue; // a broken cycle: placed later, not waited for
      if (p.quarter === null) blocked = d;
      else earliest = Math.max(earliest, p.quarter + 1);
    }
    let placed: Placement | undefined;
    if (blocked) placed = { quarter: null, order: 0, backlog: `waits for ${blocked}, which does not fit into the four quarters` };
    else if (earliest > 4) placed = { quarter: null, order: 0, backlog: 'its dependencies take all four quarters' };
    else {
      for (let q = earliest; q <= 4; q++) {
        if (used[q]! + a.personDays <= capacity + 1e-9) {
          placed = { quarter: q as 1 | 2 | 3 | 4, order: 0 };
          break;
        }
        if (used[q] === 0 && a.personDays > capacity) {
          placed = { quarter: q as 1 | 2 | 3 | 4, order: 0, overCapacity: true };
          break;
        }
      }
      placed ??= { quarter: null, order: 0, backlog: `no quarter from Q${earliest} on has ${a.personDays} person-day(s) left (capacity ${capacity} per quarter)` };
    }
    if (placed.quarter !== null) used[placed.quarter]! += a.personDays;
    out.set(a.id, placed);
  }
  // order: quarter by quarter in placement order, then the backlog
  let n = 0;
  for (const q of [1, 2, 3, 4, null]) for (const a of order) if (out.get(a.id)!.quarter === q) out.get(a.id)!.order = ++n;
  return out;
}
