/** Progress for long cluster reads, on stderr: a bar on a TTY, plain lines otherwise. */
import type { ReadProgress } from '../sources/cluster/read.js';

export function progressReporter(stderr: NodeJS.WriteStream | { isTTY?: boolean; write(s: string): unknown }, quiet: boolean): ((p: ReadProgress) => void) & { end(): void } {
  let last = 0;
  const tty = Boolean(stderr.isTTY);
  const fn = ((p: ReadProgress) => {
    if (quiet) return;
    if (tty) {
      const width = 30;
      const filled = Math.round((width * p.resourcesDone) / Math.max(1, p.resourcesTotal));
      stderr.write(`\r[${'='.repeat(filled)}${' '.repeat(width - filled)}] ${p.resourcesDone}/${p.resourcesTotal} resources, ${p.objects} objects`);
      return;
    }
    // plain lines: at most one line every 10% of the resources, and the last one
    const step = Math.max(1, Math.ceil(p.resourcesTotal / 10));
    if (p.resourcesDone === p.resourcesTotal || p.resourcesDone - last >= step) {
      last = p.resourcesDone;
      stderr.write(`kordon: read ${p.resourcesDone}/${p.resourcesTotal} resources, ${p.objects} objects\n`);
    }
  }) as ((p: ReadProgress) => void) & { end(): void };
  fn.end = () => {
    if (!quiet && tty) stderr.write('\n');
  };
  return fn;
}

/** What the file reporter is told (LoadProgress of src/sources/manifests/load.ts). */
export interface FileProgress {
  done: number;
  total: number;
  current: string;
}

export interface FileProgressOptions {
  /** Nothing is shown before the scan has run this long (default 1000 ms). */
  delayMs?: number;
  /** The clock and the timer (injected by the tests). */
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => { cancel(): void };
}

type Sink = NodeJS.WriteStream | { isTTY?: boolean; columns?: number; write(s: string): unknown };

/**
 * Progress for file, chart and Kustomize scans: one line on standard error, redrawn in place,
 * shown only on a terminal, only once the scan has taken longer than a second, never with
 * `-q`; cleared at the end so the report starts on a clean line. Without a terminal (CI logs,
 * a redirect) it writes nothing at all.
 */
export function fileProgressReporter(stderr: Sink, quiet: boolean, opts: FileProgressOptions = {}): ((p: FileProgress) => void) & { end(): void } {
  const active = !quiet && Boolean(stderr.isTTY);
  const now = opts.now ?? Date.now;
  const start = now();
  const delay = opts.delayMs ?? 1000;
  let last: FileProgress | undefined;
  let shown = false;
  let lastDraw = -Infinity;
  let timer: { cancel(): void } | undefined;
  const draw = (): void => {
    if (!last) return;
    // a terminal that does not say its width (0) is taken as 80 columns
    const width = Math.max(40, (stderr.columns && stderr.columns > 0 ? stderr.columns : 80) - 1);
    const n = last.total;
    let line =
      last.done < n
        ? `kordon: reading ${last.done + 1}/${n} ${last.current}`
        : last.current === 'analysing'
          ? `kordon: analysing ${n} object${n === 1 ? '' : 's'}`
          : `kordon: decoding ${n} input${n === 1 ? '' : 's'}`;
    if (line.length > width) line = `${line.slice(0, width - 1)}…`;
    stderr.write(`\r\x1b[K${line}`);
    shown = true;
    lastDraw = now();
  };
  const fn = ((p: FileProgress) => {
    if (!active) return;
    last = p;
    const t = now();
    if (t - start < delay) {
      // the first report arms a timer: a long first chart render still shows after a second
      timer ??= (opts.setTimer ?? defaultTimer)(() => draw(), delay - (t - start));
      return;
    }
    if (t - lastDraw >= 100 || p.done === p.total) draw();
  }) as ((p: FileProgress) => void) & { end(): void };
  fn.end = () => {
    timer?.cancel();
    if (shown) stderr.write('\r\x1b[K');
    shown = false;
  };
  return fn;
}

function defaultTimer(fn: () => void, ms: number): { cancel(): void } {
  const t = setTimeout(fn, ms);
  t.unref();
  return { cancel: () => clearTimeout(t) };
}
