/** `kordon netpol`: reachability (np-guard connlist format), explain, exposure. */
import type { Command } from 'commander';
import { Inventory } from '../inventory/inventory.js';
import { readInventory, withClusterOptions, withInputOptions, type SourceFlags } from './inputs.js';
import { connectionJson, connectionLines, ReachabilityEngine, type SideDecision } from '../network/reach.js';
import { jsonChunks, LazyArray } from '../report/json-stream.js';
import { computeExposure, describeExposure } from '../network/exposure.js';
import { formatGroupedReach, groupedReachJson, groupReachability } from '../network/grouping.js';
import { isProtocol, PortSet } from '../network/ports.js';
import { EXIT } from './exit-codes.js';
import { UsageError, type Io } from './io.js';
import { exitFor, inputState, problemJson, withProblemText, type InputState } from './partial-input.js';
import type { CoverageEntry } from '../sources/cluster/read.js';

async function loadInventory(paths: string[], flags: SourceFlags, io: Io): Promise<{ inv: Inventory; coverage?: CoverageEntry[] }> {
  const { inv, coverage } = await readInventory(paths, flags, io);
  return { inv, ...(coverage ? { coverage } : {}) };
}

/** What could not be read, taken after the analysis (it adds the objects it left out): said in the output (src/cli/partial-input.ts). */
function stateAfter(inv: Inventory, coverage: CoverageEntry[] | undefined): InputState {
  return inputState(inv.problems, coverage);
}

/**
 * Problems the analysis met after the read (objects left out because a field it reads has the
 * wrong type): printed like the read's own, and counted with them for the exit code.
 */
export function analysisProblems(inv: Inventory, printed: number, io: Io): { errors: number } {
  const all = inv.problems;
  for (const p of all.slice(printed)) io.stderr(`kordon: ${p.severity}: ${p.source}${p.line ? `:${p.line}` : ''}: ${p.message}\n`);
  return { errors: all.filter((p) => p.severity === 'error').length };
}

function parseFormat(f: string): 'text' | 'json' {
  if (f !== 'text' && f !== 'json') throw new UsageError(`unknown format "${f}"; use text or json`);
  return f;
}

function sideText(title: string, d: SideDecision | undefined): string[] {
  if (!d) return [`  ${title}: not evaluated (outside the cluster: not policed)`];
  const lines = [`  ${title}: ${d.allowed.toString()}`];
  if (d.adminPolicies.length) lines.push(`    admin policies selecting the pod: ${d.adminPolicies.join('; ')}`);
  lines.push(d.isolatedBy.length ? `    isolated by: ${d.isolatedBy.join('; ')}` : '    not isolated by any NetworkPolicy');
  for (const s of d.steps) lines.push(`    ${s.action}: ${s.ports.toString()} — ${s.policy}${s.rule ? ` ${s.rule}` : ''}`);
  return lines;
}

export function registerNetpol(program: Command, io: Io, done: (code: number) => void): void {
  const netpol = program.command('netpol').description('network policy analysis: reachability, explanations, exposure');

  withInputOptions(withClusterOptions(netpol.command('reach')))
    .description('list the allowed connections between workloads (pods under their owner) and external ranges (SRC => DST : CONN), after a summary line')
    .argument('[paths...]', 'files or directories; - reads standard input')
    .option('-f, --format <format>', 'text or json', 'text')
    .option('--per-pod', 'one line per pod and address range (no grouping, no summary); in JSON, the per-pod connections beside the grouped ones')
    .action(async (paths: string[], flags: { format: string; perPod?: boolean } & SourceFlags) => {
      const format = parseFormat(flags.format);
      const { inv, coverage } = await loadInventory(paths, flags, io);
      const engine = new ReachabilityEngine(inv);
      const conns = engine.connections();
      const grouped = groupReachability(engine, conns);
      const state = stateAfter(inv, coverage);
      // written in pieces: every pair of a large cluster without policies is more text than one string may hold
      if (format === 'json') {
        const pods = flags.perPod ? { podConnections: new LazyArray(conns.length, (i) => connectionJson(conns[i]!)) } : {};
        for (const piece of jsonChunks({ ...groupedReachJson(grouped), ...pods, ...problemJson(state) })) io.stdout(piece);
        io.stdout('\n');
      } else if (flags.perPod) {
        io.stdout(withProblemText('', state)); // the problems come first, as withProblemText puts them
        for (const piece of connectionLines(conns)) io.stdout(piece);
      } else io.stdout(withProblemText(formatGroupedReach(grouped), state));
      done(exitFor(state, EXIT.ok));
    });

  withInputOptions(withClusterOptions(netpol.command('explain')))
    .description('say whether SRC may connect to DST and which policies and rules decide it (ns/name, ns/name[Kind] or an IP address)')
    .argument('<src>')
    .argument('<dst>')
    .argument('[paths...]', 'files or directories; - reads standard input')
    .option('--port <port>', 'only this destination port (number)')
    .option('--protocol <protocol>', 'TCP, UDP or SCTP', 'TCP')
    .option('-f, --format <format>', 'text or json', 'text')
    .action(async (src: string, dst: string, paths: string[], flags: { port?: string; protocol: string; format: string } & SourceFlags) => {
      const format = parseFormat(flags.format);
      const protocol = flags.protocol.toUpperCase();
      if (!isProtocol(protocol)) throw new UsageError(`unknown protocol "${flags.protocol}"; use TCP, UDP or SCTP`);
      let focus: PortSet | undefined;
      if (flags.port !== undefined) {
        const n = Number(flags.port);
        if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UsageError('--port takes a number from 1 to 65535');
        focus = PortSet.of(protocol, n, n);
      }
      const { inv, coverage } = await loadInventory(paths, flags, io);
      const engine = new ReachabilityEngine(inv);
      const pick = (spec: string): ReturnType<ReachabilityEngine['findPeer']>[number] => {
        const found = engine.findPeer(spec);
        if (found.length === 0) throw new UsageError(`no workload or address matches "${spec}"`);
        if (found.length > 1) throw new UsageError(`"${spec}" is ambiguous: ${found.map((p) => p.display).join(', ')}`);
        return found[0]!;
      };
      const s = pick(src);
      const d = pick(dst);
      const e = engine.explain(s, d);
      const allowed = focus ? e.allowed.intersect(focus) : e.allowed;
      const state = stateAfter(inv, coverage);
      const verdict = allowed.isEmpty() ? 'denied' : 'allowed';
      if (format === 'json') {
        const side = (x: SideDecision | undefined): unknown =>
          x && { allowed: x.allowed.toString(), isolatedBy: x.isolatedBy, adminPolicies: x.adminPolicies, steps: x.steps.map((st) => ({ ...st, ports: st.ports.toString() })) };
        io.stdout(JSON.stringify({ src: s.display, dst: d.display, verdict, allowed: allowed.toString(), egress: side(e.egress), ingress: side(e.ingress), ...problemJson(state) }, null, 2) + '\n');
      } else {
        const lines = [`${s.display} => ${d.display}${focus ? ` (${focus.toString()})` : ''}: ${verdict}${allowed.isEmpty() ? '' : ` — ${allowed.toString()}`}`];
        lines.push(...sideText(`egress of ${s.display}`, e.egress), ...sideText(`ingress of ${d.display}`, e.ingress));
        io.stdout(withProblemText(lines.join('\n') + '\n', state));
      }
      done(exitFor(state, allowed.isEmpty() ? EXIT.findings : EXIT.ok));
    });

  withInputOptions(withClusterOptions(netpol.command('exposure')))
    .description('list workloads reachable from outside the cluster: level, ports and the chain of objects')
    .argument('[paths...]', 'files or directories; - reads standard input')
    .option('-f, --format <format>', 'text or json', 'text')
    .option('--all', 'include cluster-internal Services too')
    .action(async (paths: string[], flags: { format: string; all?: boolean } & SourceFlags) => {
      const format = parseFormat(flags.format);
      const { inv, coverage } = await loadInventory(paths, flags, io);
      const computed = computeExposure(inv);
      const state = stateAfter(inv, coverage);
      const exposures = computed
        .map((x) => (flags.all ? x : { ...x, paths: x.paths.filter((p) => p.level !== 'cluster-internal') }))
        .filter((x) => x.paths.length > 0)
        .map((x) => ({ ...x, level: x.paths[0]!.level }));
      if (format === 'json') {
        io.stdout(JSON.stringify({ exposures: exposures.map((x) => ({ workload: x.workload.display, level: x.level, paths: x.paths })), ...problemJson(state) }, null, 2) + '\n');
      } else {
        io.stdout(withProblemText(exposures.map(describeExposure).join('\n') + (exposures.length ? '\n' : ''), state));
      }
      done(exitFor(state, EXIT.ok));
    });
}
