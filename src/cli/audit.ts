/**
 * `kordon audit`: detections in Kubernetes audit logs (src/audit/, docs/audit.md).
 *
 *   audit FILE|DIR|- ...        detections (every format, and jsonl)
 *     --inventory PATH          manifests, charts, a snapshot: severity from what the actor reaches (repeatable)
 *     --cluster                 the same from the live cluster
 *   audit usage FILE|DIR|- ...  per identity, the requests made; with --inventory, unused grants
 *   audit serve                 the audit webhook backend (src/audit/serve.ts)
 *
 * Exit codes: 0; 1 with a detection at or above --fail-on; 2 usage; 3 input not fully read;
 * 4 cluster unreachable.
 */
import type { Command } from 'commander';
import type { Inventory } from '../inventory/inventory.js';
import { ALL_DETECTIONS } from '../audit/catalog.js';
import { auditPaths } from '../audit/run.js';
import { AUDIT_FORMATS, detectionLine, formatAudit, type AuditFormat } from '../audit/report.js';
import { rankOf } from '../audit/analyze.js';
import { defaultDetectionConfig, type DetectionConfig } from '../audit/detections.js';
import { UsageCollector, unusedGrants, type UsageReport } from '../audit/usage.js';
import { formatUsage, USAGE_FORMATS, type UsageFormat } from '../audit/usage-report.js';
import { registerAuditServe } from './audit-serve.js';
import { EXIT } from './exit-codes.js';
import { checkOutput, collect, emit, UsageError, useColor, type Io } from './io.js';
import { parseSeverity } from './scan.js';
import { readInventory, withClusterOptions, withInputOptions, type SourceFlags } from './inputs.js';

export interface AuditFlags extends SourceFlags {
  format: string;
  output?: string;
  failOn?: string;
  severity?: string;
  inventory?: string[];
  detections?: string[];
  skipDetections?: string[];
  allowedUser?: string[];
  allowedNamespace?: string[];
  allowedNode?: string[];
  allowedImage?: string[];
  color?: boolean;
  stream?: boolean;
}

function globRe(pattern: string): RegExp {
  return new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i');
}

/** A selector over detection ids and names (globs allowed); unknown selectors are usage errors. */
export function detectionFilter(enable: string[] | undefined, skip: string[] | undefined): (id: string, name: string) => boolean {
  const split = (v: string[] | undefined): string[] => (v ?? []).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
  const on = split(enable);
  const off = split(skip);
  const matches = (s: string, id: string, name: string): boolean => (/[*?]/.test(s) ? globRe(s).test(id) || globRe(s).test(name) : s.toLowerCase() === id.toLowerCase() || s.toLowerCase() === name.toLowerCase());
  for (const s of [...on, ...off]) if (!ALL_DETECTIONS.some((d) => matches(s, d.id, d.name))) throw new UsageError(`"${s}" matches no audit detection (see docs/audit.md)`);
  // returns true when the detection is skipped
  return (id, name) => (on.length > 0 && !on.some((s) => matches(s, id, name))) || off.some((s) => matches(s, id, name));
}

export function detectionConfigOf(flags: Pick<AuditFlags, 'allowedUser' | 'allowedNamespace' | 'allowedNode' | 'allowedImage'>): DetectionConfig {
  const cfg = defaultDetectionConfig();
  const split = (v: string[] | undefined): string[] => (v ?? []).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
  if (flags.allowedUser?.length) cfg.allowedUsers = new Set([...cfg.allowedUsers, ...split(flags.allowedUser)]);
  if (flags.allowedNamespace?.length) cfg.allowedNamespaces = new Set([...cfg.allowedNamespaces, ...split(flags.allowedNamespace)]);
  if (flags.allowedNode?.length) cfg.allowedNodes = new Set(split(flags.allowedNode));
  if (flags.allowedImage?.length) cfg.allowedImages = new Set(split(flags.allowedImage));
  return cfg;
}

function withDetectionOptions(cmd: Command): Command {
  return cmd
    .option('--detections <ids>', 'only these detections (ids, names, globs; repeatable)', collect)
    .option('--skip-detections <ids>', 'not these detections (repeatable)', collect)
    .option('--allowed-user <name>', 'users KOR-0921 does not report, besides Falco\'s defaults (repeatable)', collect)
    .option('--allowed-namespace <ns>', 'namespaces KOR-0910 does not report, besides kube-system, kube-public, default (repeatable)', collect)
    .option('--allowed-node <name>', 'turns on KOR-0925: nodes outside these are reported (repeatable)', collect)
    .option('--allowed-image <repo>', 'turns on KOR-0926: images outside these repositories are reported (repeatable)', collect);
}

/** The inventory of `--inventory PATHS` or `--cluster`, if any. */
export async function contextInventory(flags: AuditFlags, io: Io): Promise<{ inv?: Inventory; partial: boolean }> {
  if (!flags.inventory?.length && !flags.cluster) return { partial: false };
  const { inv, state } = await readInventory(flags.inventory ?? [], flags, io);
  for (const p of state.problems.slice(0, 20)) io.stderr(`kordon: inventory: ${p.severity} ${p.source}${p.line ? `:${p.line}` : ''}: ${p.message}\n`);
  return { inv, partial: state.partial };
}

export function registerAudit(program: Command, io: Io, done: (code: number) => void): void {
  const audit = withDetectionOptions(withInputOptions(withClusterOptions(program.command('audit'))))
    .description('detections in Kubernetes audit logs, with context from an inventory (docs/audit.md)')
    .argument('[logs...]', 'audit log files or directories (JSON lines, EventList, gzip, managed exports); - reads standard input')
    .option('-f, --format <format>', `output format: ${AUDIT_FORMATS.join(', ')}`, 'pretty')
    .option('-o, --output <file>', 'write the report to a file')
    .option('--inventory <path>', 'manifests, charts or a snapshot the log\'s cluster runs (repeatable): severity from what each actor reaches', collect)
    .option('--severity <level>', 'report only detections at or above this severity')
    .option('--fail-on <level>', 'exit 1 when a detection is at or above this severity')
    .option('--stream', 'print each detection as a JSON line as soon as it is found (then the summary)')
    .option('--color', 'colour the pretty report')
    .option('--no-color', 'no colour')
    .action(async (logs: string[], flags: AuditFlags) => done(await runAudit(logs, flags, io)));

  withDetectionOptions(withInputOptions(withClusterOptions(audit.command('usage'))))
    .description('per identity, the requests made over the log\'s window; with --inventory, permissions granted but never used (KOR-0980)')
    .argument('[logs...]', 'audit log files or directories; - reads standard input')
    .option('-f, --format <format>', `output format: ${USAGE_FORMATS.join(', ')}`, 'pretty')
    .option('-o, --output <file>', 'write the report to a file')
    .option('--inventory <path>', 'manifests, charts or a snapshot (repeatable): report unused grants', collect)
    .option('--user <name>', 'only these identities (user names, system:serviceaccount:NS:NAME; repeatable)', collect)
    .action(async (logs: string[], flags: AuditFlags & { user?: string[] }) => done(await runUsage(logs, flags, io)));

  registerAuditServe(audit, io, done);
}

async function runAudit(logs: string[], flags: AuditFlags, io: Io): Promise<number> {
  const format = flags.format as AuditFormat;
  if (!(AUDIT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown format "${flags.format}"; use one of ${AUDIT_FORMATS.join(', ')}`);
  if (!logs.length) throw new UsageError('nothing to read: give audit log files or directories, or - (standard input)');
  const failOn = parseSeverity(flags.failOn);
  const minSev = parseSeverity(flags.severity);
  const skip = detectionFilter(flags.detections, flags.skipDetections);
  const config = detectionConfigOf(flags);
  await checkOutput(flags.output);
  const { inv, partial: invPartial } = await contextInventory(flags, io);
  const result = await auditPaths(logs, {
    config,
    skip,
    ...(inv ? { inventory: inv } : {}),
    ...(flags.stream ? { onDetection: (d) => io.stdout(detectionLine(d)) } : {}),
  });
  if (minSev) result.detections = result.detections.filter((d) => rankOf(d.severity) <= rankOf(minSev));
  if (invPartial) result.partial = true;
  if (inv) result.inventory = { objects: inv.objects.length, sources: flags.cluster ? ['cluster'] : [...(flags.inventory ?? [])] };
  const text = flags.stream && !flags.output ? formatAudit({ ...result, detections: [] }, 'jsonl', false) : formatAudit(result, format, useColor(io, flags.color));
  await emit(io, text, flags.output);
  if (failOn && result.detections.some((d) => rankOf(d.severity) <= rankOf(failOn))) return EXIT.findings;
  return result.partial ? EXIT.inputErrors : EXIT.ok;
}

async function runUsage(logs: string[], flags: AuditFlags & { user?: string[] }, io: Io): Promise<number> {
  const format = flags.format as UsageFormat;
  if (!(USAGE_FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown format "${flags.format}"; use one of ${USAGE_FORMATS.join(', ')}`);
  if (!logs.length) throw new UsageError('nothing to read: give audit log files or directories, or - (standard input)');
  await checkOutput(flags.output);
  const { inv, partial: invPartial } = await contextInventory(flags, io);
  const usage = new UsageCollector();
  const result = await auditPaths(logs, { usage, skip: () => true });
  let report: UsageReport = usage.report();
  if (flags.user?.length) {
    const keep = new Set(flags.user);
    report = { ...report, identities: report.identities.filter((i) => keep.has(i.username)) };
  }
  if (inv) report.unusedGrants = unusedGrants(report, inv);
  const partial = result.partial || invPartial;
  await emit(io, formatUsage(report, format, { problems: result.problems, partial, stats: result.stats }), flags.output);
  return partial ? EXIT.inputErrors : EXIT.ok;
}
