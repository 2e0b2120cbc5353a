/**
 * `kordon paths [PATHS...]`: attack paths from entry points to crown jewels (src/graph/).
 *
 *   --from SPEC        start here instead of the internet: `ns/name` (a workload), `sa:ns/name`,
 *                      `user:name`, `group:name` (repeatable)
 *   --max N            paths shown (default 20); the total is always reported
 *   --what-if FILE     apply proposed changes (replace / add / `kordon.dev/what-if: delete`)
 *                      and report the paths removed and added
 *   --graph-json FILE  write the whole graph (vertices, edges, evidence) as JSON
 *   --crown-jewel ID   mark an object (`Kind/namespace/name`) as a crown jewel (repeatable)
 *   --cloud C          aws, gcp, azure, none or auto (default: auto)
 *   --cluster          read the live cluster instead of files
 *
 * Exit code: 0; 1 with --fail when a path is found (or, with --what-if, added).
 */
import type { Command } from 'commander';
import { promises as fs } from 'node:fs';
import { Inventory } from '../inventory/inventory.js';
import type { K8sObject, Origin } from '../inventory/types.js';
import { loadManifests } from '../sources/manifests/load.js';
import { loadInventory as loadPathsInventory } from '../scan.js';
import { compareObjects, readCluster } from '../sources/cluster/read.js';
import { buildSecurityGraph, type CloudProvider, type GraphOptions } from '../graph/build.js';
import { findAttackPaths, resolveStart, type AttackPath, type PathsResult } from '../graph/paths.js';
import { whatIf, type WhatIfResult } from '../graph/what-if.js';
import { graphToJson } from '../graph/export.js';
import { parseSubject } from '../rbac/model.js';
import type { Subject } from '../rbac/types.js';
import { renderHtmlReport } from '../report/html.js';
import { EXIT } from './exit-codes.js';
import { checkOutput, collect, emit, UsageError, type Io } from './io.js';
import { clusterConnection } from './scan.js';
import { withClusterOptions, withInputOptions } from './inputs.js';
import { readInventory, type SourceFlags } from './inputs.js';
import { exitFor, inputState, problemJson, withProblemText } from './partial-input.js';

interface PathsFlags {
  from?: string[];
  max: string;
  format: string;
  output?: string;
  whatIf?: string;
  graphJson?: string;
  crownJewel?: string[];
  cloud: string;
  fail?: boolean;
  cluster?: boolean;
  kubeconfig?: string;
  context?: string;
  namespace?: string[];
}

export function registerPaths(program: Command, io: Io, done: (code: number) => void): void {
  withInputOptions(withClusterOptions(program.command('paths')))
    .description('attack paths from exposed entry points (or --from) to crown jewels')
    .argument('[paths...]', 'files or directories (- reads standard input)')
    .option('--from <spec>', 'start: ns/name, sa:ns/name, user:name or group:name (repeatable)', collect)
    .option('--max <n>', 'paths shown', '20')
    .option('-f, --format <format>', 'pretty, json or html', 'pretty')
    .option('-o, --output <file>', 'write the report to a file')
    .option('--what-if <file>', 'proposed changes: report the paths they remove and add')
    .option('--graph-json <file>', 'write the whole graph (vertices, edges, evidence) as JSON')
    .option('--crown-jewel <id>', 'mark Kind/namespace/name as a crown jewel (repeatable)', collect)
    .option('--cloud <cloud>', 'aws, gcp, azure, none or auto', 'auto')
    .option('--fail', 'exit 1 when a path is found (with --what-if: when one is added)')
    .option('-n, --namespace <ns>', 'only these namespaces (repeatable)', collect)
    .action(async (paths: string[], flags: PathsFlags) => done(await runPaths(paths, flags, io)));
}


async function runPaths(paths: string[], flags: PathsFlags, io: Io): Promise<number> {
  const format = flags.format;
  if (format !== 'pretty' && format !== 'json' && format !== 'html') throw new UsageError(`unknown format "${format}"; use pretty, json or html`);
  const max = Number(flags.max);
  if (!Number.isInteger(max) || max < 0) throw new UsageError('--max takes a whole number');
  if (!['aws', 'gcp', 'azure', 'none', 'auto'].includes(flags.cloud)) throw new UsageError(`unknown cloud "${flags.cloud}"; use aws, gcp, azure, none or auto`);
  const extraSubjects: Subject[] = [];
  for (const f of flags.from ?? []) {
    if (f.startsWith('user:') || f.startsWith('group:')) {
      const s = parseSubject(f);
      if (!s) throw new UsageError(`cannot read --from "${f}"`);
      extraSubjects.push(s);
    }
  }
  const opts: GraphOptions = { cloud: flags.cloud as CloudProvider | 'none' | 'auto', crownJewels: flags.crownJewel ?? [], extraSubjects };
  await checkOutput(flags.output);
  await checkOutput(flags.graphJson);
  if (!flags.cluster && paths.length === 0) throw new UsageError('give the files or directories to analyse (- reads standard input), or --cluster');
  // a missing file or a refused resource kind is not "no attack path": said in every format, exit 3
  const { inv, coverage } = await readInventory(paths, flags as SourceFlags, io, flags.namespace?.length ? { namespaces: flags.namespace } : {});

  if (flags.whatIf) {
    const changes = await loadManifests([flags.whatIf]);
    const errors = changes.problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) throw new UsageError(`--what-if ${flags.whatIf}: ${errors.map((p) => `${p.line ? `line ${p.line}: ` : ''}${p.message}`).join('; ')}`);
    const r = whatIf(inv, changes.objects, opts);
    const state = inputState(inv.problems, coverage);
    const card: Record<string, number> = state.partial ? { 'computed from partial input: problems': state.errors + state.gaps } : {};
    const text =
      format === 'json'
        ? JSON.stringify({ ...whatIfJson(r), ...problemJson(state) }, null, 2) + '\n'
        : format === 'html'
          ? renderHtmlReport({ title: 'kordon what-if: attack paths added', paths: { paths: r.added, total: r.added.length, shown: r.added.length }, summary: { before: r.before, after: r.after, removed: r.removed.length, added: r.added.length, ...card }, problems: state.problems })
          : withProblemText(formatWhatIf(r), state);
    await emit(io, text, flags.output);
    return exitFor(state, flags.fail && r.added.length > 0 ? EXIT.findings : EXIT.ok);
  }

  const bg = buildSecurityGraph(inv, opts);
  // taken after the graph build (it adds the objects it left out)
  const state = inputState(inv.problems, coverage);
  const card: Record<string, number> = state.partial ? { 'computed from partial input: problems': state.errors + state.gaps } : {};
  if (flags.graphJson) await fs.writeFile(flags.graphJson, JSON.stringify(graphToJson(bg), null, 2) + '\n');
  let from: number[] | undefined;
  if (flags.from?.length) {
    from = [];
    for (const f of flags.from) {
      const v = resolveStart(bg.graph, f);
      if (v.length === 0) throw new UsageError(`--from "${f}": no such workload, service account, user or group`);
      from.push(...v);
    }
  }
  const result = findAttackPaths(bg, { max, ...(from ? { from } : {}) });
  const text =
    format === 'json'
      ? JSON.stringify({ ...pathsJson(result), ...problemJson(state) }, null, 2) + '\n'
      : format === 'html'
        ? renderHtmlReport({ title: 'kordon attack paths', subtitle: paths.join(', ') || 'cluster', paths: result, summary: { 'attack paths': result.total, shown: result.shown, ...(result.entryPoints ? { [result.entryPoints.from ? 'starts' : 'entry points tried']: entryPointsShort(result.entryPoints) } : {}), ...card }, problems: state.problems })
        : withProblemText(formatPaths(result), state);
  await emit(io, text, flags.output);
  return exitFor(state, flags.fail && result.total > 0 ? EXIT.findings : EXIT.ok);
}

export function pathsJson(r: PathsResult): object {
  return { ...(r.entryPoints ? { entryPoints: entryPointsJson(r.entryPoints) } : {}), paths: r.paths.map(pathJson), total: r.total, shown: r.shown };
}

/** The entry points for a summary card: the line without its lead. */
export function entryPointsShort(e: NonNullable<PathsResult['entryPoints']>): string {
  return e.text.replace(/^(entry points tried|starts?): /, '');
}

function entryPointsJson(e: NonNullable<PathsResult['entryPoints']>): object {
  return e.from ? { from: e.from, text: e.text } : { tried: e.tried, workloads: e.workloads, text: e.text };
}

function pathJson(p: AttackPath): object {
  return { from: p.from, to: p.to, category: p.category, cost: p.cost, steps: p.steps.map((s) => ({ edge: s.edge, source: s.source, target: s.target, detail: s.detail, weight: s.weight, evidence: s.evidence })) };
}

function whatIfJson(r: WhatIfResult): object {
  return { before: r.before, after: r.after, changes: r.changes, removed: r.removed.map(pathJson), added: r.added.map(pathJson) };
}

export function formatPath(p: AttackPath, n: number): string[] {
  const lines = [`${n}. ${p.from} → ${p.to}   [${p.category}, cost ${p.cost}, ${p.steps.length} steps]`];
  p.steps.forEach((s, i) => {
    lines.push(`   ${String(i + 1).padStart(2)}) ${s.edge.padEnd(22)} ${s.source} → ${s.target}`);
    lines.push(`       ${s.detail}`);
    for (const ev of s.evidence.filter((e) => e.role === 'cause')) lines.push(`         ↳ ${ev.object}${ev.pointer ? ` ${ev.pointer}` : ''}: ${ev.detail}`);
  });
  return lines;
}

export function formatPaths(r: PathsResult): string {
  const entry = r.entryPoints ? [r.entryPoints.text] : [];
  if (r.total === 0) return [`No attack path from the ${r.entryPoints?.from ? 'starts' : 'entry points'} to a crown jewel.`, ...entry, ''].join('\n');
  const lines = [`${r.total} attack path(s), cheapest first${r.shown < r.total ? ` (showing ${r.shown}; ${r.total - r.shown} more, raise --max)` : ''}`, ...entry, ''];
  r.paths.forEach((p, i) => lines.push(...formatPath(p, i + 1), ''));
  return lines.join('\n');
}

function formatWhatIf(r: WhatIfResult): string {
  const lines = [`what-if: ${r.changes.replaced} replaced, ${r.changes.added} added, ${r.changes.deleted} deleted object(s)`, `attack paths: ${r.before} before, ${r.after} after (${r.removed.length} removed, ${r.added.length} added)`, ''];
  if (r.removed.length) {
    lines.push('Removed:');
    r.removed.forEach((p, i) => lines.push(...formatPath(p, i + 1), ''));
  }
  if (r.added.length) {
    lines.push('Added:');
    r.added.forEach((p, i) => lines.push(...formatPath(p, i + 1), ''));
  }
  return lines.join('\n');
}
