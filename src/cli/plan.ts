/**
 * `kordon plan [PATHS...] | --cluster`: the Risk x Effort roadmap of a scan (src/plan/).
 *
 *   -f pretty|json|markdown   output format (default pretty)
 *   --exceptions FILE         accepted risks are left out of the plan (repeatable)
 *   --no-attack-paths         rank by severity and breadth only (no security graph)
 *
 * Exit code: 0; 3 when the plan was computed from partial input (src/cli/partial-input.ts: said
 * in every format).
 */
import type { Command } from 'commander';
import { scanInventory } from '../scan.js';
import { buildPlan } from '../plan/plan.js';
import { formatPlanMarkdown, formatPlanPretty } from '../plan/format.js';
import { exitFor, inputState, problemJson, withProblemMarkdown, withProblemText } from './partial-input.js';
import { EXIT } from './exit-codes.js';
import { checkOutput, collect, emit, UsageError, type Io } from './io.js';
import { inputConfig, readInventory, withClusterOptions, withInputOptions, type SourceFlags } from './inputs.js';
import { selectControls } from '../engine/select.js';
import { allControls } from '../controls/index.js';
import { loadExceptions } from './scan.js';

interface PlanFlags extends SourceFlags {
  format: string;
  output?: string;
  exceptions?: string[];
  attackPaths: boolean;
}

const FORMATS = ['pretty', 'json', 'markdown'] as const;

export function registerPlan(program: Command, io: Io, done: (code: number) => void): void {
  withInputOptions(withClusterOptions(program.command('plan')))
    .description('turn the findings into a Risk x Effort roadmap: quick wins, major projects, fill-ins, later')
    .argument('[paths...]', 'files or directories (- reads standard input), or a snapshot')
    .option('-f, --format <format>', `output format: ${FORMATS.join(', ')}`, 'pretty')
    .option('-o, --output <file>', 'write the plan to a file')
    .option('--exceptions <file>', 'exceptions file (repeatable): accepted risks are left out', collect)
    .option('--no-attack-paths', 'rank by severity and breadth only (no security graph)')
    .action(async (paths: string[], flags: PlanFlags) => done(await runPlan(paths, flags, io)));
}

async function runPlan(paths: string[], flags: PlanFlags, io: Io): Promise<number> {
  if (!(FORMATS as readonly string[]).includes(flags.format)) throw new UsageError(`unknown format "${flags.format}"; use ${FORMATS.join(', ')}`);
  await checkOutput(flags.output);
  // the config file: what to read (as every command), which controls run and the accepted risks (as scan)
  const cfg = await inputConfig(flags, io);
  const exceptions = [...(await loadExceptions([...(flags.exceptions ?? []), ...(cfg?.exceptionFiles ?? [])])), ...(cfg?.ignores ?? [])];
  const selected = selectControls(allControls, { enable: cfg?.settings.controls?.enable ?? [], skip: cfg?.settings.controls?.skip ?? [] });
  if (selected.errors.length) throw new UsageError(selected.errors.join('\n'));
  const { inv, coverage } = await readInventory(paths, flags, io, { config: cfg ?? null });
  const result = scanInventory(inv, paths, { exceptions, attackPaths: flags.attackPaths, controls: selected.controls });
  const plan = buildPlan(result);
  // the scan's problems: the input's and the controls' own (a control that failed on an object)
  const state = inputState(result.problems, coverage);
  const text =
    flags.format === 'json'
      ? JSON.stringify({ ...plan, ...problemJson(state) }, null, 2) + '\n'
      : flags.format === 'markdown'
        ? withProblemMarkdown(formatPlanMarkdown(plan), state)
        : withProblemText(formatPlanPretty(plan), state);
  await emit(io, text, flags.output);
  return exitFor(state, EXIT.ok);
}
