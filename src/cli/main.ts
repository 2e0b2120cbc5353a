/** The kordon CLI: thin; parses flags, calls the library, prints. One file per command. */
import { processIo, type Io } from './io.js';
import { runProgram, type Register } from './program.js';
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

export type { Register } from './program.js';

/** Every command by the name it registers (test/unit/cli-main.test.ts checks the names). */
export const COMMANDS: ReadonlyArray<readonly [string, Register]> = [
  ['scan', registerScan],
  ['controls', registerControls],
  ['snapshot', registerSnapshot],
  ['netpol', registerNetpol],
  ['pss', registerPss],
  ['rbac', registerRbac],
  ['paths', registerPaths],
  ['plan', registerPlan],
  ['assess', registerAssess],
  ['audit', registerAudit],
  ['harden', registerHarden],
  ['admission', registerAdmission],
  ['webhook', registerWebhook],
  ['vap', registerVap],
  ['node', registerNode],
  ['probe', registerProbe],
  ['vulns', registerVulns],
];

/**
 * The commands to register for this command line: only the one it names when it starts with a
 * command's name (building every command's options is a few milliseconds of each start), every
 * command otherwise (help, --version, a mistyped name that commander suggests a command for).
 */
export function commandsFor(argv: readonly string[]): ReadonlyArray<readonly [string, Register]> {
  const named = COMMANDS.find(([name]) => name === argv[0]);
  return named ? [named] : COMMANDS;
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  return runProgram(commandsFor(argv), argv, io);
}
