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
import { loadVulnInputs, withVulnOptions } from './vulns.js';
import { vulnsOf } from '../vulns/context.js';
import { withImageUpgrades } from '../plan/image-upgrades.js';
import { withHardenActions } from '../plan/harden-actions.js';
import { harden, type HardenResult } from '../harden/harden.js';
import { readBehaviour, syscallArchOf, type SyscallArch } from '../sources/runtime/behaviour/read.js';
import { readRuntimeFiles, type RuntimeFiles } from '../sources/runtime/files.js';
import { readAuditUsage } from './harden.js';
import type { InputProblem } from '../inventory/types.js';

interface PlanFlags extends SourceFlags {
  format: string;
  output?: string;
  exceptions?: string[];
  attackPaths: boolean;
  vulns?: string[];
  runtime?: string[];
  audit?: string[];
  kev?: string;
}

const FORMATS = ['pretty', 'json', 'markdown'] as const;

export function registerPlan(program: Command, io: Io, done: (code: number) => void): void {
  withVulnOptions(withInputOptions(withClusterOptions(program.command('plan'))))
    .description('turn the findings into a Risk x Effort roadmap: quick wins, major projects, fill-ins, later')
    .argument('[paths...]', 'files or directories (- reads standard input), or a snapshot')
    .option('-f, --format <format>', `output format: ${FORMATS.join(', ')}`, 'pretty')
    .option('-o, --output <file>', 'write the plan to a file')
    .option('--exceptions <file>', 'exceptions file (repeatable): accepted risks are left out', collect)
    .option('--no-attack-paths', 'rank by severity and breadth only (no security graph)')
    .option('--audit <file>', 'audit logs (repeatable): least-privilege RBAC per service account as plan actions (as kordon harden --audit)', collect)
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
  // the --runtime files, read once by the shared reader (src/sources/runtime/files.ts): vulnerability
  // evidence for --vulns, observed behaviour for harden's actions
  let runtime: RuntimeFiles | undefined;
  if (flags.runtime?.length) {
    const nodeArch = new Map<string, SyscallArch>();
    for (const n of inv.byKind('Node')) {
      const a = syscallArchOf(n.object.metadata.labels?.['kubernetes.io/arch']);
      if (a && n.object.metadata.name) nodeArch.set(n.object.metadata.name, a);
    }
    runtime = await readRuntimeFiles(flags.runtime, { nodeArch });
  }
  // --runtime qualifies --vulns when given with it; on its own (or with --audit) it is harden's input
  const vulns = await loadVulnInputs({ ...flags, ...(flags.vulns?.length ? {} : { runtime: undefined }) }, { ...(runtime ? { read: runtime } : {}), behaviourUsed: true });
  // least privilege from observed behaviour: harden's actions (src/plan/harden-actions.ts)
  let hardened: HardenResult | undefined;
  const hardenProblems: InputProblem[] = [];
  if (flags.runtime?.length || flags.audit?.length) {
    const summary = runtime?.behaviour ?? (await readBehaviour([]));
    const audit = flags.audit?.length ? await readAuditUsage(flags.audit) : undefined;
    hardened = harden(inv, summary, { ...(audit ? { usage: audit.usage } : {}) });
    // with --vulns the same files are read as vulnerability evidence too: a format one reader does not know is the other's
    hardenProblems.push(...hardened.problems.filter((p) => !(flags.vulns?.length && p.code === 'not-kubernetes')), ...(audit?.problems ?? []));
  }
  const result = scanInventory(inv, paths, { exceptions, attackPaths: flags.attackPaths, controls: selected.controls, ...(vulns ? { vulns } : {}) });
  // image vulnerabilities: one upgrade action per image (src/plan/image-upgrades.ts)
  const ctx = vulns ? vulnsOf(inv) : undefined;
  const base = ctx ? withImageUpgrades(buildPlan(result), result, ctx) : buildPlan(result);
  const plan = hardened ? withHardenActions(base, result, hardened) : base;
  // the scan's problems: the input's and the controls' own (a control that failed on an object);
  // with --vulns the runtime files were read by both readers: a broken line is said once
  const scanProblems = result.problems;
  const said = new Set(scanProblems.map((p) => `${p.source}|${p.line ?? ''}|${p.code}`));
  const state = inputState([...scanProblems, ...hardenProblems.filter((p) => !said.has(`${p.source}|${p.line ?? ''}|${p.code}`))], coverage);
  const text =
    flags.format === 'json'
      ? JSON.stringify({ ...plan, ...problemJson(state) }, null, 2) + '\n'
      : flags.format === 'markdown'
        ? withProblemMarkdown(formatPlanMarkdown(plan), state)
        : withProblemText(formatPlanPretty(plan), state);
  await emit(io, text, flags.output);
  return exitFor(state, EXIT.ok);
}
