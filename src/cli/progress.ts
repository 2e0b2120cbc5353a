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
