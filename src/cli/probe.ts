/**
 * `kordon probe` (opt-in, never part of a scan): is the kubeconfig's API server endpoint public
 * and does it answer anonymous requests; and for given hosts or CIDRs, which well-known ports
 * answer without credentials (Docker 2375, etcd 2379, kubelet 10250/10255, kube-proxy metrics,
 * controller-manager and scheduler secure ports). Bounded in time, targets and concurrency.
 */
import type { Command } from 'commander';
import { EXIT } from './exit-codes.js';
import { collect, emit, UsageError, type Io } from './io.js';
import { ApiClient } from '../sources/cluster/client.js';
import { DEFAULT_PORTS, expandTargets, probeEndpoint, probeTargets, type EndpointResult, type ProbeResult } from '../probe/probe.js';

interface ProbeFlags {
  kubeconfig?: string;
  context?: string;
  endpoint: boolean;
  hosts?: string[];
  ports?: string;
  timeout: string;
  deadline: string;
  concurrency: string;
  maxTargets: string;
  format: string;
  output?: string;
}

export function registerProbe(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('probe')
    .description('opt-in network probes from where you run it: anonymous access to the API server endpoint, and unauthenticated Docker, etcd, kubelet and metrics ports on given hosts')
    .option('--kubeconfig <file>', 'kubeconfig whose API server endpoint is probed (default: $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context')
    .option('--no-endpoint', "do not probe the kubeconfig's API server")
    .option('--hosts <host|cidr>', 'hosts, addresses or IPv4 CIDRs whose well-known ports are probed (repeatable, comma-separated)', collect)
    .option('--ports <list>', `ports probed on each host (default ${DEFAULT_PORTS.join(',')})`)
    .option('--timeout <ms>', 'the most one connection or request may take', '2000')
    .option('--deadline <seconds>', 'the most the whole probe may take (targets not reached by then are counted as skipped)', '60')
    .option('--concurrency <n>', 'targets probed at once', '16')
    .option('--max-targets <n>', 'the most host:port pairs probed', '1024')
    .option('-f, --format <format>', 'pretty or json', 'pretty')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .action(async (flags: ProbeFlags) => {
      done(await runProbe(flags, io));
    });
}

function positive(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${name} takes a positive whole number, not "${v}"`);
  return n;
}

async function runProbe(flags: ProbeFlags, io: Io): Promise<number> {
  if (flags.format !== 'pretty' && flags.format !== 'json') throw new UsageError(`unknown format "${flags.format}"; use pretty or json`);
  const opts = { timeoutMs: positive('--timeout', flags.timeout), deadlineMs: positive('--deadline', flags.deadline) * 1000, concurrency: positive('--concurrency', flags.concurrency) };
  const maxTargets = positive('--max-targets', flags.maxTargets);
  const ports = flags.ports ? flags.ports.split(',').map((p) => positive('--ports', p.trim())) : [...DEFAULT_PORTS];
  if (ports.some((p) => p > 65535)) throw new UsageError('--ports: a port is at most 65535');
  let hosts: string[] = [];
  try {
    hosts = expandTargets((flags.hosts ?? []).flatMap((h) => h.split(',')).filter((h) => h.trim() !== ''), maxTargets);
  } catch (err) {
    throw new UsageError(`--hosts: ${(err as Error).message}`);
  }
  const targets = hosts.flatMap((host) => ports.map((port) => ({ host, port })));
  if (targets.length > maxTargets) throw new UsageError(`${targets.length} host:port pairs, more than --max-targets ${maxTargets}`);
  if (!flags.endpoint && targets.length === 0) throw new UsageError('nothing to probe: give --hosts, or leave the endpoint probe on');
  let endpoint: EndpointResult | undefined;
  if (flags.endpoint) {
    const client = await ApiClient.create({ ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}), ...(flags.context ? { context: flags.context } : {}) });
    const server = client.server;
    client.close();
    endpoint = await probeEndpoint(server, opts);
  }
  const { results, skipped } = await probeTargets(targets, opts);
  const exposed = results.filter((r) => r.verdict === 'exposed');
  const report = { apiVersion: 'kordon.dev/v1', kind: 'ProbeReport', ...(endpoint ? { endpoint } : {}), targets: results, ...(skipped ? { skipped } : {}), summary: { probed: results.length, open: results.filter((r) => r.verdict !== 'closed').length, exposed: exposed.length } };
  const text = flags.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : pretty(endpoint, results, skipped);
  await emit(io, text, flags.output);
  return exposed.length > 0 || endpoint?.verdict === 'anonymous-allowed' ? EXIT.findings : EXIT.ok;
}

function pretty(endpoint: EndpointResult | undefined, results: ProbeResult[], skipped: number): string {
  const out: string[] = [];
  if (endpoint) {
    out.push(`API server ${endpoint.server}`);
    out.push(`  resolves to: ${endpoint.addresses.map((a) => `${a.address} (${a.public ? 'public' : 'private'})`).join(', ') || 'nothing'}`);
    out.push(`  anonymous GET /version: ${endpoint.version}, GET /api: ${endpoint.api}`);
    out.push(`  ${endpoint.detail}`);
  }
  const open = results.filter((r) => r.verdict !== 'closed');
  if (results.length) {
    out.push('', `${results.length} host:port probed, ${open.length} open${skipped ? `, ${skipped} skipped at the deadline` : ''}`);
    for (const r of open) out.push(`[${r.verdict === 'exposed' ? `EXPOSED ${r.severity}` : r.verdict.toUpperCase()}] ${r.host}:${r.port} ${r.service}: ${r.detail}`);
  }
  return out.join('\n') + '\n';
}
