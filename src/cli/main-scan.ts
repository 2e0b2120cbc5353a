/**
 * The scan-only CLI: `kordon scan` with nothing else registered, bundled on its own
 * (dist/bundle/kordon-scan.cjs, scripts/bundle.mjs) so that a scan neither reads nor runs the
 * other commands' code at start-up (bin/load-bundle.cjs picks it when the command is `scan`).
 * It answers exactly as src/cli/main.ts does for a `scan` command line.
 */
import { processIo, type Io } from './io.js';
import { runProgram } from './program.js';
import { registerScan } from './scan.js';

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  return runProgram([['scan', registerScan]], argv, io);
}
