/**
 * `kordon vulns [PATHS...] --vulns FILE|DIR... [--runtime FILE|DIR...]`: image vulnerabilities
 * in context (docs/vulns.md). Reads scanners' reports and SBOMs, matches images to the workloads
 * read from PATHS (or --cluster; without either, every image of the reports is listed), and
 * judges each vulnerability in use / not observed / unknown from runtime evidence.
 *
 *   -f pretty|json|openvex|cyclonedx   output (default pretty)
 *   --kev FILE                         CISA's Known Exploited Vulnerabilities catalogue (JSON)
 *   --timestamp T                      the VEX documents' timestamp (default: the newest time in the inputs)
 *   --max N                            vulnerabilities listed per image in the pretty output (default 10)
 *
 * Exit code: 0; 1 with --fail-on SEVERITY when a vulnerability at that stated severity or above
 * is not ruled out; 3 when some input could not be read.
 */
import type { Command } from 'commander';
import { Inventory } from '../inventory/inventory.js';
import type { InputProblem } from '../inventory/types.js';
import { readVulnInputs } from '../sources/vulns/read.js';
import { behaviourOnlyNotes, readRuntimeFiles, type RuntimeFiles } from '../sources/runtime/files.js';
import { analyseVulns, type VulnAnalysis, type VulnEntry } from '../vulns/analyse.js';
import type { VulnInputs } from '../vulns/context.js';
import { toCycloneDxVex, toOpenVex } from '../vulns/vex.js';
import { readKevCatalog } from '../vulns/kev.js';
import { EXIT } from './exit-codes.js';
import { checkOutput, collect, emit, UsageError, type Io } from './io.js';
import { readInventory, withClusterOptions, withInputOptions, type SourceFlags } from './inputs.js';
import { exitFor, inputState, problemJson, withProblemText } from './partial-input.js';

interface VulnsFlags extends SourceFlags {
  vulns?: string[];
  runtime?: string[];
  kev?: string;
  format: string;
  output?: string;
  timestamp?: string;
  max: string;
  failOn?: string;
}

const FORMATS = ['pretty', 'json', 'openvex', 'cyclonedx'] as const;

export function registerVulns(program: Command, io: Io, done: (code: number) => void): void {
  withInputOptions(withClusterOptions(program.command('vulns')))
    .description('image vulnerabilities in context: matched to workloads, in use or not from runtime evidence, VEX out')
    .argument('[paths...]', 'manifests, charts, kustomizations or a snapshot (optional: without them every image of the reports is listed)')
    .option('--vulns <file>', 'vulnerability report or SBOM, or a directory of them (repeatable): Trivy, Trivy k8s, Grype, CycloneDX, Syft, SPDX 2.3 JSON', collect)
    .option('--runtime <file>', 'runtime evidence, or a directory of it (repeatable): Kubescape profiles, Tetragon or Falco JSON events, kordon RuntimeEvidence', collect)
    .option('--kev <file>', "CISA's Known Exploited Vulnerabilities catalogue (JSON) to flag known-exploited CVEs")
    .option('-f, --format <format>', `output: ${FORMATS.join(', ')}`, 'pretty')
    .option('-o, --output <file>', 'write the output to a file')
    .option('--timestamp <time>', 'timestamp of VEX documents (RFC 3339; default: the newest time stated in the inputs)')
    .option('--max <n>', 'vulnerabilities listed per image (pretty)', '10')
    .option('--fail-on <severity>', 'exit 1 when a vulnerability of this stated severity or above is not ruled out (critical, high, medium, low)')
    .action(async (paths: string[], flags: VulnsFlags) => done(await runVulns(paths, flags, io)));
}

/** The `--vulns`, `--runtime` and `--kev` options, for the commands that take them beside their own. */
export function withVulnOptions(cmd: Command): Command {
  return cmd
    .option('--vulns <file>', 'image vulnerability report or SBOM, or a directory of them (repeatable; docs/vulns.md)', collect)
    .option('--runtime <file>', 'runtime evidence for --vulns: Kubescape profiles, Tetragon or Falco events, kordon RuntimeEvidence (repeatable)', collect)
    .option('--kev <file>', "CISA's Known Exploited Vulnerabilities catalogue (JSON), for --vulns");
}

/**
 * The `--runtime` files as vulnerability evidence (src/sources/runtime/files.ts, the reader `plan`
 * shares): files of observed behaviour only (Hubble flows, Inspektor Gadget traces, SPO
 * recordings) are read, not called broken, and noted as giving no evidence unless the command
 * uses them otherwise (`plan`'s least-privilege actions: `behaviourUsed`).
 */
export async function readRuntimeEvidence(paths: readonly string[] | undefined, opts: { read?: RuntimeFiles; behaviourUsed?: boolean } = {}): Promise<{ evidence: RuntimeFiles['evidence']; problems: InputProblem[] }> {
  if (!paths?.length) return { evidence: [], problems: [] };
  const r = opts.read ?? (await readRuntimeFiles(paths));
  return { evidence: r.evidence, problems: [...r.evidenceProblems, ...(opts.behaviourUsed ? [] : behaviourOnlyNotes(r.behaviourOnly))] };
}

/** Reads the files of those options (undefined without --vulns); every problem is kept for the report. */
export async function loadVulnInputs(flags: { vulns?: string[]; runtime?: string[]; kev?: string }, runtime: { read?: RuntimeFiles; behaviourUsed?: boolean } = {}): Promise<VulnInputs | undefined> {
  if (!flags.vulns?.length) {
    if (flags.runtime?.length || flags.kev) throw new UsageError('--runtime and --kev go with --vulns (the reports they qualify)');
    return undefined;
  }
  const vin = await readVulnInputs(flags.vulns);
  const rin = await readRuntimeEvidence(flags.runtime, runtime);
  const problems = [...vin.problems, ...rin.problems];
  let kev;
  if (flags.kev) {
    const k = await readKevCatalog(flags.kev);
    problems.push(...k.problems);
    kev = k.catalog;
  }
  return { reports: vin.reports, evidence: rin.evidence, problems, ...(kev ? { kev } : {}) };
}

const RANK: Record<string, number> = { critical: 4, high: 3, medium: 2, moderate: 2, low: 1 };

async function runVulns(paths: string[], flags: VulnsFlags, io: Io): Promise<number> {
  if (!(FORMATS as readonly string[]).includes(flags.format)) throw new UsageError(`unknown format "${flags.format}"; use ${FORMATS.join(', ')}`);
  if (!flags.vulns?.length) throw new UsageError('give at least one --vulns FILE|DIR (a Trivy, Grype, CycloneDX, Syft or SPDX JSON document)');
  const max = Number(flags.max);
  if (!Number.isInteger(max) || max < 0) throw new UsageError('--max takes a whole number');
  if (flags.timestamp !== undefined && Number.isNaN(Date.parse(flags.timestamp))) throw new UsageError('--timestamp takes an RFC 3339 time such as 2026-01-31T12:00:00Z');
  if (flags.failOn !== undefined && !(flags.failOn in RANK)) throw new UsageError('--fail-on takes critical, high, medium or low');
  await checkOutput(flags.output);
  const problems: InputProblem[] = [];
  let inventory: Inventory | undefined;
  let coverage;
  if (paths.length || flags.cluster) {
    const r = await readInventory(paths, flags, io);
    inventory = r.inv;
    coverage = r.coverage;
    problems.push(...r.problems);
  }
  const vin = await readVulnInputs(flags.vulns);
  problems.push(...vin.problems);
  const rin = await readRuntimeEvidence(flags.runtime);
  problems.push(...rin.problems);
  let kev;
  if (flags.kev) {
    const k = await readKevCatalog(flags.kev);
    problems.push(...k.problems);
    kev = k.catalog;
  }
  const analysis = analyseVulns({ ...(inventory ? { inventory } : {}), reports: vin.reports, evidence: rin.evidence, ...(kev ? { kev } : {}) });
  problems.push(...analysis.problems);
  const state = inputState(problems, coverage);
  const timestamp = flags.timestamp ?? newestTime(vin.reports.map((r) => r.created), rin.evidence.flatMap((e) => [e.window?.from, e.window?.to]));
  let text: string;
  if (flags.format === 'json') text = JSON.stringify({ ...vulnsJson(analysis), ...problemJson(state) }, null, 2) + '\n';
  else if (flags.format === 'openvex') text = JSON.stringify(toOpenVex(analysis, timestamp), null, 2) + '\n';
  else if (flags.format === 'cyclonedx') text = JSON.stringify(toCycloneDxVex(analysis, timestamp), null, 2) + '\n';
  else text = withProblemText(formatVulns(analysis, max), state);
  if ((flags.format === 'openvex' || flags.format === 'cyclonedx') && state.problems.length) for (const p of state.problems) io.stderr(`${p.source}${p.line ? `:${p.line}` : ''}: ${p.severity}: ${p.message}\n`);
  if (flags.format === 'openvex' && analysis.vulnerabilities.length === 0) {
    // OpenVEX requires at least one statement (minItems 1): an empty document would be invalid
    io.stderr('kordon vulns: the reports read state no vulnerability; an OpenVEX document needs at least one statement, so none is written\n');
    return exitFor(state, EXIT.ok);
  }
  await emit(io, text, flags.output);
  const failing = flags.failOn !== undefined && analysis.vulnerabilities.some((v) => v.inUse !== 'no' && (RANK[v.severity.toLowerCase()] ?? 0) >= RANK[flags.failOn!]!);
  return exitFor(state, failing ? EXIT.findings : EXIT.ok);
}

/** The newest valid time among the inputs (normalised to RFC 3339 UTC), or the epoch when none is stated. */
export function newestTime(...lists: Array<Array<string | undefined>>): string {
  let best = -Infinity;
  for (const l of lists) for (const t of l) {
    const n = t ? Date.parse(t) : NaN;
    // years 0000-9999 only: RFC 3339 (and so both VEX schemas' date-time) has four-digit years
    if (!Number.isNaN(n) && n > best && n >= -62167219200000 && n <= 253402300799999) best = n;
  }
  return new Date(Number.isFinite(best) ? best : 0).toISOString().replace(/\.000Z$/, 'Z');
}

export function vulnsJson(a: VulnAnalysis): object {
  return {
    summary: a.summary,
    images: a.images.map((i) => ({
      image: i.image,
      ...(i.reference ? { reference: i.reference } : {}),
      digest: i.digest ?? null,
      digests: i.digests,
      ...(i.configDigest ? { configDigest: i.configDigest } : {}),
      workloads: i.workloads,
      matches: i.matches,
      reports: i.reports,
      vulnerabilities: i.vulnerabilities,
      inUse: i.inUse,
      notObserved: i.notObserved,
      unknown: i.unknown,
      remaining: i.remaining,
    })),
    vulnerabilities: a.vulnerabilities.map(vulnJson),
  };
}

function vulnJson(v: VulnEntry): object {
  return {
    id: v.id,
    ...(v.aliases.length ? { aliases: v.aliases } : {}),
    package: v.package,
    version: v.version,
    ...(v.purl ? { purl: v.purl } : {}),
    fixedVersion: v.fixedVersion ?? null,
    severity: v.severity,
    ...(v.severitySource ? { severitySource: v.severitySource } : {}),
    ...(v.otherSeverities.length ? { otherSeverities: v.otherSeverities } : {}),
    ...(v.ratings.length ? { ratings: v.ratings } : {}),
    ...(v.epss !== undefined ? { epss: v.epss } : {}),
    ...(v.kev ? { knownExploited: true } : {}),
    ...(v.title ? { title: v.title } : {}),
    image: v.image,
    workloads: v.workloads,
    inUse: v.inUse,
    evidence: v.evidence,
    sources: v.sources,
  };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function reductionLine(s: { vulnerabilities: number; inUse: number; notObserved: number; unknown: number; remaining: number }): string {
  return `${s.vulnerabilities} → ${s.remaining} remaining (${s.inUse} in use, ${s.unknown} without deciding evidence; ${s.notObserved} not observed)`;
}

export function formatVulns(a: VulnAnalysis, max: number): string {
  const s = a.summary;
  const lines = [`${plural(s.images, 'image')}, ${plural(s.vulnerabilities, 'vulnerability', 'vulnerabilities')}; ${s.evidenceRecords ? `with runtime evidence: ${reductionLine(s)}` : 'no runtime evidence given (--runtime): every vulnerability stays'}`, ''];
  for (const img of a.images) {
    lines.push(`${img.image}${img.digest ? `  ${img.digest.slice(0, 19)}…` : ''}  (${img.reports.map((r) => `${r.format}: ${r.source}`).join('; ')})`);
    if (img.matches.length === 0) lines.push('  runs in: no workload read');
    else {
      const shown = img.matches.slice(0, 8).map((m) => `${m.workload}${m.container ? ` [${m.container}]` : ''} by ${m.method}`);
      lines.push(`  runs in: ${shown.join(', ')}${img.matches.length > 8 ? `, and ${img.matches.length - 8} more` : ''}`);
    }
    lines.push(`  vulnerabilities: ${s.evidenceRecords ? reductionLine(img) : img.vulnerabilities}`);
    const list = a.vulnerabilities.filter((v) => v.imageKey === img.key);
    const ordered = [...list.filter((v) => v.inUse === 'yes'), ...list.filter((v) => v.inUse === 'unknown'), ...list.filter((v) => v.inUse === 'no')];
    for (const v of ordered.slice(0, max)) {
      const tag = v.inUse === 'yes' ? 'in use' : v.inUse === 'no' ? 'not observed' : 'unknown';
      lines.push(`  ${v.severity.padEnd(9)} ${v.id.padEnd(18)} ${v.package} ${v.version}${v.fixedVersion ? ` → ${v.fixedVersion}` : ' (no fix)'}${v.kev ? '  KNOWN EXPLOITED' : ''}  [${tag}]`);
      if (v.inUse !== 'unknown' || s.evidenceRecords) lines.push(`      ${v.evidence.reason}`);
    }
    if (ordered.length > max) lines.push(`  … and ${ordered.length - max} more (--max, or --format json)`);
    lines.push('');
  }
  return lines.join('\n');
}
