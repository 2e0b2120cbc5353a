/**
 * Audit benchmarks (docs/audit.md, BENCHMARKS.md "Audit logs"):
 *
 *   node --import tsx bench/audit.ts stream [--events 1000000] [--file PATH]
 *     writes a realistic JSON-lines log (controllers' gets/lists/watches at Metadata level, pod,
 *     deployment, configmap and secret writes at RequestResponse with their objects, execs that
 *     stop at ResponseStarted, bindings, refusals, duplicates), then runs `kordon audit FILE
 *     --format json` on it in a child process and reports wall time and peak RSS.
 *
 *   node --import tsx bench/audit.ts receiver [--rate 2000] [--seconds 20] [--batch 100] [--warmup 2]
 *     starts the webhook receiver (TLS, token) and posts EventLists at the rate over keep-alive
 *     TLS connections, from the same process (client and receiver share its CPU), measuring the
 *     time from sending each batch to its answer (TLS, spool + fsync), and checks every accepted
 *     event was judged.
 */
import { spawn, execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync, readFileSync, existsSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { prng } from '../test/support/prng.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.join(HERE, '..');
const args = process.argv.slice(2);
const mode = args[0];
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
};

const NAMESPACES = Array.from({ length: 40 }, (_, i) => `team-${i}`);
const CONTROLLERS = ['system:kube-controller-manager', 'system:kube-scheduler', 'system:serviceaccount:kube-system:replicaset-controller', 'system:serviceaccount:kube-system:endpointslice-controller', 'system:node:node-1', 'system:node:node-2'];

function uuid(r: () => number): string {
  const h = (n: number): string => Math.floor(r() * 16 ** n).toString(16).padStart(n, '0');
  return `${h(8)}-${h(4)}-4${h(3)}-a${h(3)}-${h(12)}`;
}

/** One event line (≈1.5 KB on average over the mix). */
export function* generateEvents(n: number, seed = 42): Generator<string> {
  const r = prng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  let t = Date.parse('2026-12-07T00:00:00Z');
  let last = '';
  for (let i = 0; i < n; i++) {
    t += Math.floor(r() * 20);
    const ts = new Date(t).toISOString().replace('Z', '000Z');
    const ns = pick(NAMESPACES);
    const id = uuid(r);
    const x = r();
    const base = (level: string, stage: string, verb: string, user: string, groups: string[], ref: object, code: number, uri: string): Record<string, unknown> => ({
      kind: 'Event', apiVersion: 'audit.k8s.io/v1', level, auditID: id, stage, requestURI: uri, verb,
      user: { username: user, groups, extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${uuid(r)}`] } },
      sourceIPs: ['10.0.0.' + Math.floor(r() * 250)], userAgent: 'kube-controller-manager/v1.35.4 (linux/amd64) kubernetes/abcdef/system:serviceaccount:kube-system:generic-garbage-collector',
      objectRef: ref, responseStatus: { metadata: {}, code }, requestReceivedTimestamp: ts, stageTimestamp: ts,
      annotations: { 'authorization.k8s.io/decision': code === 403 ? 'forbid' : 'allow', 'authorization.k8s.io/reason': code === 403 ? '' : 'RBAC: allowed by ClusterRoleBinding "system:controller:generic-garbage-collector" of ClusterRole "system:controller:generic-garbage-collector" to ServiceAccount "generic-garbage-collector/kube-system"' },
    });
    let e: Record<string, unknown>;
    if (x < 0.55) {
      const res = pick(['pods', 'configmaps', 'endpointslices', 'leases', 'services', 'replicasets']);
      const verb = pick(['get', 'list', 'watch', 'update']);
      e = base('Metadata', 'ResponseComplete', verb, pick(CONTROLLERS), ['system:authenticated'], { resource: res, namespace: ns, name: verb === 'list' || verb === 'watch' ? undefined : `${res}-${Math.floor(r() * 500)}`, apiVersion: 'v1' }, 200, `/api/v1/namespaces/${ns}/${res}`);
    } else if (x < 0.8) {
      const name = `web-${Math.floor(r() * 100000).toString(36)}`;
      const priv = r() < 0.02;
      const pod = {
        kind: 'Pod', apiVersion: 'v1',
        metadata: { name, namespace: ns, labels: { app: 'web', 'pod-template-hash': '7d9f8c6b5' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d9f8c6b5', uid: uuid(r), controller: true }] },
        spec: {
          serviceAccountName: 'web',
          containers: [{ name: 'web', image: 'registry.example/web:2.3.1', ports: [{ containerPort: 8080 }], env: Array.from({ length: 8 }, (_, k) => ({ name: `SETTING_${k}`, value: 'value-' + k })), resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } }, securityContext: priv ? { privileged: true } : { runAsNonRoot: true, allowPrivilegeEscalation: false } }],
        },
      };
      e = { ...base('RequestResponse', 'ResponseComplete', 'create', 'system:serviceaccount:kube-system:replicaset-controller', ['system:serviceaccounts', 'system:authenticated'], { resource: 'pods', namespace: ns, name, apiVersion: 'v1' }, 201, `/api/v1/namespaces/${ns}/pods`), requestObject: pod, responseObject: pod };
    } else if (x < 0.9) {
      const sa = `system:serviceaccount:${ns}:app`;
      const code = r() < 0.1 ? 403 : 200;
      e = base('Metadata', 'ResponseComplete', pick(['get', 'list']), sa, ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'], { resource: 'secrets', namespace: ns, name: 'db', apiVersion: 'v1' }, code, `/api/v1/namespaces/${ns}/secrets/db`);
    } else if (x < 0.96) {
      const cm = { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'settings', namespace: ns }, data: Object.fromEntries(Array.from({ length: 12 }, (_, k) => [`key${k}`, 'x'.repeat(40)])) };
      e = { ...base('RequestResponse', 'ResponseComplete', 'update', `dev-${Math.floor(r() * 30)}`, ['system:authenticated', 'devs'], { resource: 'configmaps', namespace: ns, name: 'settings', apiVersion: 'v1' }, 200, `/api/v1/namespaces/${ns}/configmaps/settings`), requestObject: cm, responseObject: cm };
    } else if (x < 0.98) {
      e = base('Request', 'ResponseStarted', 'create', `dev-${Math.floor(r() * 30)}`, ['system:authenticated', 'devs'], { resource: 'pods', subresource: 'exec', namespace: ns, name: `web-${Math.floor(r() * 1000)}`, apiVersion: 'v1' }, 101, `/api/v1/namespaces/${ns}/pods/web/exec?command=sh&container=web&stdin=true&tty=true`);
    } else {
      const rb = { kind: 'RoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { name: `rb-${i}`, namespace: ns }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: pick(['view', 'edit', 'admin']) }, subjects: [{ kind: 'User', name: `dev-${Math.floor(r() * 30)}`, apiGroup: 'rbac.authorization.k8s.io' }] };
      e = { ...base('RequestResponse', 'ResponseComplete', 'create', 'ops-bot', ['system:authenticated'], { resource: 'rolebindings', namespace: ns, name: `rb-${i}`, apiGroup: 'rbac.authorization.k8s.io', apiVersion: 'v1' }, 201, `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`), requestObject: rb, responseObject: rb };
    }
    const line = JSON.stringify(e);
    yield line;
    // shippers resend: about 0.5% duplicates
    if (r() < 0.005 && last) yield last;
    last = line;
  }
}

async function writeLog(file: string, n: number): Promise<number> {
  const out = createWriteStream(file);
  let buf: string[] = [];
  let size = 0;
  for (const line of generateEvents(n)) {
    buf.push(line);
    if (buf.length >= 2000) {
      const s = buf.join('\n') + '\n';
      size += s.length;
      if (!out.write(s)) await once(out, 'drain');
      buf = [];
    }
  }
  if (buf.length) out.write(buf.join('\n') + '\n');
  out.end();
  await once(out, 'finish');
  return statSync(file).size;
}

async function benchStream(): Promise<void> {
  const n = Number(opt('events', '1000000'));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kordon-bench-audit-'));
  const file = opt('file', path.join(dir, 'audit.log'));
  try {
    const t0 = Date.now();
    const bytes = existsSync(file) && args.includes('--file') ? statSync(file).size : await writeLog(file, n);
    process.stderr.write(`generated ${n} events, ${(bytes / 1e9).toFixed(2)} GB in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    const bin = path.join(ROOT, 'bin', 'kordon');
    const hasTime = existsSync('/usr/bin/time');
    const cmd = hasTime ? '/usr/bin/time' : process.execPath;
    const cargs = hasTime ? ['-f', '%e %U %S %M', bin, 'audit', file, '--format', 'json', '-o', path.join(dir, 'out.json')] : [bin, 'audit', file, '--format', 'json', '-o', path.join(dir, 'out.json')];
    const start = Date.now();
    const child = spawn(cmd, cargs, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    const wall = (Date.now() - start) / 1000;
    const m = /(\d+\.\d+) (\d+\.\d+) (\d+\.\d+) (\d+)\s*$/.exec(err.trim());
    const rssMiB = m ? Number(m[4]) / 1024 : NaN;
    const cpuSeconds = m ? Number(m[2]) + Number(m[3]) : NaN;
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    const report = JSON.parse(readFileSync(path.join(dir, 'out.json'), 'utf8'));
    const result = { events: n, bytes, exitCode: code, wallSeconds: wall, cpuSeconds, loadAverage: load, peakRssMiB: Math.round(rssMiB), mbPerSecond: Math.round(bytes / 1e6 / wall), stats: report.stats };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    if (!args.includes('--file')) rmSync(dir, { recursive: true, force: true });
  }
}

async function benchReceiver(): Promise<void> {
  const rate = Number(opt('rate', '2000'));
  const seconds = Number(opt('seconds', '20'));
  const batch = Number(opt('batch', '100'));
  const { startAuditReceiver } = await import('../src/audit/serve.js');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kordon-bench-receiver-'));
  try {
    const run = (a: string[]): void => void execFileSync('openssl', a, { cwd: dir, stdio: 'ignore' });
    run(['req', '-x509', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
    const token = 'bench-token-' + Math.random().toString(36).slice(2);
    let judged = 0;
    const judgeMs: number[] = [];
    const receiver = await startAuditReceiver({
      host: '127.0.0.1', port: 0, tlsCert: readFileSync(path.join(dir, 'cert.pem')), tlsKey: readFileSync(path.join(dir, 'key.pem')), tokens: [token],
      spoolDir: path.join(dir, 'spool'), onBatch: (b) => { judged += b.events; judgeMs.push(b.judgeMs); },
    });
    // the batches, prepared before the clock starts (as the apiserver has them in memory)
    const lines = [...generateEvents(rate * seconds, 7)];
    const bodies: string[] = [];
    for (let i = 0; i < lines.length; i += batch) bodies.push(`{"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{},"items":[${lines.slice(i, i + batch).join(',')}]}`);
    const agent = new https.Agent({ keepAlive: true, maxSockets: 4, ca: readFileSync(path.join(dir, 'cert.pem')) });
    const latencies: number[] = [];
    let failed = 0;
    const byBatch: number[] = [];
    const post = (body: string, index: number): Promise<void> =>
      new Promise((resolve) => {
        const t0 = performance.now();
        const req = https.request(`${receiver.url}/audit`, { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(body) } }, (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - t0);
            byBatch[index] = performance.now() - t0;
            if (res.statusCode !== 200) failed++;
            resolve();
          });
        });
        req.on('error', () => { failed++; resolve(); });
        req.end(body);
      });
    const interval = (1000 * batch) / rate;
    const start = performance.now();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < bodies.length; i++) {
      const due = start + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      pending.push(post(bodies[i]!, i));
    }
    await Promise.all(pending);
    const sendSeconds = (performance.now() - start) / 1000;
    await receiver.drain();
    const drainSeconds = (performance.now() - start) / 1000;
    await receiver.close();
    agent.destroy();
    const warmupSeconds = Number(opt('warmup', '0'));
    const warmupBatches = Math.min(bodies.length - 1, Math.round((warmupSeconds * rate) / batch));
    const steady = byBatch.slice(warmupBatches).filter((x) => x !== undefined);
    const q = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
    process.stdout.write(`${JSON.stringify({
      targetEventsPerSecond: rate, batchSize: batch, batches: bodies.length, events: lines.length, failed,
      achievedEventsPerSecond: Math.round(lines.length / sendSeconds), judged, allJudgedAfterSeconds: Number(drainSeconds.toFixed(2)),
      batchAnswerMs: { p50: Number(q(latencies, 0.5).toFixed(2)), p99: Number(q(latencies, 0.99).toFixed(2)), max: Number(Math.max(...latencies).toFixed(2)) },
      batchJudgeMs: { p50: Number(q(judgeMs, 0.5).toFixed(2)), p99: Number(q(judgeMs, 0.99).toFixed(2)) },
      // sustained: the batches after the first --warmup seconds (the code is compiled and optimised by then)
      ...(warmupBatches > 0 ? { afterWarmup: { seconds: warmupSeconds, batchAnswerMs: { p50: Number(q(steady, 0.5).toFixed(2)), p99: Number(q(steady, 0.99).toFixed(2)), max: Number(Math.max(...steady).toFixed(2)) }, batchJudgeMs: { p50: Number(q(judgeMs.slice(warmupBatches), 0.5).toFixed(2)), p99: Number(q(judgeMs.slice(warmupBatches), 0.99).toFixed(2)) } } } : {}),
      slowestBatches: byBatch.map((ms, i) => ({ batch: i, ms: Number(ms.toFixed(1)) })).sort((a, b) => b.ms - a.ms).slice(0, 5),
      detections: receiver.stats.detections,
    }, null, 2)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (mode === 'stream') await benchStream();
else if (mode === 'receiver') await benchReceiver();
else {
  process.stderr.write('usage: node --import tsx bench/audit.ts stream|receiver [options]\n');
  process.exit(2);
}
