/** `kordon vap`: a ValidatingAdmissionPolicy dry run (which objects the input's own policies would deny on create). */
import type { Command } from 'commander';
import { readInventory, withClusterOptions, withInputOptions, type SourceFlags } from './inputs.js';
import { EXIT } from './exit-codes.js';
import { collect, emit, UsageError, type Io } from './io.js';
import { exitFor, inputState, partialLine, problemLines } from './partial-input.js';
import { vapDryRun, type VapReport } from '../vap/dry-run.js';
import { rbacAuthorizer } from '../vap/authorizer.js';

interface VapFlags extends SourceFlags {
  format: string;
  output?: string;
  as?: string;
  asGroup?: string[];
  requestDryRun?: boolean;
}

export function registerVap(program: Command, io: Io, done: (code: number) => void): void {
  withInputOptions(withClusterOptions(program.command('vap')))
    .description('ValidatingAdmissionPolicy dry run: every object of the input as a CREATE request through the input\'s own policies and bindings')
    .argument('[paths...]', 'files or directories to read; - reads standard input')
    .option('-f, --format <format>', 'pretty or json', 'pretty')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .option('--as <user>', 'the requesting user (request.userInfo.username; authorizer checks are answered for this user from the input\'s RBAC)', 'kordon')
    .option('--as-group <group>', 'a group of the requesting user (repeatable; system:authenticated is always added)', collect)
    .option('--request-dry-run', 'evaluate with request.dryRun true (as a server-side dry-run create)')
    .action(async (paths: string[], flags: VapFlags) => {
      done(await runVap(paths, flags, io));
    });
}

async function runVap(paths: string[], flags: VapFlags, io: Io): Promise<number> {
  if (flags.format !== 'pretty' && flags.format !== 'json') throw new UsageError(`unknown format "${flags.format}"; use pretty or json`);
  const { inv, coverage } = await readInventory(paths, flags, { ...io, stderr: () => {} });
  const groups = [...new Set([...(flags.asGroup ?? []), 'system:authenticated'])];
  const user = { username: flags.as ?? 'kordon', groups };
  const report = vapDryRun(inv, { user, dryRun: flags.requestDryRun === true, authorize: rbacAuthorizer(inv, user) });
  const state = inputState(report.problems, coverage);
  const text =
    flags.format === 'json'
      ? JSON.stringify({ policies: report.policies, bindings: report.bindings, objects: report.objects, results: report.results, partial: state.partial, problems: state.problems, ...(coverage ? { coverage } : {}) }, null, 2) + '\n'
      : formatPretty(report, state);
  await emit(io, text, flags.output);
  return exitFor(state, report.results.some((r) => !r.allowed) ? EXIT.findings : EXIT.ok);
}

function where(o: { file: string; line: number }): string {
  return o.line > 0 ? `${o.file}:${o.line}` : o.file;
}

export function formatPretty(report: VapReport, state: ReturnType<typeof inputState>): string {
  const out: string[] = [];
  const partial = partialLine(state);
  if (partial) out.push(partial, '');
  out.push(`ValidatingAdmissionPolicy dry run: ${report.policies} ${report.policies === 1 ? 'policy' : 'policies'}, ${report.bindings} ${report.bindings === 1 ? 'binding' : 'bindings'}, ${report.objects} ${report.objects === 1 ? 'object' : 'objects'} as CREATE requests`, '');
  for (const r of report.results) {
    const o = r.object;
    const head = r.allowed ? (r.violations.some((v) => !v.ignored) ? 'WARNED  ' : 'ALLOWED ') : 'DENIED  ';
    out.push(`${head}${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}  (${where(o)})  policy ${r.policy}, binding ${r.binding} [${r.validationActions.join(', ')}]`);
    for (const v of r.violations) out.push(`    - ${v.message}${v.ignored ? ' (error, ignored: failurePolicy Ignore)' : v.error ? ' (error)' : ''}  [${v.reason}]${v.validation && !v.message.includes(v.validation.trim()) ? `\n      expression: ${v.validation}` : ''}`);
    for (const [k, vals] of Object.entries(r.auditAnnotations ?? {})) out.push(`    audit annotation ${k}: ${vals.join(', ')}`);
  }
  const denied = report.results.filter((r) => !r.allowed).length;
  const warned = report.results.filter((r) => r.allowed && r.violations.some((v) => !v.ignored)).length;
  if (report.results.length) out.push('');
  out.push(`${report.results.length} policy ${report.results.length === 1 ? 'decision' : 'decisions'}: ${denied} denied, ${warned} allowed with violations (Warn/Audit)`);
  const lines = problemLines(state).slice(partial ? 1 : 0);
  if (lines.length) out.push('', 'Input problems:', ...lines.filter((l) => l.startsWith('  ')));
  return out.join('\n') + '\n';
}
