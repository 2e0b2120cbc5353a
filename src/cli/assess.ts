/**
 * `kordon assess [PATHS...] | --cluster`: the Kubernetes Health Assessment (src/assess/,
 * docs/assess.md): scores over the eight dimensions, the Risk x Effort scorecard, four 90-day
 * plans and the 12-month roadmap.
 *
 *   -f pretty|json|markdown|html   output format (default pretty)
 *   --capacity DAYS                person-days per quarter (default 30)
 *   --scorecard FILE               also write the Risk x Effort scorecard as a standalone SVG
 *   --previous FILE                an earlier assessment's JSON: progress (actions done, new risks, score deltas)
 *   --exceptions FILE              accepted risks are left out (repeatable)
 *   --no-attack-paths              no security graph: risk by severity and breadth, no paths closed
 *
 * Exit code: 0; 2 for a bad flag or an unreadable --previous; 3 when computed from partial input.
 */
import { promises as fs } from 'node:fs';
import type { Command } from 'commander';
import { scanInventory } from '../scan.js';
import { buildAssessment, type Assessment } from '../assess/assess.js';
import { compareAssessments, parsePreviousAssessment, type Progress } from '../assess/progress.js';
import { formatAssessmentMarkdown, formatAssessmentPretty } from '../assess/format.js';
import { formatAssessmentHtml } from '../report/assess-html.js';
import { scorecardSvg } from '../report/scorecard.js';
import { exitFor, inputState, problemJson, problemLines, withProblemMarkdown, withProblemText } from './partial-input.js';
import { EXIT } from './exit-codes.js';
import { checkOutput, collect, emit, UsageError, type Io } from './io.js';
import { inputConfig, readInventory, withClusterOptions, withInputOptions, type SourceFlags } from './inputs.js';
import { selectControls } from '../engine/select.js';
import { allControls } from '../controls/index.js';
import { loadExceptions } from './scan.js';

interface AssessFlags extends SourceFlags {
  format: string;
  output?: string;
  exceptions?: string[];
  attackPaths: boolean;
  capacity?: string;
  scorecard?: string;
  previous?: string;
}

const FORMATS = ['pretty', 'json', 'markdown', 'html'] as const;

export function registerAssess(program: Command, io: Io, done: (code: number) => void): void {
  withInputOptions(withClusterOptions(program.command('assess')))
    .description('Kubernetes Health Assessment: eight dimensions, a Risk x Effort scorecard, four 90-day plans (a 12-month roadmap)')
    .argument('[paths...]', 'files or directories (- reads standard input), or a snapshot')
    .option('-f, --format <format>', `output format: ${FORMATS.join(', ')}`, 'pretty')
    .option('-o, --output <file>', 'write the assessment to a file')
    .option('--capacity <days>', 'person-days of work per quarter (default 30)')
    .option('--scorecard <file>', 'also write the Risk x Effort scorecard as a standalone SVG file')
    .option('--previous <file>', 'an earlier assessment (JSON from -f json): show progress against it')
    .option('--exceptions <file>', 'exceptions file (repeatable): accepted risks are left out', collect)
    .option('--no-attack-paths', 'no security graph: risk by severity and breadth only, no attack paths closed')
    .action(async (paths: string[], flags: AssessFlags) => done(await runAssess(paths, flags, io)));
}

function capacityOf(flag: string | undefined): number | undefined {
  if (flag === undefined) return undefined;
  const n = Number(flag);
  if (!/^\s*\d+(\.\d+)?\s*$/.test(flag) || !Number.isFinite(n) || n <= 0 || n > 100_000) throw new UsageError(`--capacity takes a positive number of person-days per quarter, not "${flag}"`);
  return n;
}

async function readPrevious(file: string | undefined): Promise<Assessment | undefined> {
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--previous ${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const parsed = parsePreviousAssessment(text);
  if ('error' in parsed) throw new UsageError(`--previous ${file}: ${parsed.error}`);
  return parsed.assessment;
}

async function runAssess(paths: string[], flags: AssessFlags, io: Io): Promise<number> {
  if (!(FORMATS as readonly string[]).includes(flags.format)) throw new UsageError(`unknown format "${flags.format}"; use ${FORMATS.join(', ')}`);
  const capacity = capacityOf(flags.capacity);
  await checkOutput(flags.output);
  await checkOutput(flags.scorecard);
  const previous = await readPrevious(flags.previous);
  // the config file: what to read (as every command), which controls run and the accepted risks (as scan and plan)
  const cfg = await inputConfig(flags, io);
  const exceptions = [...(await loadExceptions([...(flags.exceptions ?? []), ...(cfg?.exceptionFiles ?? [])])), ...(cfg?.ignores ?? [])];
  const selected = selectControls(allControls, { enable: cfg?.settings.controls?.enable ?? [], skip: cfg?.settings.controls?.skip ?? [] });
  if (selected.errors.length) throw new UsageError(selected.errors.join('\n'));
  const { inv, coverage } = await readInventory(paths, flags, io, { config: cfg ?? null });
  const sources = paths.length ? paths : [...new Set(inv.objects.map((o) => o.origin.source))].sort().slice(0, 1);
  const result = scanInventory(inv, sources, { exceptions, attackPaths: flags.attackPaths, controls: selected.controls });
  const assessment = buildAssessment(result, inv, { ...(capacity !== undefined ? { capacity } : {}), ...(coverage ? { coverage } : {}) });
  const progress: Progress | undefined = previous ? compareAssessments(previous, assessment) : undefined;
  const state = inputState(result.problems, coverage);
  const text =
    flags.format === 'json'
      ? JSON.stringify({ ...assessment, ...(progress ? { progress } : {}), ...problemJson(state) }, null, 2) + '\n'
      : flags.format === 'markdown'
        ? withProblemMarkdown(formatAssessmentMarkdown(assessment, progress), state)
        : flags.format === 'html'
          ? formatAssessmentHtml(assessment, progress, problemLines(state))
          : withProblemText(formatAssessmentPretty(assessment, progress), state);
  if (flags.scorecard) await fs.writeFile(flags.scorecard, scorecardSvg(assessment, { standalone: true }));
  await emit(io, text, flags.output);
  return exitFor(state, EXIT.ok);
}
