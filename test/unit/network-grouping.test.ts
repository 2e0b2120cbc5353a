/**
 * `netpol reach` grouped: pods under their controlling owner, adjacent address ranges with the
 * same connections merged, a summary first; `--per-pod` the per-pod view. The grouped view must
 * say exactly what the per-pod view says: expanding every grouped line to its members gives the
 * per-pod lines, on every truth-table scenario and corpus.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Inventory } from '../../src/inventory/inventory.js';
import type { K8sObject } from '../../src/inventory/types.js';
import { loadManifests } from '../../src/sources/manifests/load.js';
import { formatConnections, ReachabilityEngine } from '../../src/network/reach.js';
import { formatGroupedReach, groupReachability, type GroupedReach } from '../../src/network/grouping.js';
import { parseCidr, parseAddress } from '../../src/network/ip.js';
import { runCli } from './graph-support.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const CLUSTER_READ = path.join(root, 'corpus/graph/cluster-read');

async function load(dir: string): Promise<Inventory> {
  const loaded = await loadManifests([dir]);
  return new Inventory(loaded.objects, loaded.problems, loaded.locator);
}

/** The per-pod lines a grouped view stands for. */
function expand(r: GroupedReach): string[] {
  const members = new Map(r.groups.map((g) => [g.display, g.members]));
  // a group's members, or a member listed by itself
  const of = (display: string): string[] => members.get(display) ?? [display];
  const out: string[] = [];
  for (const c of r.connections) {
    for (const s of of(c.src)) for (const d of of(c.dst)) if (s !== d) out.push(`${s} => ${d} : ${c.ports.toString()}`);
  }
  return out.sort();
}

const perPod = (engine: ReachabilityEngine): string[] => formatConnections(engine.connections()).split('\n').filter(Boolean).sort();

describe('netpol reach grouping', () => {
  it('a cluster read: owners, merged ranges, the summary first', async () => {
    const inv = await load(CLUSTER_READ);
    const engine = new ReachabilityEngine(inv);
    const r = groupReachability(engine, engine.connections());
    assert.equal(
      formatGroupedReach(r),
      [
        '5 workloads (8 pods and pod templates): 1 unrestricted in ingress, 1 unrestricted in egress; 14 allowed pairs',
        '0.0.0.0-9.255.255.255[External] => monitoring/prometheus-k8s[StatefulSet] : All Connections',
        '0.0.0.0-9.255.255.255[External] => shop/web[Deployment] : TCP 8080',
        '10.0.0.0-10.255.255.255[External] => monitoring/prometheus-k8s[StatefulSet] : All Connections',
        '10.0.0.0-10.255.255.255[External] => shop/web[Deployment] : TCP 8080',
        '11.0.0.0-255.255.255.255[External] => monitoring/prometheus-k8s[StatefulSet] : All Connections',
        '11.0.0.0-255.255.255.255[External] => shop/web[Deployment] : TCP 8080',
        'monitoring/prometheus-k8s[StatefulSet] => 0.0.0.0-9.255.255.255[External] : All Connections',
        'monitoring/prometheus-k8s[StatefulSet] => 10.0.0.0-10.255.255.255[External] : All Connections',
        'monitoring/prometheus-k8s[StatefulSet] => 11.0.0.0-255.255.255.255[External] : All Connections',
        'monitoring/prometheus-k8s[StatefulSet] => monitoring/prometheus-k8s[StatefulSet] : All Connections',
        'monitoring/prometheus-k8s[StatefulSet] => shop/web[Deployment] : TCP 8080',
        'shop/api[Deployment] => 10.0.0.0-10.255.255.255[External] : TCP 443',
        'shop/api[Deployment] => shop/db[StatefulSet] : TCP 5432',
        'shop/web[Deployment] => shop/api[Deployment] : TCP 9000',
        '',
      ].join('\n'),
    );
    // the orphan pod of a ReplicaSet not read goes under its Deployment; operator-made pods under their StatefulSet
    const groups = Object.fromEntries(r.groups.map((g) => [g.display, g.members]));
    assert.deepEqual(groups['shop/api[Deployment]'], ['shop/api-5c7d8f9b6-abcde[Pod]', 'shop/api[Deployment]']);
    assert.deepEqual(groups['monitoring/prometheus-k8s[StatefulSet]'], ['monitoring/prometheus-k8s-0[Pod]', 'monitoring/prometheus-k8s-1[Pod]']);
    assert.deepEqual(groups['10.0.0.0-10.255.255.255[External]'], ['10.0.0.0-10.0.255.255[External]', '10.1.0.0-10.255.255.255[External]']);
    assert.deepEqual(expand(r), perPod(engine));
  });

  it('members that differ are listed one by one, never merged', async () => {
    const pod = (name: string): K8sObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'd', labels: { app: 'db', 'statefulset.kubernetes.io/pod-name': name }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'u', controller: true }] }, spec: { containers: [{ name: 'c', image: 'pg:16', ports: [{ containerPort: 5432 }] }] } });
    const client: K8sObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client', namespace: 'd', labels: { app: 'client' } }, spec: { containers: [{ name: 'c', image: 'c:1' }] } };
    // only the primary db-0 accepts the client
    const np: K8sObject = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'replicas', namespace: 'd' }, spec: { podSelector: { matchLabels: { 'statefulset.kubernetes.io/pod-name': 'db-1' } }, policyTypes: ['Ingress'] } };
    const origin = { source: 'x.yaml', line: 1, column: 1 } as never;
    const inv = new Inventory([pod('db-0'), pod('db-1'), client, np].map((object) => ({ object, origin })));
    const engine = new ReachabilityEngine(inv);
    const r = groupReachability(engine, engine.connections());
    const text = formatGroupedReach(r);
    assert.match(text, /^d\/client\[Pod\] => d\/db-0\[Pod\] : All Connections$/m);
    assert.doesNotMatch(text, /=> d\/db-1\[Pod\]/);
    assert.doesNotMatch(text, /d\/client\[Pod\] => d\/db\[StatefulSet\]/);
    assert.match(text, /^d\/db\[StatefulSet\] => d\/client\[Pod\] : All Connections$/m);
    assert.deepEqual(expand(r), perPod(engine));
  });

  it('says exactly what the per-pod view says on every scenario and corpus', async () => {
    const dirs = [
      ...readdirSync(path.join(root, 'fixtures/network'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => path.join(root, 'fixtures/network', d.name)),
      ...['goat', 'microservices-demo', 'argo-cd', 'cluster-read'].map((c) => path.join(root, 'corpus/graph', c)),
    ];
    for (const dir of dirs) {
      const engine = new ReachabilityEngine(await load(dir));
      const r = groupReachability(engine, engine.connections());
      assert.deepEqual(expand(r), perPod(engine), dir);
      // merged ranges are contiguous pieces
      for (const g of r.groups.filter((x) => x.type === 'external')) {
        const [lo] = g.display.replace('[External]', '').split('-');
        assert.ok(parseAddress(lo!) !== undefined || parseCidr(lo!) !== undefined, g.display);
      }
    }
  });

  it('the CLI: summary first, --per-pod the per-pod view, JSON grouped with the per-pod data behind the option', async () => {
    const text = await runCli(['netpol', 'reach', CLUSTER_READ]);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^5 workloads \(8 pods and pod templates\): 1 unrestricted in ingress, 1 unrestricted in egress; 14 allowed pairs\n/);
    const pods = await runCli(['netpol', 'reach', CLUSTER_READ, '--per-pod']);
    const engine = new ReachabilityEngine(await load(CLUSTER_READ));
    assert.equal(pods.stdout, formatConnections(engine.connections()));
    const json = JSON.parse((await runCli(['netpol', 'reach', CLUSTER_READ, '--format', 'json'])).stdout);
    assert.deepEqual(Object.keys(json), ['summary', 'workloads', 'connections', 'partial', 'problems']);
    assert.equal(json.partial, false);
    assert.deepEqual(json.summary, { workloads: 5, pods: 8, unrestrictedIngress: 1, unrestrictedEgress: 1, pairs: 14, text: '5 workloads (8 pods and pod templates): 1 unrestricted in ingress, 1 unrestricted in egress; 14 allowed pairs' });
    assert.deepEqual(json.connections[13], { src: 'shop/web[Deployment]', dst: 'shop/api[Deployment]', conn: 'TCP 9000', ports: { TCP: ['9000'] } });
    const withPods = JSON.parse((await runCli(['netpol', 'reach', CLUSTER_READ, '--format', 'json', '--per-pod'])).stdout);
    assert.equal(withPods.podConnections.length, perPod(engine).length);
    assert.deepEqual(withPods.connections, json.connections);
  });

  it('the output is written in pieces, with the same bytes as one JSON.stringify (every pair of a large cluster is more than one string holds)', async () => {
    // 150 pods without any policy: 22,500 allowed pairs, written 4,096 lines / 512 elements at a time
    const objects: K8sObject[] = Array.from({ length: 150 }, (_, i) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: `ns${i % 7}`, labels: { app: `a${i}` } }, spec: { containers: [{ name: 'c', image: 'registry.example/x:1' }] }, status: { podIP: `10.1.${i >> 8}.${i & 255}` } }));
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kordon-reach-'));
    try {
      writeFileSync(path.join(dir, 'pods.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
      const engine = new ReachabilityEngine(await load(dir));
      const conns = engine.connections();
      assert.ok(conns.length >= 22_500, String(conns.length));
      const text = await runCli(['netpol', 'reach', dir, '--per-pod']);
      assert.equal(text.stdout, formatConnections(conns));
      const json = await runCli(['netpol', 'reach', dir, '--per-pod', '-f', 'json']);
      const parsed = JSON.parse(json.stdout) as Record<string, unknown>;
      assert.equal(json.stdout, JSON.stringify(parsed, null, 2) + '\n', 'pretty-printed exactly as JSON.stringify would');
      assert.equal((parsed['podConnections'] as unknown[]).length, conns.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
