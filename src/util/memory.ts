/**
 * A full garbage collection between the phases of a large scan (docs/adr/0004).
 *
 * Decoding leaves a lot behind at once: the file's bytes, JSON.parse's and the YAML parser's
 * scratch, the tables built on the way. V8 collects the old generation only when it reaches a
 * limit set from the live size, so that garbage can stay resident through the whole control
 * run and decide the peak memory of the process. One collection after decoding costs about
 * 0.1 s for 100,000 objects and takes the peak from 0.9 GiB to 0.7 GiB.
 */
import { builtin } from './builtins.js';

/** Inventories at least this large are worth a collection after loading. */
export const COLLECT_AFTER_OBJECTS = 20_000;

let collector: (() => void) | null | undefined;

/** Runs a full collection when the runtime allows it (`--expose-gc`, or the V8 flag set at run time). */
export function collectGarbage(): boolean {
  if (collector === undefined) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (typeof exposed === 'function') collector = exposed;
    else {
      try {
        // the flag only adds `gc` to contexts created after it is set: take it from a fresh one
        builtin('v8').setFlagsFromString('--expose-gc');
        const fn = builtin('vm').runInNewContext('gc') as unknown;
        collector = typeof fn === 'function' ? (fn as () => void) : null;
      } catch {
        collector = null;
      }
    }
  }
  if (!collector) return false;
  collector();
  liveAfterLast = builtin('v8').getHeapStatistics().used_heap_size;
  return true;
}

/** Garbage grown by at least this much (and a quarter of what was live) is worth a collection. */
const GROWTH_MIN_BYTES = 256 * 2 ** 20;
let liveAfterLast = 0;

/**
 * A full collection when the heap has grown by 256 MiB and a quarter of what was live after the
 * last one (then checked cheaply: one heap statistics call). Large scans call it between
 * objects and phases: V8 lets garbage pile up to a limit set from the live size, so without it
 * a scan of 150,000 pods peaked 0.5 GiB higher than its live data (BENCHMARKS.md, session 9).
 * Small scans never reach the threshold.
 */
export function collectIfGrown(): boolean {
  const used = builtin('v8').getHeapStatistics().used_heap_size;
  if (used - liveAfterLast < Math.max(GROWTH_MIN_BYTES, liveAfterLast / 4)) return false;
  return collectGarbage(); // (which notes what is live after it)
}
