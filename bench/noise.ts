/**
 * De-duplication, measured (docs/deduplication.md, BENCHMARKS.md "Findings per corpus").
 *
 *   node --import tsx bench/noise.ts              findings before/after per corpus of test/corpus/noise/
 *   node --import tsx bench/noise.ts --scale 1    also a live-cluster shape at scale: 10,000 namespaces,
 *                                                 each 5 Deployments x 3 replicas (ReplicaSets and pods
 *                                                 as the API server returns them): 150,000 pods; the
 *                                                 controls with and without de-duplication, timed
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Inventory } from '../src/inventory/inventory.js';
import type { K8sObject, Origin } from '../src/inventory/types.js';
import { runControls } from '../src/engine/run.js';
import { allControls } from '../src/controls/index.js';
import { templateOwnersOf } from '../src/inventory/owners.js';
import { measureNoise } from '../test/support/noise.js';

const args = process.argv.slice(2);
const dir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../test/corpus/noise');

console.log('| corpus | lines | findings before | after | removed: superseded | repeated | said by the template owner | owner passes | lost |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
const root = path.resolve(dir, '../../..');
const inputs = [...readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => path.join(dir, f)), path.join(root, 'examples/shop')];
for (const file of inputs) {
  const m = await measureNoise([file]);
  const n = (how: string) => m.removed.filter((r) => r.how === how).length;
  const files = statSync(file).isDirectory() ? readdirSync(file).map((f) => path.join(file, f)) : [file];
  const lines = files.reduce((k, f) => k + readFileSync(f, 'utf8').split('\n').length - 1, 0);
  const name = path.relative(root, file);
  console.log(`| ${name} | ${lines} | ${m.before} | ${m.after} (−${Math.round((100 * (m.before - m.after)) / m.before)}%) | ${n('related')} | ${n('repeat')} | ${n('owner')} | ${n('owner-passed')} | ${n('lost')} |`);
}

if (args.includes('--scale')) {
  const scale = Number(args[args.indexOf('--scale') + 1] ?? 1) || 1;
  const NAMESPACES = Math.round(10000 * scale);
  const objects: Array<{ object: K8sObject; origin: Origin }> = [];
  const push = (object: K8sObject) => objects.push({ object, origin: { source: 'bench', documentIndex: objects.length, itemPointer: '', line: 1, column: 1 } });
  for (let i = 0; i < NAMESPACES; i++) {
    const ns = `ns-${String(i).padStart(5, '0')}`;
    push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    for (let d = 0; d < 5; d++) {
      const name = `app-${d}`;
      const container = { name: 'main', image: `registry.example.com/app-${i % 200}:1.${d}`, imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }], ...(i % 97 === 0 && d === 0 ? { securityContext: { privileged: true } } : {}) };
      const spec = { containers: [container], dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {}, serviceAccountName: 'app', terminationGracePeriodSeconds: 30 };
      const hash = `h${i}x${d}`;
      const duid = `d-${i}-${d}`;
      const ruid = `r-${i}-${d}`;
      push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns, uid: duid }, spec: { replicas: 3, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec } } });
      push({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: `${name}-${hash}`, namespace: ns, uid: ruid, labels: { app: name, 'pod-template-hash': hash }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: duid, controller: true }] }, spec: { replicas: 3, selector: { matchLabels: { app: name, 'pod-template-hash': hash } }, template: { metadata: { labels: { app: name, 'pod-template-hash': hash } }, spec } } });
      for (let p = 0; p < 3; p++) {
        const vol = `kube-api-access-${i}${d}${p}`;
        push({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `${name}-${hash}-${p}`, namespace: ns, labels: { app: name, 'pod-template-hash': hash }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${name}-${hash}`, uid: ruid, controller: true }] },
          spec: { ...spec, containers: [{ ...container, volumeMounts: [{ name: vol, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }] }], nodeName: `node-${(i * 15 + d * 3 + p) % 5000}`, serviceAccount: 'app', enableServiceLinks: true, priority: 0, preemptionPolicy: 'PreemptLowerPriority', tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }], volumes: [{ name: vol, projected: { defaultMode: 420, sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3607 } }] } }] },
          status: { phase: 'Running' },
        });
      }
    }
  }
  // CPU time (user + system) as well as wall time: the machine may be shared.
  const cpu = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const inv = new Inventory(objects);
  const c0 = cpu();
  const t0 = performance.now();
  const owners = templateOwnersOf(inv);
  const c1 = cpu();
  const t1 = performance.now();
  const on = runControls(inv, allControls, { now: new Date('2026-01-01T00:00:00Z') });
  const c2 = cpu();
  const t2 = performance.now();
  const onCount = on.findings.length;
  on.findings.length = 0;
  const c3 = cpu();
  const t3 = performance.now();
  const off = runControls(new Inventory(objects), allControls, { now: new Date('2026-01-01T00:00:00Z'), dedupe: false });
  const c4 = cpu();
  const t4 = performance.now();
  const s = (a: number, b: number) => ((b - a) / 1000).toFixed(1);
  console.log('');
  console.log(`objects ${objects.length}, judged through an owner ${owners.covered}`);
  console.log(`owner index: ${(c1 - c0).toFixed(1)} s CPU (${s(t0, t1)} s wall)`);
  console.log(`controls with de-duplication (owner index included): ${(c2 - c0).toFixed(1)} s CPU (${s(t0, t2)} s wall), ${onCount} findings`);
  console.log(`controls without: ${(c4 - c3).toFixed(1)} s CPU (${s(t3, t4)} s wall), ${off.findings.length} findings`);
  console.log(`RSS at the end ${Math.round(process.memoryUsage().rss / 1048576)} MiB`);
}
