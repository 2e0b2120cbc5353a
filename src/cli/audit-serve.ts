/**
 * `kordon audit serve`: the audit webhook backend (src/audit/serve.ts). Prints each detection as
 * it is found (a JSON line, or a pretty line) on standard output or appends it to --output.
 */
import type { Command } from 'commander';
import { readFileSync, appendFileSync } from 'node:fs';
import { startAuditReceiver } from '../audit/serve.js';
import { detectionLine, objectLabel } from '../audit/report.js';
import type { Detection } from '../audit/analyze.js';
import { EXIT } from './exit-codes.js';
import { collect, UsageError, type Io } from './io.js';
import { contextInventory, detectionConfigOf, detectionFilter, type AuditFlags } from './audit.js';
import { AuditContext, podServiceAccountsOf } from '../audit/context.js';
import { withClusterOptions, withInputOptions } from './inputs.js';

interface ServeFlags extends Omit<AuditFlags, 'format' | 'output'> {
  listen: string;
  tlsCert?: string;
  tlsKey?: string;
  clientCa?: string;
  tokenFile?: string;
  spool: string;
  maxBody: string;
  maxQueue: string;
  keepSpool?: boolean;
  format: string;
  output?: string;
}

function readPem(flag: string, file: string | undefined): Buffer {
  if (!file) throw new UsageError(`${flag} is required`);
  try {
    return readFileSync(file);
  } catch (err) {
    throw new UsageError(`${flag}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

export function registerAuditServe(audit: Command, io: Io, done: (code: number) => void): void {
  withInputOptions(withClusterOptions(audit.command('serve')))
    .description('the audit webhook backend: the API server posts EventLists (--audit-webhook-config-file); detections as they come')
    .option('--listen <addr>', 'host:port to listen on', '127.0.0.1:8443')
    .option('--tls-cert <file>', 'server certificate (PEM)')
    .option('--tls-key <file>', 'server key (PEM)')
    .option('--client-ca <file>', 'accept clients with a certificate signed by this CA (PEM)')
    .option('--token-file <file>', 'accept these bearer tokens (one per line)')
    .option('--spool <dir>', 'where accepted batches are written before the answer 200', './kordon-audit-spool')
    .option('--max-body <bytes>', 'largest batch accepted', String(10 * 1024 * 1024))
    .option('--max-queue <n>', 'batches waiting to be judged before new ones get 503 (the API server retries)', '1000')
    .option('--inventory <path>', 'manifests, charts or a snapshot (repeatable): severity from what each actor reaches', collect)
    .option('--keep-spool', 'keep judged batches (renamed *.done) instead of removing them')
    .option('-f, --format <format>', 'jsonl or pretty', 'jsonl')
    .option('-o, --output <file>', 'append detections to this file instead of standard output')
    .option('--detections <ids>', 'only these detections (repeatable)', collect)
    .option('--skip-detections <ids>', 'not these detections (repeatable)', collect)
    .option('--allowed-user <name>', 'see kordon audit --help (repeatable)', collect)
    .option('--allowed-namespace <ns>', 'see kordon audit --help (repeatable)', collect)
    .option('--allowed-node <name>', 'see kordon audit --help (repeatable)', collect)
    .option('--allowed-image <repo>', 'see kordon audit --help (repeatable)', collect)
    .action(async (flags: ServeFlags) => done(await runServe(flags, io)));
}

async function runServe(flags: ServeFlags, io: Io): Promise<number> {
  const m = /^(.*):(\d+)$/.exec(flags.listen);
  if (!m) throw new UsageError('--listen takes host:port');
  const host = m[1]!.replace(/^\[|\]$/g, '');
  const port = Number(m[2]);
  if (flags.format !== 'jsonl' && flags.format !== 'pretty') throw new UsageError('--format takes jsonl or pretty');
  const tokens = flags.tokenFile ? readPem('--token-file', flags.tokenFile).toString('utf8').split('\n').map((t) => t.trim()).filter(Boolean) : undefined;
  if (!flags.clientCa && !tokens?.length) throw new UsageError('give --client-ca and/or --token-file: the receiver accepts only authenticated clients');
  const maxBody = Number(flags.maxBody);
  const maxQueue = Number(flags.maxQueue);
  if (!Number.isInteger(maxBody) || maxBody <= 0) throw new UsageError('--max-body takes a positive number of bytes');
  if (!Number.isInteger(maxQueue) || maxQueue <= 0) throw new UsageError('--max-queue takes a positive number');
  const { inv } = await contextInventory(flags as AuditFlags, io);
  const write = (s: string): void => (flags.output ? appendFileSync(flags.output, s) : io.stdout(s));
  const pretty = (d: Detection): string => `${d.severity.toUpperCase()} ${d.id} ${d.title}: ${d.actor.username}${d.objects.length ? ` on ${d.objects.map(objectLabel).join('; ')}` : ''} (auditID ${d.auditIDs[0]})\n`;
  const receiver = await startAuditReceiver({
    host,
    port,
    tlsCert: readPem('--tls-cert', flags.tlsCert),
    tlsKey: readPem('--tls-key', flags.tlsKey),
    ...(flags.clientCa ? { clientCa: readPem('--client-ca', flags.clientCa) } : {}),
    ...(tokens ? { tokens } : {}),
    spoolDir: flags.spool,
    maxBody,
    maxQueue,
    ...(flags.keepSpool ? { keepSpool: true } : {}),
    ...(inv ? { context: new AuditContext(inv), podServiceAccounts: podServiceAccountsOf(inv) } : {}),
    config: detectionConfigOf(flags),
    skip: detectionFilter(flags.detections, flags.skipDetections),
    onDetection: (d) => write(flags.format === 'jsonl' ? detectionLine(d) : pretty(d)),
    onProblem: (p) => io.stderr(`kordon: ${p.severity} ${p.source}: ${p.message}\n`),
  });
  io.stderr(`kordon: audit webhook backend listening on ${receiver.url}${receiver.stats.replayed ? ` (${receiver.stats.replayed} spooled batches from an earlier run judged first)` : ''}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await receiver.close();
  io.stderr(`kordon: stopped: ${receiver.stats.batches} batches, ${receiver.stats.events} events, ${receiver.stats.detections} detections\n`);
  return EXIT.ok;
}
