/**
 * Benchmark: kordon webhook under load, with autocannon (a real HTTP load tool, from npm).
 *
 *   node --import tsx bench/webhook.ts [--rate 500] [--duration 20] [--e2e-rate 100] [--out bench/out/webhook-results.md]
 *
 * 1. Inside the server: one `kordon webhook` process (the CLI, as deployed), AdmissionReviews of a
 *    realistic Deployment (an init container and two containers, probes, env from a Secret)
 *    POSTed to /validate and /mutate at a fixed rate over TLS. The server's own time per review
 *    comes from its decision log (`ms`: from the last byte of the request to the answer); the
 *    client's latency from autocannon (TLS and loopback included).
 * 2. End to end: a real etcd + kube-apiserver (test harness), the webhook registered with a
 *    Validating- and MutatingWebhookConfiguration (CA bundle, loopback URL), pods created through
 *    the API (server-side dry run, client certificate) at a fixed rate, with and without the
 *    webhooks registered.
 * 3. A replica restarts under load: two webhook processes behind a TCP round-robin proxy that
 *    plays the Service (new connections go to ready backends only, as kube-proxy does once the
 *    endpoints controller drops a pod that fails readiness). Each replica in turn gets SIGTERM
 *    (its drain: /readyz fails, answers close their connections), exits, is started again and
 *    waits for readiness, while autocannon keeps creating pods through the API server; every
 *    answer that is not 201 counts as a failed admission.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startControlPlane, apiRequest } from '../test/support/controlplane.js';
import { makeCa, makeServingCert } from '../test/live/webhook-certs.js';
import { webhookConfigurations } from '../src/admission/webhook-config.js';
import { reviewAdmission } from '../src/admission/review.js';
import { allControls } from '../src/controls/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i !== -1 ? process.argv[i + 1]! : fallback;
}
const RATE = Number(arg('rate', '500'));
const DURATION = Number(arg('duration', '20'));
const E2E_RATE = Number(arg('e2e-rate', '100'));
const OUT = arg('out', path.join(ROOT, 'bench/out/webhook-results.md'));

const dir = mkdtempSync(path.join(os.tmpdir(), 'kordon-bench-webhook-'));
const ca = makeCa(path.join(dir, 'pki'));
const serving = makeServingCert(ca, 'serving');
const caPem = readFileSync(ca.caFile);

function deployment(name: string, namespace: string): Record<string, unknown> {
  const container = (n: string, port: number): Record<string, unknown> => ({
    name: n,
    image: `registry.example.com/shop/${n}:2.4.1`,
    ports: [{ containerPort: port, name: 'http' }],
    env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }],
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    readinessProbe: { httpGet: { path: '/ready', port } },
    livenessProbe: { httpGet: { path: '/live', port } },
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { app: name } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          serviceAccountName: name,
          securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
          initContainers: [{ ...container('migrate', 9000), ports: [], readinessProbe: undefined, livenessProbe: undefined }],
          containers: [container('web', 8080), container('sidecar', 9090)],
        },
      },
    },
  };
}

function review(uid: number): string {
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: { uid: `u-${uid}`, kind: { group: 'apps', version: 'v1', kind: 'Deployment' }, resource: { group: 'apps', version: 'v1', resource: 'deployments' }, operation: 'CREATE', namespace: 'shop', name: 'web', object: deployment('web', 'shop'), dryRun: false },
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

interface Replica {
  port: number;
  proc: ChildProcess;
  times: number[];
}

async function waitReady(port: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const req = https.get({ host: '127.0.0.1', port, path: '/readyz', ca: caPem, servername: 'localhost', agent: false, timeout: 1000 }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('error', () => resolve(false));
      req.on('timeout', () => req.destroy());
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`webhook on ${port} not ready`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function startReplica(port: number, times: number[] = []): Promise<Replica> {
  const proc = spawn(process.execPath, [path.join(ROOT, 'bin/kordon'), 'webhook', '--cert', serving.certFile, '--key', serving.keyFile, '--port', String(port), '--host', '127.0.0.1', '--no-config', '--mutate', 'KOR-0113', '--drain-seconds', '2'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let buf = '';
  proc.stderr!.on('data', (c: Buffer) => {
    buf += c.toString('utf8');
    let i;
    while ((i = buf.indexOf('\n')) !== -1) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        const e = JSON.parse(line) as { ms?: number };
        if (typeof e.ms === 'number') times.push(e.ms);
      } catch {
        /* not a log line */
      }
    }
  });
  await waitReady(port);
  return { port, proc, times };
}

function stopReplica(r: Replica): Promise<void> {
  return new Promise((resolve) => {
    r.proc.once('exit', () => resolve());
    r.proc.kill('SIGTERM');
  });
}

function pct(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

const f = (n: number): string => (Number.isFinite(n) ? n.toFixed(2) : 'n/a');
const lines: string[] = [];
const say = (s: string): void => {
  console.log(s);
  lines.push(s);
};

async function load(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

/** A TCP proxy that plays a Service: round robin over backends that are marked ready. */
function serviceProxy(backends: Array<{ port: number; ready: boolean }>): Promise<{ port: number; close(): void }> {
  let next = 0;
  const server = net.createServer((client) => {
    const ready = backends.filter((b) => b.ready);
    if (ready.length === 0) return client.destroy();
    const b = ready[next++ % ready.length]!;
    const upstream = net.connect(b.port, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as net.AddressInfo).port, close: () => server.close() })));
}

async function main(): Promise<void> {
  say(`## kordon webhook (bench/webhook.ts)`);
  say('');
  say(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; other helpers were loading the same 2 cores during the run.`);
  say('');

  // 0. the CPU one review costs (in process, no HTTP): what 500 req/s needs of the 2 cores
  {
    const settings = { controls: allControls.filter((c) => c.phases.includes('deploy')) };
    const body = JSON.parse(review(0));
    for (let i = 0; i < 300; i++) reviewAdmission(body, 'validate', settings);
    const N = 2000;
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) reviewAdmission(body, 'validate', settings);
    const wall = Number(process.hrtime.bigint() - t0) / 1e6 / N;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000 / N;
    say(`### One review in process (${N} reviews of the Deployment, ${settings.controls.length} controls, no HTTP)`);
    say('');
    say(`CPU ${f(cpuMs)} ms per review (wall ${f(wall)} ms on the loaded machine): one core answers at most ${Math.floor(1000 / cpuMs)} reviews/s.`);
    say('');
  }

  // 1. inside the server
  const port = await freePort();
  const one = await startReplica(port);
  let uid = 0;
  for (const mode of ['validate', 'mutate'] as const) {
    one.times.length = 0;
    const r = await load({
      url: `https://127.0.0.1:${port}/${mode}`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: review(++uid),
      connections: 20,
      overallRate: RATE,
      duration: DURATION,
      tlsOptions: { ca: caPem, servername: 'localhost' },
    } as autocannon.Options);
    say(`### /${mode} at ${RATE} req/s for ${DURATION} s (one process, 20 connections)`);
    say('');
    say(`| measure | p50 ms | p99 ms | max ms | requests | errors / non-2xx |`);
    say(`|---|---|---|---|---|---|`);
    say(`| inside the server (decision log) | ${f(pct(one.times, 50))} | ${f(pct(one.times, 99))} | ${f(Math.max(...one.times))} | ${one.times.length} | |`);
    say(`| client (autocannon, TLS + loopback) | ${f(r.latency.p50)} | ${f(r.latency.p99)} | ${f(r.latency.max)} | ${r.requests.total} | ${r.errors} / ${r.non2xx} |`);
    say('');
  }
  await stopReplica(one);

  // 2. end to end through the real API server, and 3. a replica restart under load
  const cp = await startControlPlane();
  try {
    const agentOpts = { ca: readFileSync(cp.caFile), cert: readFileSync(cp.credentials['admin']!.certFile!), key: readFileSync(cp.credentials['admin']!.keyFile!) };
    await apiRequest(cp, 'admin', 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { generateName: 'web-', namespace: 'shop', labels: { app: 'web' } },
      spec: (deployment('web', 'shop') as { spec: { template: { spec: unknown } } }).spec.template.spec,
    };
    const e2e = async (label: string, seconds: number): Promise<autocannon.Result> => {
      const r = await load({
        url: `${cp.server}/api/v1/namespaces/shop/pods?dryRun=All`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(pod),
        connections: 10,
        overallRate: E2E_RATE,
        duration: seconds,
        tlsOptions: agentOpts,
      } as autocannon.Options);
      say(`| ${label} | ${f(r.latency.p50)} | ${f(r.latency.mean)} | ${f(r.latency.p99)} | ${r.requests.total} | ${r.errors} / ${r.non2xx} |`);
      return r;
    };
    say(`### End to end: pod creations through the real kube-apiserver (server-side dry run) at ${E2E_RATE} req/s, 10 connections`);
    say('');
    say(`| setup | p50 ms | mean ms | p99 ms | requests | errors / non-2xx |`);
    say(`|---|---|---|---|---|---|`);
    await e2e('no webhook', DURATION);

    const backends = [
      { port: await freePort(), ready: false },
      { port: await freePort(), ready: false },
    ];
    const replicas: Replica[] = [];
    for (const b of backends) {
      replicas.push(await startReplica(b.port));
      b.ready = true;
    }
    const proxy = await serviceProxy(backends);
    for (const cfg of webhookConfigurations({ caBundle: caPem.toString('utf8'), url: `https://localhost:${proxy.port}`, name: 'kordon-bench', timeoutSeconds: 5 })) {
      const plural = cfg['kind'] === 'MutatingWebhookConfiguration' ? 'mutatingwebhookconfigurations' : 'validatingwebhookconfigurations';
      const r = await apiRequest(cp, 'admin', 'POST', `/apis/admissionregistration.k8s.io/v1/${plural}`, cfg);
      if (r.status !== 201) throw new Error(r.text);
    }
    // wait until the API server calls the webhooks
    const started = replicas.map((r) => r.times.length).reduce((a, b) => a + b, 0);
    for (let i = 0; i < 200; i++) {
      await apiRequest(cp, 'admin', 'POST', '/api/v1/namespaces/shop/pods?dryRun=All', pod);
      if (replicas.map((r) => r.times.length).reduce((a, b) => a + b, 0) > started) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await e2e('validating + mutating webhook, 2 replicas', DURATION);

    // 3. restart each replica in turn under load
    const restartSeconds = Math.max(30, DURATION);
    const loadDone = e2e(`the same while each replica restarts in turn (${restartSeconds} s)`, restartSeconds);
    for (const [i, b] of backends.entries()) {
      await new Promise((r) => setTimeout(r, (restartSeconds * 1000) / 4));
      // the pod is terminating: readiness fails, the endpoints drop it, SIGTERM starts the drain
      b.ready = false;
      await stopReplica(replicas[i]!);
      replicas[i] = await startReplica(b.port);
      b.ready = true;
    }
    const restart = await loadDone;
    say('');
    say(`Failed admissions while a replica restarted: ${restart.errors + restart.non2xx} of ${restart.requests.total}.`);
    proxy.close();
    for (const r of replicas) await stopReplica(r);
  } finally {
    await cp.stop();
  }
  mkdirSync(path.dirname(OUT), { recursive: true });
  writeFileSync(OUT, lines.join('\n') + '\n');
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
});
