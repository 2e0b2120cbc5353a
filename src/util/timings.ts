/**
 * Phase timings for benchmarks and performance work: with `KORDON_TIMINGS=1` in the
 * environment, each phase's wall time (and the heap after it) is written to standard error
 * as it ends. Off by default: no clock is read, nothing is printed.
 */
const enabled = typeof process !== 'undefined' && process.env['KORDON_TIMINGS'] === '1';

/** Runs `fn` as a named phase. */
export function phase<T>(name: string, fn: () => T): T {
  if (!enabled) return fn();
  const start = performance.now();
  const out = fn();
  report(name, start);
  return out;
}

/** The same, for a phase that returns a promise. */
export async function phaseAsync<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (!enabled) return fn();
  const start = performance.now();
  const out = await fn();
  report(name, start);
  return out;
}

function report(name: string, start: number): void {
  const ms = performance.now() - start;
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc(); // under --expose-gc: what is retained, not what awaits collection
  const mem = process.memoryUsage();
  const mib = (n: number): string => (n / 2 ** 20).toFixed(0);
  process.stderr.write(`kordon timing: ${name} ${ms.toFixed(0)} ms (heap ${mib(mem.heapUsed)} MiB, external ${mib(mem.external)} MiB, rss ${mib(mem.rss)} MiB, peak rss ${mib(process.resourceUsage().maxRSS * 1024)} MiB)\n`);
}
