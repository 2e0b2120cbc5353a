/** `kordon webhook`: the validating and mutating admission webhook (docs/webhook.md). */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { yamlLib } from '../util/yaml-lib.js';
import { SEVERITIES, type Severity } from '../engine/types.js';
import { splitList } from '../engine/select.js';
import { SAFE_FIX_CONTROLS, type ReviewSettings } from '../admission/review.js';
import type { ClusterContext } from '../admission/context.js';
import { webhookConfigurations } from '../admission/webhook-config.js';
import { EXIT } from './exit-codes.js';
import { checkOutput, emit, UsageError, type Io } from './io.js';
import { resolveConfig, scanSettings, type ScanFlags } from './scan.js';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

interface WebhookFlags extends ScanFlags {
  cert: string;
  key: string;
  port: string;
  host: string;
  denyOn: string;
  warnOn: string;
  warnOnly?: boolean;
  mutate?: string[];
  excludeNamespace?: string[];
  drainSeconds: string;
  /** Accepted and ignored: the context is watched now (it was re-listed every N seconds). */
  contextRefresh?: string;
}

function severity(flag: string, value: string): Severity {
  if (!(SEVERITIES as readonly string[]).includes(value)) throw new UsageError(`${flag} takes one of ${SEVERITIES.join(', ')} (got "${value}")`);
  return value as Severity;
}

/** The settings the webhook judges with: the scan's controls, exceptions and config file, and its own thresholds. */
export async function webhookSettings(flags: WebhookFlags): Promise<ReviewSettings> {
  const cfg = await resolveConfig(flags.config);
  const scan = await scanSettings({ ...flags, format: 'json' }, cfg);
  // controls made for files in a repository (Develop only) or the running cluster (Runtime only) do not judge requests
  const controls = scan.controls.filter((c) => c.phases.includes('deploy'));
  const mutate = splitList(flags.mutate);
  for (const id of mutate) {
    const control = controls.find((c) => c.id === id || c.name === id);
    if (!control) throw new UsageError(`--mutate ${id}: no such control among those the webhook runs`);
    if (!SAFE_FIX_CONTROLS[control.id]) throw new UsageError(`--mutate ${id}: the fix of ${control.id} ${control.name} is not one kordon applies automatically (safe: ${Object.keys(SAFE_FIX_CONTROLS).join(', ')})`);
  }
  const ids = mutate.map((m) => controls.find((c) => c.id === m || c.name === m)!.id);
  const denyOn = severity('--deny-on', flags.denyOn);
  const warnOn = severity('--warn-on', flags.warnOn);
  if (SEVERITIES.indexOf(warnOn) < SEVERITIES.indexOf(denyOn)) throw new UsageError('--warn-on must be at or below --deny-on');
  return {
    controls,
    exceptions: scan.exceptions,
    denyOn,
    warnOn,
    ...(flags.warnOnly ? { warnOnly: true } : {}),
    mutate: ids,
    excludeNamespaces: splitList(flags.excludeNamespace),
  };
}

export function registerWebhook(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('webhook')
    .description('serve the controls as a validating and mutating admission webhook (AdmissionReview v1 over TLS)')
    .requiredOption('--cert <file>', 'serving certificate (PEM; reloaded when the file changes)')
    .requiredOption('--key <file>', 'its private key (PEM; reloaded when the file changes)')
    .option('--port <port>', 'port to listen on', '8443')
    .option('--host <address>', 'address to listen on', '0.0.0.0')
    .option('--deny-on <severity>', `deny a request with a finding at or above this severity (${SEVERITIES.join(', ')})`, 'high')
    .option('--warn-on <severity>', 'return findings at or above this severity (and below --deny-on) as warnings', 'low')
    .option('--warn-only', 'never deny: every finding at or above --warn-on is a warning (a first roll-out)')
    .option('--mutate <ids>', `apply the fixes of these controls on /mutate (comma-separated, repeatable; only ${Object.keys(SAFE_FIX_CONTROLS).join(', ')})`, collect)
    .option('--exclude-namespace <ns>', 'leave requests in this namespace alone (repeatable; the webhook\'s own namespace)', collect)
    .option('--cluster', 'keep the cluster context (namespaces, service accounts, services, policies, RBAC) for cross-object controls, read with the kubeconfig or in-cluster account')
    .option('--kubeconfig <file>', 'kubeconfig for --cluster')
    .option('--context <name>', 'kubeconfig context for --cluster')
    .addOption(program.createOption('--context-refresh <seconds>', 'no longer used: the cluster context is watched').hideHelp())
    .option('--drain-seconds <seconds>', 'on SIGTERM, keep answering this long (readiness fails, each answer closes its connection) before closing', '5')
    .option('--exceptions <file>', 'exceptions file (repeatable)', collect)
    .option('--controls <ids>', 'run only these controls (ids, names or globs; repeatable)', collect)
    .option('--skip-controls <ids>', 'do not run these controls (repeatable)', collect)
    .option('--config <file>', 'config file (default: .kordon.yaml found upward)')
    .option('--no-config', 'read no config file')
    .action(async (flags: WebhookFlags) => {
      const settings = await webhookSettings(flags);
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port takes a port number');
      const drain = Number(flags.drainSeconds);
      if (!Number.isFinite(drain) || drain < 0 || drain > 600) throw new UsageError('--drain-seconds takes 0 to 600 seconds');
      for (const f of [flags.cert, flags.key]) {
        try {
          readFileSync(f);
        } catch (err) {
          throw new UsageError(`cannot read ${f}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
        }
      }
      const log = (entry: Record<string, unknown>): void => io.stderr(JSON.stringify({ time: new Date().toISOString(), ...entry }) + '\n');
      // the server and the cluster client (https, tls) load only for this command
      const { startWebhookServer } = await import('../admission/server.js');
      let context: ClusterContext | undefined;
      if (flags.cluster) {
        const { ClusterContext } = await import('../admission/context.js');
        const { ApiClient } = await import('../sources/cluster/client.js');
        const client = await ApiClient.create({ ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}), ...(flags.context ? { context: flags.context } : {}) });
        if (flags.contextRefresh !== undefined) log({ event: 'deprecated', flag: '--context-refresh', note: 'ignored: the cluster context is watched, changes count within a second or two' });
        context = await ClusterContext.forCluster(client, { log });
        void context.start().catch((err) => log({ event: 'context failed', error: err instanceof Error ? err.message : String(err) }));
      }
      const server = await startWebhookServer({
        certFile: flags.cert,
        keyFile: flags.key,
        port,
        host: flags.host,
        settings,
        ...(context ? { context, ready: () => context!.status.loaded } : {}),
        log,
      });
      log({ event: 'listening', port: server.port, controls: settings.controls.length, ...(settings.mutate?.length ? { mutate: settings.mutate } : {}) });
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          resolve();
        };
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
      });
      // drain: leave the endpoints, answer what still comes (closing each connection), then close
      context?.stop();
      await server.drain(drain * 1000);
      log({ event: 'stopped' });
      done(EXIT.ok);
    });
}

/** `kordon admission webhooks`: the webhook configurations that register `kordon webhook`. */
export function registerWebhookConfig(admission: Command, io: Io, done: (code: number) => void): void {
  admission
    .command('webhooks')
    .description('write the Validating- and MutatingWebhookConfiguration that register kordon webhook with the API server')
    .requiredOption('--ca-file <file>', 'the CA certificate (PEM) that signed the webhook\'s serving certificate')
    .option('--url <url>', 'the webhook\'s URL (outside the cluster)')
    .option('--service <namespace/name>', 'the webhook\'s Service (in the cluster)')
    .option('--exclude-namespace <ns>', 'namespaces left alone (repeatable; the webhook\'s own)', collect)
    .option('--failure-policy <policy>', 'Fail or Ignore', 'Fail')
    .option('--timeout <seconds>', 'how long the API server waits for an answer (1-30)', '5')
    .option('--no-mutating', 'register only the validating webhook')
    .option('-o, --output <file>', 'write to a file')
    .action(async (flags: { caFile: string; url?: string; service?: string; excludeNamespace?: string[]; failurePolicy: string; timeout: string; mutating: boolean; output?: string }) => {
      if (!flags.url === !flags.service) throw new UsageError('give one of --url or --service');
      if (flags.failurePolicy !== 'Fail' && flags.failurePolicy !== 'Ignore') throw new UsageError('--failure-policy is Fail or Ignore');
      const timeout = Number(flags.timeout);
      if (!Number.isInteger(timeout) || timeout < 1 || timeout > 30) throw new UsageError('--timeout takes 1 to 30 seconds');
      let caBundle: string;
      try {
        caBundle = readFileSync(flags.caFile, 'utf8');
      } catch (err) {
        throw new UsageError(`cannot read ${flags.caFile}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
      }
      if (!caBundle.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`${flags.caFile} holds no PEM certificate`);
      let service: { namespace: string; name: string } | undefined;
      if (flags.service) {
        const [namespace, name, extra] = flags.service.split('/');
        if (!namespace || !name || extra !== undefined) throw new UsageError('--service takes namespace/name');
        service = { namespace, name };
      }
      await checkOutput(flags.output);
      const objects = webhookConfigurations({
        caBundle,
        ...(flags.url ? { url: flags.url } : {}),
        ...(service ? { service } : {}),
        excludeNamespaces: splitList(flags.excludeNamespace),
        failurePolicy: flags.failurePolicy,
        timeoutSeconds: timeout,
        mutating: flags.mutating,
      });
      await emit(io, objects.map((o) => '---\n' + yamlLib().stringify(o, { lineWidth: 0 })).join(''), flags.output);
      done(EXIT.ok);
    });
}
