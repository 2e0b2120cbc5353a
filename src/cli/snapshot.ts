/** `kordon snapshot`: read a live cluster into a gzip JSON file for offline scans. */
import type { Command } from 'commander';
import { removeUnfinishedSnapshots, SnapshotWriteError, writeSnapshot } from '../sources/cluster/snapshot.js';
import { UnreachableError } from '../sources/cluster/client.js';
import { EXIT } from './exit-codes.js';
import { checkOutput, collect, stderrSink, UsageError, type Io } from './io.js';
import { progressReporter } from './progress.js';
import { clusterConnection } from './scan.js';
import { withClusterOptions } from './inputs.js';

export function registerSnapshot(program: Command, io: Io, done: (code: number) => void): void {
  withClusterOptions(program.command('snapshot'))
    .description('read everything from a live cluster into a gzip JSON snapshot (Secret values are never read into it; credentials found elsewhere are redacted)')
    .requiredOption('-o, --output <file>', 'snapshot file to write (gzip JSON)')
    .option('-n, --namespace <ns>', 'only these namespaces (repeatable)', collect)
    .action(async (flags: { cluster?: boolean; output: string; kubeconfig?: string; context?: string; namespace?: string[]; concurrency?: string; timeout?: string; quiet?: boolean }) => {
      if (!flags.cluster) throw new UsageError('snapshot reads a live cluster: add --cluster');
      await checkOutput(flags.output);
      const conn = clusterConnection(flags);
      const progress = progressReporter(stderrSink, Boolean(flags.quiet));
      // stopped while writing: the temporary file goes, a file already at the -o path stays
      const stop = (signal: NodeJS.Signals): void => {
        removeUnfinishedSnapshots();
        progress.end();
        process.stderr.write(`kordon: stopped by ${signal}; ${flags.output} was not written\n`);
        process.exit(signal === 'SIGINT' ? 130 : 143);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        const r = await writeSnapshot(flags.output, { ...conn, onProgress: progress });
        progress.end();
        io.stderr(`kordon: wrote ${r.objects} objects from ${r.source} to ${flags.output}${r.problems.length ? `; ${r.problems.length} resources could not be read (listed in the snapshot)` : ''}\n`);
        for (const p of r.problems) io.stderr(`kordon: ${p.message}\n`);
        done(r.problems.some((p) => p.severity === 'error') ? EXIT.inputErrors : EXIT.ok);
      } catch (err) {
        progress.end();
        if (err instanceof UnreachableError) {
          io.stderr(`kordon: ${err.message}\n`);
          done(EXIT.unreachable);
          return;
        }
        if (err instanceof SnapshotWriteError) throw new UsageError(err.message);
        throw err;
      } finally {
        process.removeListener('SIGINT', stop);
        process.removeListener('SIGTERM', stop);
      }
    });
}
