/**
 * Benchmark: a cluster with ~10k objects in the real test API server; time and peak memory of
 * `kordon snapshot --cluster` and `kordon scan --cluster` (and of scanning the snapshot).
 *
 *   npm run build && node --import tsx bench/cluster.ts [--objects 10000]
 *
 * Prints a Markdown table for BENCHMARKS.md.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { apiRequest, startControlPlane } from '../test/support/controlplane.js';
import { collectionPath } from '../test/support/apply.js';
import type { K8sObject } from '../src/inventory/types.js';

const total = Number(process.argv[process.argv.indexOf('--objects') + 1] || 10000) || 10000;
const NAMESPACES = 50;

function objectsFor(n: number): K8sObject[] {
  const out: K8sObject[] = [];
  for (let i = 0; i < NAMESPACES; i++) out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `bench-${i}` } });
  for (let i = 0; out.length < n; i++) {
    const ns = `bench-${i % NAMESPACES}`;
    const name = `app-${i}`;
    const labels = { app: name, tier: i % 3 === 0 ? 'web' : 'backend' };
    switch (i % 5) {
      case 0:
        out.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns, labels }, spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: i % 2 ? 'nginx:latest' : 'registry.example.com/app:1.2.3', ports: [{ containerPort: 8080 }], env: [{ name: 'MODE', value: 'prod' }] }] } } } });
        break;
      case 1:
        out.push({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] } });
        break;
      case 2:
        out.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { 'config.yaml': `level: info\nitem: ${i}\n`.repeat(4) } });
        break;
      case 3:
        out.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace: ns }, rules: [{ apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['get', 'list'] }] });
        break;
      default:
        out.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name, namespace: ns }, subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: ns }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `app-${i - 1}` } });
    }
  }
  return out;
}

async function load(cp: Awaited<ReturnType<typeof startControlPlane>>, objects: K8sObject[]): Promise<void> {
  const nsFirst = objects.filter((o) => o.kind === 'Namespace');
  for (const o of nsFirst) await apiRequest(cp, 'admin', 'POST', collectionPath(o), o);
  const rest = objects.filter((o) => o.kind !== 'Namespace');
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < rest.length) {
        const o = rest[next++]!;
        const r = await apiRequest(cp, 'admin', 'POST', collectionPath(o), o);
        if (r.status >= 300 && r.status !== 409) throw new Error(`${o.kind} ${o.metadata.name}: ${r.status}`);
      }
    }),
  );
}

function timed(args: string[]): { seconds: number; maxRssMiB: number } {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', './bin/kordon', ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [sec, kb] = last.split(' ').map(Number);
  if (!Number.isFinite(sec)) throw new Error(`kordon ${args.join(' ')} failed: ${r.stderr.slice(-500)}`);
  return { seconds: sec!, maxRssMiB: Math.round(kb! / 1024) };
}

async function main(): Promise<void> {
  const cp = await startControlPlane();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-bench-'));
  try {
    const objects = objectsFor(total);
    const t0 = Date.now();
    await load(cp, objects);
    console.error(`loaded ${objects.length} objects in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const kc = cp.adminKubeconfig;
    const snap = path.join(tmp, 'snap.json.gz');
    const rows: Array<[string, { seconds: number; maxRssMiB: number }]> = [];
    rows.push(['kordon snapshot --cluster -o snap.json.gz', timed(['snapshot', '--cluster', '--kubeconfig', kc, '-o', snap, '-q'])]);
    rows.push(['kordon scan --cluster -f json', timed(['scan', '--cluster', '--kubeconfig', kc, '-f', 'json', '-o', path.join(tmp, 'live.json'), '-q'])]);
    rows.push(['kordon scan snap.json.gz -f json', timed(['scan', snap, '-f', 'json', '-o', path.join(tmp, 'offline.json')])]);
    const cpu = execFileSync('sh', ['-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], { encoding: 'utf8' }).trim();
    console.log(`Machine: ${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, kube-apiserver ${cp.kubernetesVersion} on loopback.`);
    console.log(`Objects created: ${objects.length} (plus the API server's own); snapshot size ${(statSync(snap).size / 2 ** 20).toFixed(1)} MiB gzip.\n`);
    console.log('| command | wall time (s) | peak RSS (MiB) |\n|---|---|---|');
    for (const [name, r] of rows) console.log(`| \`${name}\` | ${r.seconds.toFixed(2)} | ${r.maxRssMiB} |`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    await cp.stop();
  }
}

await main();
