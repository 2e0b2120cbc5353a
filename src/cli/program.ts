/**
 * The kordon command line with a given set of commands: the program (name, version, output,
 * errors to exit codes) that src/cli/main.ts builds with every command, and
 * src/cli/main-scan.ts with `scan` alone (the scan-only bundle, scripts/bundle.mjs).
 */
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { EXIT } from './exit-codes.js';
import { UsageError, type Io } from './io.js';
import { UnreachableError } from '../sources/cluster/client.js';

export type Register = (program: Command, io: Io, done: (code: number) => void) => void;

/** Parses the command line with these commands registered, runs it, and returns the exit code. */
export async function runProgram(commands: ReadonlyArray<readonly [string, Register]>, argv: string[], io: Io): Promise<number> {

  let code: number = EXIT.ok;
  const program = new Command('kordon')
    .description('context-driven Kubernetes security')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .showHelpAfterError(false)
    // program options are read only before the command name, so commands may have their own
    // --version (`kordon pss --version v1.30`); `kordon --version` still works
    .enablePositionalOptions();
  const done = (c: number): void => {
    code = c;
  };
  for (const [, register] of commands) register(program, io, done);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    if (err instanceof UsageError) {
      io.stderr(`kordon: ${err.message}\n`);
      return EXIT.usage;
    }
    if (err instanceof UnreachableError) {
      io.stderr(`kordon: ${err.message}\n`);
      return EXIT.unreachable;
    }
    throw err;
  }
  return code;
}
