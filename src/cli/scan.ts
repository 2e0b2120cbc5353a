/** `kordon scan`: manifests in, report out. */
import { promises as fs } from 'node:fs';
import type { Command } from 'commander';
import { scanCluster, scanPaths } from '../scan.js';
import { UnreachableError } from '../sources/cluster/client.js';
import { DEFAULT_MAX_PAGES } from '../sources/cluster/read.js';
import { progressReporter } from './progress.js';
import { withClusterOptions } from './inputs.js';
import type { ExceptionRule } from '../engine/exceptions.js';
import { SEVERITIES, type Severity } from '../engine/types.js';
import type { ScanResult } from '../engine/result.js';
import { reportChunks, REPORT_FORMATS, type ReportFormat } from '../report/index.js';
import { EXIT } from './exit-codes.js';
import { checkOutput, collect, emit, UsageError, useColor, type Io } from './io.js';
import { phaseAsync } from '../util/timings.js';

export interface ScanFlags {
  format: string;
  output?: string;
  failOn?: string;
  exceptions?: string[];
  values?: string[];
  set?: string[];
  maxFileSize?: string;
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
}

export function registerScan(program: Command, io: Io, done: (code: number) => void): void {
  withClusterOptions(program.command('scan'))
    .description('scan manifests (files, directories, -, Helm charts, Kustomize directories) and report findings')
    .argument('[paths...]', 'files or directories to scan; - reads standard input')
    .option('-f, --format <format>', `report format: ${REPORT_FORMATS.join(', ')}`, 'pretty')
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .option('--fail-on <severity>', `exit 1 when a finding is at or above this severity (${SEVERITIES.join(', ')})`)
    .option('--exceptions <file>', 'exceptions file (repeatable)', collect)
    .option('--values <file>', 'Helm values file for charts (repeatable)', collect)
    .option('--set <key=value>', 'Helm --set value for charts (repeatable)', collect)
    .option('--max-file-size <bytes>', 'largest input file read (default 268435456)')
    .option('-n, --namespace <ns>', 'only these namespaces (repeatable; cluster-scoped objects are still read)', collect)
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

/** The security graph is built when asked for, and always for the HTML report (it draws the paths). */
function wantsAttackPaths(flags: ScanFlags, format: ReportFormat): boolean {
  return Boolean(flags.attackPaths) || format === 'html';
}

/** The exit code for a finished scan. */
export function exitCodeFor(result: ScanResult, failOn: Severity | undefined): number {
  if (failOn) {
    const limit = SEVERITIES.indexOf(failOn);
    if (result.findings.some((f) => !f.suppressed && SEVERITIES.indexOf(f.severity) <= limit)) return EXIT.findings;
  }
  return result.summary.problems.errors > 0 ? EXIT.inputErrors : EXIT.ok;
}

async function runScan(paths: string[], flags: ScanFlags, io: Io): Promise<number> {
  const format = parseFormat(flags.format);
  const failOn = parseSeverity(flags.failOn);
  if (paths.length === 0 && !flags.cluster) throw new UsageError('nothing to scan: give files, directories, - (standard input) or --cluster');
  if (paths.length > 0 && flags.cluster) throw new UsageError('give either paths or --cluster, not both');
  await checkOutput(flags.output);
  const exceptions = await loadExceptions(flags.exceptions);
  if (flags.cluster) {
    const conn = clusterConnection(flags);
    const progress = progressReporter(process.stderr, Boolean(flags.quiet));
    let result: ScanResult;
    try {
      result = await scanCluster({ ...conn, exceptions, onProgress: progress, attackPaths: wantsAttackPaths(flags, format) });
    } catch (err) {
      progress.end();
      if (err instanceof UnreachableError) {
        io.stderr(`kordon: ${err.message}\n`);
        return EXIT.unreachable;
      }
      throw err;
    }
    progress.end();
    await emit(io, reportChunks(result, format, { color: useColor(io, flags.color) }), flags.output);
    return exitCodeFor(result, failOn);
  }
  let maxFileSize: number | undefined;
  if (flags.maxFileSize !== undefined) {
    maxFileSize = Number(flags.maxFileSize);
    if (!Number.isInteger(maxFileSize) || maxFileSize <= 0) throw new UsageError('--max-file-size takes a positive number of bytes');
  }
  const result = await scanPaths(paths, {
    exceptions,
    ...(maxFileSize ? { maxFileSize } : {}),
    helm: { values: flags.values ?? [], set: flags.set ?? [] },
    attackPaths: wantsAttackPaths(flags, format),
  });
  await phaseAsync('report', () => emit(io, reportChunks(result, format, { color: useColor(io, flags.color) }), flags.output));
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
