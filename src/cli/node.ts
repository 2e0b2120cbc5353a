/**
 * `kordon node`: the CIS Kubernetes Benchmark sections 1–4, like kube-bench. On a node
 * (`--root DIR`, default /): the processes, configuration files and file permissions; from the
 * API (`--cluster`, or files and snapshots): what the control plane's static pods and the
 * kubelets' configz show, the rest answered "needs node access" with the reason.
 */
import type { Command } from 'commander';
import { readInventory, withClusterOptions, withInputOptions, type SourceFlags } from './inputs.js';
import { EXIT } from './exit-codes.js';
import { emit, UsageError, type Io } from './io.js';
import { readNode, dockerOpenSockets } from '../sources/node-host/read.js';
import { syslogForwarding } from '../sources/node-host/syslog.js';
import { formatNodeReport, nodeReport, scopeReport, type ExtraFinding, type NodeReport } from '../nodes/report.js';
import { formatNodeJunit, formatNodeMarkdown, formatNodeSarif, NODE_FORMATS, type NodeFormat } from '../nodes/formats.js';
import { apiNodeReport } from '../nodes/api-report.js';
import { dataAgeDays, DataError, loadNodeData, nodeData, useNodeData, type NodeData } from '../nodes/data.js';
import { versionIssues } from '../nodes/node-summary.js';
import { SEVERITIES, type Severity } from '../engine/types.js';

interface NodeFlags extends SourceFlags {
  root?: string;
  proc?: string;
  format: string;
  output?: string;
  failOn?: string;
  dataDir?: string;
}

export function registerNode(program: Command, io: Io, done: (code: number) => void): void {
  withInputOptions(withClusterOptions(program.command('node')))
    .description('CIS Kubernetes Benchmark sections 1–4 (control plane, etcd, kubelet): on a node (--root) or as the API shows them (--cluster, files, snapshots)')
    .argument('[paths...]', 'manifests or snapshots to judge instead of a node (static pod manifests, KubeletConfiguration files)')
    .option('--root <dir>', "the node's root file system (default /; the host's root when run in a pod)")
    .option('--proc <dir>', 'the procfs to read command lines from (default <root>/proc)')
    .option('-f, --format <format>', `${NODE_FORMATS.join(', ')}`, 'pretty')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .option('--fail-on <severity>', 'exit 1 when an item at or above this severity fails')
    .option('--data-dir <dir>', 'newer vulnerability and end-of-life data files (kubernetes-cves.osv.json, escape-cves.json, end-of-life.json) replacing the shipped ones (also KORDON_DATA_DIR)')
    .action(async (paths: string[], flags: NodeFlags) => {
      done(await runNode(paths, flags, io));
    });
}

async function runNode(paths: string[], flags: NodeFlags, io: Io): Promise<number> {
  if (!(NODE_FORMATS as readonly string[]).includes(flags.format)) throw new UsageError(`unknown format "${flags.format}"; use ${NODE_FORMATS.join(', ')}`);
  if (flags.failOn !== undefined && !SEVERITIES.includes(flags.failOn as Severity)) throw new UsageError(`--fail-on takes one of ${SEVERITIES.join(', ')}`);
  const fromApi = flags.cluster || paths.length > 0;
  if (fromApi && (flags.root || flags.proc)) throw new UsageError('give either --root/--proc (a node) or paths/--cluster (the API), not both');
  let data: NodeData;
  try {
    data = flags.dataDir ? loadNodeData(flags.dataDir) : nodeData();
  } catch (err) {
    if (err instanceof DataError) throw new UsageError(err.message);
    throw err;
  }
  useNodeData(data);
  const now = new Date();
  let report: NodeReport;
  if (fromApi) {
    const { inv } = await readInventory(paths, flags, { ...io, stderr: () => {} });
    report = apiNodeReport(inv, data, now);
  } else {
    const read = readNode(flags.root ?? '/', flags.proc ? { proc: flags.proc } : {});
    const extra: ExtraFinding[] = [];
    if (read.docker) {
      const open = dockerOpenSockets(read.docker);
      extra.push(open.length
        ? { id: 'docker-tcp-without-tls', severity: 'critical', status: 'fail', message: `the Docker daemon (${read.docker.where}) listens on ${open.join(', ')} without --tlsverify: whoever reaches it runs privileged containers on the node` }
        : { id: 'docker-tcp-without-tls', severity: 'critical', status: 'pass', message: `the Docker daemon (${read.docker.where}) listens on no TCP socket without TLS verification` });
    }
    if (read.etcdData) {
      const d = read.etcdData;
      // a hint: encryption below the block device (a cloud disk's) does not show from the node
      if (d.unknown) extra.push({ id: 'etcd-data-encryption', severity: 'medium', status: 'unknown', message: `etcd's data directory ${d.dataDir}: encryption at rest could not be told (${d.unknown})` });
      else if (d.encryption) extra.push({ id: 'etcd-data-encryption', severity: 'medium', status: 'pass', message: `etcd's data directory ${d.dataDir} is on ${d.device} (${d.fsType} at ${d.mountPoint}), a ${d.encryption} volume: encrypted at rest` });
      else extra.push({ id: 'etcd-data-encryption', severity: 'medium', status: 'fail', message: `etcd's data directory ${d.dataDir} is on ${d.device} (${d.fsType} at ${d.mountPoint}), which shows no encryption at rest (no dm-crypt/LUKS target): every Secret not encrypted by the API server's encryption provider is in plain text on this disk, unless the disk is encrypted below the node (a cloud provider's volume encryption)` });
    }
    if (read.facts.files) {
      // the node's own logs (journal, syslog) sent to a remote server: NSA-CISA audit logging, SYSLOG
      const s = syslogForwarding(read.facts.files);
      extra.push(s.forwards.length
        ? { id: 'node-logs-forwarded', severity: 'low', status: 'pass', message: `the node's logs are forwarded to a remote server: ${s.forwards.join(', ')}` }
        : { id: 'node-logs-forwarded', severity: 'low', status: 'fail', message: `no rsyslog, syslog-ng or systemd-journal-upload setting forwards the node's logs to a remote server (${s.read.length ? `read ${s.read.join(', ')}` : 'none of their configuration files is present'}): the kubelet's, the container runtime's and the kernel's logs stay on the node; if an agent (a DaemonSet reading the journal) ships them, accept this item` });
    }
    const scope = `node ${read.hostname ?? read.root}`;
    report = nodeReport('node', [scopeReport(scope, read.facts)], extra, read.problems, { updated: data.updated, ageDays: dataAgeDays(data, now) });
    const info = { ...(read.kernelVersion ? { kernelVersion: read.kernelVersion } : {}), ...(read.osImage ? { osImage: read.osImage } : {}) };
    if (read.kernelVersion || read.osImage) report.nodes = [{ name: read.hostname ?? read.root, info, publicAddresses: [], placement: {}, taints: [], badConditions: [], versionIssues: versionIssues(data, info) }];
  }
  const formats: Record<NodeFormat, (r: NodeReport) => string> = { pretty: formatNodeReport, json: (r) => JSON.stringify(r, null, 2) + '\n', sarif: formatNodeSarif, junit: formatNodeJunit, markdown: formatNodeMarkdown };
  const text = formats[flags.format as NodeFormat](report);
  await emit(io, text, flags.output);
  if (flags.failOn) {
    const rank = (s: string): number => SEVERITIES.indexOf(s as Severity);
    const worst = rank(flags.failOn);
    const failed = report.scopes.some((s) => s.results.some((r) => r.status === 'fail' && rank(r.severity) <= worst)) || report.extra.some((e) => e.status === 'fail' && rank(e.severity) <= worst);
    if (failed) return EXIT.findings;
  }
  return report.problems.some((p) => p.severity === 'error') ? EXIT.inputErrors : EXIT.ok;
}
