/** `kordon scan`: manifests in, report out. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { scanCluster, scanPaths } from '../scan.js';
import { UnreachableError } from '../sources/cluster/client.js';
import { DEFAULT_MAX_PAGES } from '../sources/cluster/read.js';
import { fileProgressReporter, progressReporter } from './progress.js';
import { inputConfig, mergedLoadOptions, noteKubeVersion, withClusterOptions, withInputOptions, type InputFlags } from './inputs.js';
import type { ExceptionRule } from '../engine/exceptions.js';
import { SEVERITIES, type Control, type Severity } from '../engine/types.js';
import type { ScanResult } from '../engine/result.js';
import { reportChunks, REPORT_FORMATS, type ReportFormat } from '../report/index.js';
import { EXIT } from './exit-codes.js';
import { checkOutput, collect, emit, stderrSink, UsageError, useColor, type Io } from './io.js';
import { phaseAsync } from '../util/timings.js';
import { selectControls, splitList } from '../engine/select.js';
import { allControls, catalogWith } from '../controls/index.js';
import { findConfigFile } from '../config/find.js';
import type { ResolvedConfig } from '../config/load.js';
import type { GroupBy } from '../report/pretty.js';
import { loadVulnInputs, withVulnOptions } from './vulns.js';

const GROUP_BY: readonly GroupBy[] = ['severity', 'layer', 'control', 'object'];

export interface ScanFlags extends InputFlags {
  format?: string;
  output?: string;
  failOn?: string;
  exceptions?: string[];
  color?: boolean;
  cluster?: boolean;
  kubeconfig?: string;
  context?: string;
  namespace?: string[];
  quiet?: boolean;
  concurrency?: string;
  timeout?: string;
  maxPages?: string;
  attackPaths?: boolean;
  severity?: string;
  controls?: string[];
  skipControls?: string[];
  controlsDir?: string[];
  groupBy?: string;
  fullReport?: string;
  vulns?: string[];
  runtime?: string[];
  kev?: string;
}

export function registerScan(program: Command, io: Io, done: (code: number) => void): void {
  withVulnOptions(withInputOptions(withClusterOptions(program.command('scan'))))
    .description('scan manifests (files, directories, -, Helm charts, Kustomize directories) and report findings')
    .argument('[paths...]', 'files or directories to scan; - reads standard input')
    .option('-f, --format <format>', `report format: ${REPORT_FORMATS.join(', ')} (default: pretty)`)
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .option('--fail-on <severity>', `exit 1 when a finding is at or above this severity (${SEVERITIES.join(', ')})`)
    .option('--exceptions <file>', 'exceptions file (repeatable)', collect)
    .option('-n, --namespace <ns>', 'judge and report only objects in these namespaces and the cluster-scoped objects that concern them (repeatable; on files every object is still read as context)', collect)
    .option('--severity <severity>', `report only findings at or above this severity (${SEVERITIES.join(', ')})`)
    .option('--controls <ids>', 'run only these controls: ids, names or globs, comma-separated (repeatable)', collect)
    .option('--skip-controls <ids>', 'do not run these controls: ids, names or globs, comma-separated (repeatable)', collect)
    .option('--controls-dir <dir>', 'also run the custom controls in this directory: YAML with CEL, or JavaScript plugin modules (repeatable; docs/custom-controls.md)', collect)
    .option('--group-by <how>', `how the pretty report groups findings: ${GROUP_BY.join(', ')} (default: severity)`)
    .option('--full-report <link>', 'markdown: where the full report is (a CI artifact URL or a file), named when the comment is cut to fit')
    .option('--attack-paths', 'rank every finding by the attack paths it lies on (builds the security graph; on by default for --format html)')
    .option('--color', 'force colour in the pretty report')
    .option('--no-color', 'no colour in the pretty report')
    .action(async (paths: string[], flags: ScanFlags) => {
      done(await runScan(paths, flags, io));
    });
}

export function parseFormat(format: string): ReportFormat {
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown format "${format}"; use one of ${REPORT_FORMATS.join(', ')}`);
  return format as ReportFormat;
}

export function parseSeverity(s: string | undefined): Severity | undefined {
  if (s === undefined) return undefined;
  if (!(SEVERITIES as readonly string[]).includes(s)) throw new UsageError(`unknown severity "${s}"; use one of ${SEVERITIES.join(', ')}`);
  return s as Severity;
}

export async function loadExceptions(files: string[] | undefined): Promise<Array<{ rule: ExceptionRule; source: string }>> {
  const out: Array<{ rule: ExceptionRule; source: string }> = [];
  const errors: string[] = [];
  if (!files || files.length === 0) return out;
  const { parseExceptionsFile } = await import('../engine/exceptions-file.js');
  for (const f of files) {
    let text: string;
    try {
      text = await fs.readFile(f, 'utf8');
    } catch (err) {
      errors.push(`${f}: cannot read exceptions file (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      continue;
    }
    const parsed = parseExceptionsFile(f, text);
    errors.push(...parsed.errors);
    for (const rule of parsed.rules) out.push({ rule, source: f });
  }
  if (errors.length) throw new UsageError(errors.join('\n'));
  return out;
}

/** The exit code for a finished scan. */
export function exitCodeFor(result: ScanResult, failOn: Severity | undefined): number {
  if (failOn) {
    const limit = SEVERITIES.indexOf(failOn);
    if (result.findings.some((f) => !f.suppressed && SEVERITIES.indexOf(f.severity) <= limit)) return EXIT.findings;
  }
  return result.summary.problems.errors > 0 ? EXIT.inputErrors : EXIT.ok;
}

/**
 * The config file for a scan: `--config FILE`, none with `--no-config`, else the one found
 * upward from the working directory. Every problem in it is a usage error (exit 2), all at once.
 */
export async function resolveConfig(flag: string | false | undefined, cwd: string = process.cwd()): Promise<ResolvedConfig | undefined> {
  if (flag === false) return undefined;
  let file: string;
  if (typeof flag === 'string') file = flag;
  else {
    const found = findConfigFile(cwd);
    if (!found) return undefined;
    if ('ambiguous' in found) throw new UsageError(`two config files: ${found.ambiguous.join(' and ')}; keep one (or name it with --config)`);
    file = path.relative(cwd, found.file) || found.file;
  }
  const { loadConfigFile } = await import('../config/load.js');
  const r = await loadConfigFile(file, cwd);
  if (r.errors.length > 0 || !r.config) throw new UsageError(`invalid config file ${file}:\n  ${r.errors.join('\n  ')}`);
  return r.config;
}

/**
 * The catalogue with the custom controls of `--controls-dir` and the config file (its
 * `customControls`, `controlsDirs` and `plugins`); every problem in them is a usage error, all at once.
 */
export async function customCatalog(dirs: string[] | undefined, cfg: ResolvedConfig | undefined): Promise<readonly Control[]> {
  const sources = { dirs: [...(cfg?.controlsDirs ?? []), ...(dirs ?? [])], specs: cfg?.customControls ?? [], plugins: cfg?.plugins ?? [] };
  if (sources.dirs.length === 0 && sources.specs.length === 0 && sources.plugins.length === 0) return allControls;
  // loaded only when asked: the loader brings zod, the second YAML library and the CEL engine
  const { formatLoadProblem, loadCustomControls } = await import('../controls/custom/index.js');
  const loaded = await loadCustomControls(sources, allControls);
  if (loaded.problems.length) throw new UsageError(`invalid custom controls:\n  ${loaded.problems.map(formatLoadProblem).join('\n  ')}`);
  return catalogWith(loaded.controls);
}

/** Flags over the config file over the defaults (docs/config.md, "Precedence"); what to read with is mergedLoadOptions (inputs.ts). */
export async function scanSettings(flags: ScanFlags, cfg: ResolvedConfig | undefined): Promise<{
  format: ReportFormat;
  failOn: Severity | undefined;
  minSeverity: Severity | undefined;
  groupBy: GroupBy;
  controls: Control[];
  exceptions: Array<{ rule: ExceptionRule; source: string }>;
  attackPaths: boolean;
}> {
  const c = cfg?.settings;
  const format = parseFormat(flags.format ?? c?.format ?? 'pretty');
  const failOn = parseSeverity(flags.failOn ?? c?.failOn);
  const minSeverity = parseSeverity(flags.severity ?? c?.severity);
  const groupBy = flags.groupBy ?? c?.groupBy ?? 'severity';
  if (!(GROUP_BY as readonly string[]).includes(groupBy)) throw new UsageError(`unknown --group-by "${groupBy}"; use one of ${GROUP_BY.join(', ')}`);
  const enable = flags.controls !== undefined ? splitList(flags.controls) : (c?.controls?.enable ?? []);
  if (flags.controls !== undefined && enable.length === 0) throw new UsageError('--controls needs at least one control id, name or glob');
  const skip = [...(c?.controls?.skip ?? []), ...splitList(flags.skipControls)];
  const catalog = await customCatalog(flags.controlsDir, cfg);
  const selected = selectControls(catalog, { enable, skip });
  if (selected.errors.length) throw new UsageError(selected.errors.join('\n'));
  if (selected.controls.length === 0) throw new UsageError('the control selection leaves no control to run');
  const exceptionFiles = [...(flags.exceptions ?? []), ...(cfg?.exceptionFiles ?? [])];
  const exceptions = [...(await loadExceptions(exceptionFiles)), ...(cfg?.ignores ?? [])];
  return {
    format,
    failOn,
    minSeverity,
    groupBy: groupBy as GroupBy,
    controls: selected.controls,
    exceptions,
    attackPaths: Boolean(flags.attackPaths ?? c?.attackPaths) || format === 'html',
  };
}

async function runScan(paths: string[], flags: ScanFlags, io: Io): Promise<number> {
  if (paths.length === 0 && !flags.cluster) throw new UsageError('nothing to scan: give files, directories, - (standard input) or --cluster');
  if (paths.length > 0 && flags.cluster) throw new UsageError('give either paths or --cluster, not both');
  // a config file found on its own is named, so that nobody wonders where a setting came from
  const cfg = await inputConfig(flags, io);
  const settings = await scanSettings(flags, cfg);
  noteKubeVersion(io, flags.kubeVersion ?? cfg?.settings.helm?.kubeVersion);
  const { format, failOn } = settings;
  await checkOutput(flags.output);
  const vulns = await loadVulnInputs(flags);
  const common = {
    ...(vulns ? { vulns } : {}),
    controls: settings.controls,
    exceptions: settings.exceptions,
    attackPaths: settings.attackPaths,
    ...(settings.minSeverity ? { minSeverity: settings.minSeverity } : {}),
    ...(flags.namespace?.length ? { namespaceScope: flags.namespace } : {}),
  };
  const reportOpts = { color: useColor(io, flags.color), groupBy: settings.groupBy, ...(flags.fullReport ? { fullReport: flags.fullReport } : {}) };
  if (flags.cluster) {
    const conn = clusterConnection(flags);
    const progress = progressReporter(stderrSink, Boolean(flags.quiet));
    let result: ScanResult;
    try {
      result = await scanCluster({ ...conn, ...common, ...(flags.kubeVersion ? { kubeVersion: flags.kubeVersion } : {}), onProgress: progress });
    } catch (err) {
      progress.end();
      if (err instanceof UnreachableError) {
        io.stderr(`kordon: ${err.message}\n`);
        return EXIT.unreachable;
      }
      throw err;
    }
    progress.end();
    await emit(io, reportChunks(result, format, reportOpts), flags.output);
    return exitCodeFor(result, failOn);
  }
  // input flags (src/cli/inputs.ts) over the config file
  const progress = fileProgressReporter(stderrSink, Boolean(flags.quiet));
  let result: ScanResult;
  try {
    result = await scanPaths(paths, { ...common, ...mergedLoadOptions(flags, cfg), onProgress: progress });
  } finally {
    progress.end();
  }
  await phaseAsync('report', () => emit(io, reportChunks(result, format, reportOpts), flags.output));
  return exitCodeFor(result, failOn);
}

/** Connection flags shared by the commands that read a cluster. */
export function clusterConnection(flags: { kubeconfig?: string; context?: string; namespace?: string[]; concurrency?: string; timeout?: string; maxPages?: string }): {
  kubeconfig?: string;
  context?: string;
  namespaces?: string[];
  concurrency: number;
  timeoutMs: number;
  maxPages: number;
} {
  const concurrency = Number(flags.concurrency ?? 4);
  const timeout = Number(flags.timeout ?? 30);
  const maxPages = Number(flags.maxPages ?? DEFAULT_MAX_PAGES);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError('--concurrency takes a positive whole number');
  // (setTimeout holds at most 2^31-1 ms)
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout * 1000 > 2_147_483_647) throw new UsageError('--timeout takes a positive number of seconds (at most 2147483)');
  if (!Number.isInteger(maxPages) || maxPages < 1) throw new UsageError('--max-pages takes a positive whole number');
  return {
    ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
    ...(flags.context ? { context: flags.context } : {}),
    ...(flags.namespace?.length ? { namespaces: flags.namespace } : {}),
    concurrency,
    timeoutMs: timeout * 1000,
    maxPages,
  };
}
