/** The kordon CLI: thin; parses flags, calls the library, prints. One file per command. */
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { EXIT } from './exit-codes.js';
import { processIo, UsageError, type Io } from './io.js';
import { UnreachableError } from '../sources/cluster/client.js';
import { registerScan } from './scan.js';
import { registerControls } from './controls.js';
import { registerSnapshot } from './snapshot.js';
import { registerNetpol } from './netpol.js';
import { registerPss } from './pss.js';
import { registerRbac } from './rbac.js';
import { registerPaths } from './paths.js';
import { registerPlan } from './plan.js';
import { registerAssess } from './assess.js';
import { registerAudit } from './audit.js';
import { registerHarden } from './harden.js';
import { registerAdmission } from './admission.js';
import { registerWebhook } from './webhook.js';
import { registerVap } from './vap.js';
import { registerNode } from './node.js';
import { registerProbe } from './probe.js';
import { registerVulns } from './vulns.js';

export type Register = (program: Command, io: Io, done: (code: number) => void) => void;

const commands: Register[] = [registerScan, registerControls, registerSnapshot, registerNetpol, registerPss, registerRbac, registerPaths, registerPlan, registerAssess, registerAudit, registerHarden, registerAdmission, registerWebhook, registerVap, registerNode, registerProbe, registerVulns];

export async function main(argv: string[], io: Io = processIo): Promise<number> {
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
  for (const register of commands) register(program, io, done);
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
