/**
 * Cron schedules as Kubernetes (CronJob) and Velero (Schedule) read them: robfig/cron v3's
 * standard parser (five fields, month and weekday names, `*`/`?`, ranges, steps, the @yearly ...
 * @hourly descriptors and `@every <duration>`), and the longest gap between two runs.
 */

interface Bounds { min: number; max: number; names?: Record<string, number> }
const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = { min: 1, max: 12, names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 } };
const DOW: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };

export interface CronFields { minute: Set<number>; hour: Set<number>; dom: Set<number>; month: Set<number>; dow: Set<number>; domStar: boolean; dowStar: boolean }
export type CronSchedule = { kind: 'fields'; fields: CronFields } | { kind: 'every'; seconds: number };

function parseInt10(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new Error(`failed to parse int from ${s}`);
  const n = Number(s);
  if (n < 0) throw new Error(`negative number (${n}) not allowed: ${s}`);
  return n;
}

function intOrName(s: string, b: Bounds): number {
  const named = b.names?.[s.toLowerCase()];
  return named !== undefined ? named : parseInt10(s);
}

function field(text: string, b: Bounds): { values: Set<number>; star: boolean } {
  const values = new Set<number>();
  let star = false;
  for (const expr of text.split(',').filter((x) => x !== '')) {
    const [rangePart, stepPart, ...more] = expr.split('/');
    if (more.length > 0) throw new Error(`too many slashes: ${expr}`);
    const lowHigh = rangePart!.split('-');
    let start: number;
    let end: number;
    let isStar = false;
    if (lowHigh[0] === '*' || lowHigh[0] === '?') {
      start = b.min;
      end = b.max;
      isStar = true;
    } else {
      if (lowHigh.length > 2) throw new Error(`too many hyphens: ${expr}`);
      start = intOrName(lowHigh[0]!, b);
      end = lowHigh.length === 2 ? intOrName(lowHigh[1]!, b) : start;
    }
    let step = 1;
    if (stepPart !== undefined) {
      step = parseInt10(stepPart);
      if (lowHigh.length === 1) end = b.max;
      if (step > 1) isStar = false;
    }
    if (start < b.min) throw new Error(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
    if (end > b.max) throw new Error(`end of range (${end}) above maximum (${b.max}): ${expr}`);
    if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
    if (step === 0) throw new Error(`step of range should be a positive number: ${expr}`);
    for (let i = start; i <= end; i += step) values.add(i);
    star ||= isStar;
  }
  return { values, star };
}

/** Go's time.ParseDuration for the units schedules use (h, m, s, ms, us, ns), in seconds; undefined when malformed. */
export function parseGoDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  const unit: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    total += Number(m[1]) * unit[m[2]!]!;
    matched = re.lastIndex;
  }
  return matched === s.length && s.length > 0 ? total : undefined;
}

/** Parses a schedule; throws with the parser's reason when the API server (or Velero) would refuse it. */
export function parseCron(spec: string): CronSchedule {
  if (spec.length === 0) throw new Error('empty spec string');
  let text = spec;
  if (text.startsWith('TZ=') || text.startsWith('CRON_TZ=')) {
    const i = text.indexOf(' ');
    if (i < 0) throw new Error('time zone prefix without a schedule');
    text = text.slice(i).trim();
  }
  if (text.startsWith('@')) {
    const fixed: Record<string, string> = { '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0', '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *' };
    if (fixed[text]) return parseCron(fixed[text]!);
    if (text.startsWith('@every ')) {
      const seconds = parseGoDuration(text.slice('@every '.length));
      if (seconds === undefined) throw new Error(`failed to parse duration ${text}`);
      return { kind: 'every', seconds };
    }
    throw new Error(`unrecognized descriptor: ${text}`);
  }
  const parts = text.split(/\s+/).filter((x) => x !== '');
  if (parts.length !== 5) throw new Error(`expected exactly 5 fields, found ${parts.length}: ${text}`);
  const [mi, h, d, mo, w] = [field(parts[0]!, MINUTES), field(parts[1]!, HOURS), field(parts[2]!, DOM), field(parts[3]!, MONTHS), field(parts[4]!, DOW)];
  return { kind: 'fields', fields: { minute: mi.values, hour: h.values, dom: d.values, month: mo.values, dow: w.values, domStar: d.star, dowStar: w.star } };
}

/**
 * The longest time between two consecutive runs, in seconds, over four years of UTC calendar
 * (leap day included); undefined when the schedule never runs (30 February).
 */
export function longestGapSeconds(schedule: CronSchedule): number | undefined {
  if (schedule.kind === 'every') return schedule.seconds;
  const f = schedule.fields;
  const start = Date.UTC(2024, 0, 1);
  const days = 366 + 365 * 3;
  const runs: number[] = [];
  const minutes = [...f.minute].sort((a, b) => a - b);
  const hours = [...f.hour].sort((a, b) => a - b);
  for (let d = 0; d < days; d++) {
    const t = new Date(start + d * 86400000);
    if (!f.month.has(t.getUTCMonth() + 1)) continue;
    const domMatch = f.dom.has(t.getUTCDate());
    const dowMatch = f.dow.has(t.getUTCDay());
    if (!(f.domStar || f.dowStar ? domMatch && dowMatch : domMatch || dowMatch)) continue;
    for (const h of hours) for (const m of minutes) runs.push(d * 1440 + h * 60 + m);
  }
  if (runs.length === 0) return undefined;
  if (runs.length === 1) return days * 86400;
  let gap = 0;
  for (let i = 1; i < runs.length; i++) gap = Math.max(gap, runs[i]! - runs[i - 1]!);
  return gap * 60;
}

/** A duration in seconds for messages: `90m`, `36h`, `14d`. */
export function formatSeconds(s: number): string {
  if (s % 86400 === 0 && s >= 86400) return `${s / 86400}d`;
  if (s % 3600 === 0 && s >= 3600) return `${s / 3600}h`;
  if (s % 60 === 0 && s >= 60) return `${s / 60}m`;
  return `${Math.round(s)}s`;
}
