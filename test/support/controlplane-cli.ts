/**
 * Starts ONE control plane for a whole test run and describes it in a JSON file.
 *
 *   node --import tsx test/support/controlplane-cli.ts <info.json> [--log-dir DIR]
 *
 * The JSON (a ControlPlaneInfo: server, caFile, adminKubeconfig, kubeconfigs
 * {admin, alice, bob, token-user}, credentials, auditLogFile, dir, ...) is
 * written atomically once the apiserver is ready; test processes find it via
 * KORDON_TEST_CONTROLPLANE=<info.json> (see sharedControlPlane()). The process
 * then stays alive until SIGTERM/SIGINT, stops etcd and kube-apiserver, removes
 * its temp dir and the JSON file. If startup fails it exits 1 without writing
 * the JSON file (the error goes to stderr).
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startControlPlane, type ControlPlaneInfo } from './controlplane.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let logDir: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--log-dir') logDir = args[++i];
    else rest.push(args[i]!);
  }
  const out = rest[0];
  if (!out) {
    process.stderr.write('usage: controlplane-cli.ts <info.json> [--log-dir DIR]\n');
    process.exit(2);
  }
  const file = path.resolve(out);

  let stopping = false;
  let stopFn: (() => Promise<void>) | undefined;
  const shutdown = (code: number): void => {
    if (stopping) return;
    stopping = true;
    rmSync(file, { force: true });
    void (stopFn ? stopFn() : Promise.resolve()).finally(() => process.exit(code));
  };
  process.on('SIGTERM', () => shutdown(0));
  process.on('SIGINT', () => shutdown(0));
  process.on('SIGHUP', () => shutdown(0));

  const started = Date.now();
  const cp = await startControlPlane(logDir ? { logDir } : {});
  stopFn = () => cp.stop();
  if (stopping) {
    await cp.stop();
    return;
  }
  const info: ControlPlaneInfo = {
    server: cp.server,
    caFile: cp.caFile,
    adminKubeconfig: cp.adminKubeconfig,
    kubeconfigs: cp.kubeconfigs,
    credentials: cp.credentials,
    auditLogFile: cp.auditLogFile,
    dir: cp.dir,
    logDir: cp.logDir,
    token: cp.token,
    kubernetesVersion: cp.kubernetesVersion,
  };
  writeFileSync(`${file}.tmp`, JSON.stringify(info, null, 2));
  renameSync(`${file}.tmp`, file);
  process.stderr.write(`[controlplane] ${cp.server} ready in ${((Date.now() - started) / 1000).toFixed(1)}s; info in ${file}\n`);
  // Keep the event loop alive until a signal arrives.
  setInterval(() => {}, 1 << 30);
}

main().catch((e: unknown) => {
  process.stderr.write(`[controlplane] failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
