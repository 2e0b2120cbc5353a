/** `kordon pss`: a Pod Security Admission dry run (which pods a namespace's PodSecurity policy would reject). */
import type { Command } from 'commander';
import { readInventory, withClusterOptions, withInputOptions, type SourceFlags } from './inputs.js';
import { NEWEST_PSS_MINOR, parsePssVersion, policyVersionOf } from '../frameworks/pss/version.js';
import { forbiddenDetail } from '../frameworks/pss/evaluate.js';
import { pssDryRun, type PssDryRunReport, type PssPolicyVerdict } from '../frameworks/pss/dry-run.js';
import type { PssLevel } from '../frameworks/pss/types.js';
import { EXIT } from './exit-codes.js';
import { emit, UsageError, type Io } from './io.js';
import { exitFor, inputState, partialLine } from './partial-input.js';

interface PssFlags extends SourceFlags {
  level: string;
  version: string;
  format: string;
  output?: string;
}

export function registerPss(program: Command, io: Io, done: (code: number) => void): void {
  withInputOptions(withClusterOptions(program.command('pss')))
    .description('Pod Security Admission dry run: which pods the PodSecurity admission plugin would reject, per object and per namespace policy')
    .argument('[paths...]', 'files or directories to read; - reads standard input')
    .option('--level <level>', 'Pod Security Standards level: baseline or restricted', 'restricted')
    .option('--version <version>', `policy version: latest (the newest policy kordon tracks, v1.${NEWEST_PSS_MINOR}) or v1.N (newer versions evaluate like latest)`, 'latest')
    .option('-f, --format <format>', 'pretty or json', 'pretty')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .action(async (paths: string[], flags: PssFlags) => {
      done(await runPss(paths, flags, io));
    });
}

async function runPss(paths: string[], flags: PssFlags, io: Io): Promise<number> {
  if (flags.level !== 'baseline' && flags.level !== 'restricted') throw new UsageError(`unknown level "${flags.level}"; use baseline or restricted`);
  const version = parsePssVersion(flags.version);
  if (!version.ok) throw new UsageError(`invalid --version "${flags.version}": ${version.error}`);
  if (flags.format !== 'pretty' && flags.format !== 'json') throw new UsageError(`unknown format "${flags.format}"; use pretty or json`);
  // input problems are part of the report itself, not printed on stderr
  const { inv, coverage } = await readInventory(paths, flags, { ...io, stderr: () => {} });
  const report = pssDryRun(inv, { level: flags.level as PssLevel, version: flags.version });
  // the report lists its problems itself (the input's and the namespaces' labels); said once
  const state = inputState(report.problems, coverage);
  const partial = partialLine(state);
  const text = flags.format === 'json' ? JSON.stringify({ ...report, partial: state.partial, ...(coverage ? { coverage } : {}) }, null, 2) + '\n' : (partial ? `${partial}\n\n` : '') + formatPretty(report);
  await emit(io, text, flags.output);
  return exitFor(state, report.results.some((r) => !r.allowed) ? EXIT.findings : EXIT.ok);
}

/** file:line, or just the source for objects read from a cluster (no position). */
function where(o: { file: string; line: number }): string {
  return o.line > 0 ? `${o.file}:${o.line}` : o.file;
}

function policyLine(name: string, v: PssPolicyVerdict): string {
  const head = `    namespace ${name} ${v.level}:${v.version}: `;
  return head + (v.allowed ? 'allowed' : `would reject: ${forbiddenDetail(v.violations)}`);
}

export function formatPretty(report: PssDryRunReport): string {
  const applied = report.version === report.policyVersion ? '' : ` (${report.policyVersion} policy)`;
  const out: string[] = [`Pod Security admission dry run at ${report.level}:${report.version}${applied}`, ''];
  for (const r of report.results) {
    const o = r.object;
    out.push(`${r.allowed ? 'ALLOWED ' : 'REJECTED'}  ${o.kind} ${o.namespace}/${o.name}  (${where(o)})`);
    for (const v of r.violations) out.push(`    - ${v.check}: ${v.reason}${v.detail ? ` (${v.detail})` : ''}`);
    if (r.namespaceEnforcement) out.push(policyLine('enforce', r.namespaceEnforcement));
    if (r.namespaceAudit) out.push(policyLine('audit', r.namespaceAudit));
    if (r.namespaceWarn) out.push(policyLine('warn', r.namespaceWarn));
  }
  const rejected = report.results.filter((r) => !r.allowed).length;
  out.push('', `${report.results.length} pod-bearing ${report.results.length === 1 ? 'object' : 'objects'}, ${rejected} rejected`);
  if (report.restrictedReadiness) {
    out.push('', `Readiness for enforce=restricted (latest, ${policyVersionOf('latest')} policy):`);
    for (const ns of report.restrictedReadiness) {
      const now = `${ns.currentEnforce.level}:${ns.currentEnforce.version}`;
      if (ns.ready) out.push(`  ${ns.namespace} (enforce ${now}): ready`);
      else {
        out.push(`  ${ns.namespace} (enforce ${now}): ${ns.blocking.length} ${ns.blocking.length === 1 ? 'object' : 'objects'} would break`);
        for (const b of ns.blocking) out.push(`    - ${b.object.kind}/${b.object.name} (${where(b.object)}): ${b.violations.map((v) => v.check).join(', ')}`);
      }
    }
  }
  if (report.problems.length > 0) {
    out.push('', 'Input problems:');
    for (const p of report.problems) out.push(`  ${p.source}${p.line ? `:${p.line}` : ''}: ${p.severity}: ${p.message}`);
  }
  return out.join('\n') + '\n';
}
