/**
 * Truth table: each folder in test/fixtures/network/ holds objects (YAML) and expected.txt, the
 * exact connection list written by hand from the Kubernetes semantics the scenario covers.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Inventory } from '../../src/inventory/inventory.js';
import { loadManifests } from '../../src/sources/manifests/load.js';
import { computeReachability, formatConnections, ReachabilityEngine } from '../../src/network/reach.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/network');

export async function loadScenario(dir: string): Promise<Inventory> {
  const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).map((f) => path.join(dir, f));
  const loaded = await loadManifests(files);
  assert.deepEqual(loaded.problems, [], `${dir}: fixture must load cleanly`);
  return new Inventory(loaded.objects, loaded.problems, loaded.locator);
}

describe('network reachability truth table', () => {
  const scenarios = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  it('has scenarios', () => assert.ok(scenarios.length >= 10));
  for (const name of scenarios) {
    it(name, async () => {
      const inv = await loadScenario(path.join(root, name));
      const expected = readFileSync(path.join(root, name, 'expected.txt'), 'utf8');
      const actual = formatConnections(computeReachability(inv).connections);
      assert.equal(actual, expected);
    });
  }
});

describe('explain', () => {
  it('names the deciding rules on both sides', async () => {
    const inv = await loadScenario(path.join(root, '10-egress-and-ingress-both'));
    const engine = new ReachabilityEngine(inv);
    const [front] = engine.findPeer('r/front');
    const [back] = engine.findPeer('r/back[Pod]');
    assert.ok(front && back);
    const e = engine.explain(front, back);
    assert.equal(e.allowed.toString(), 'TCP 443');
    assert.equal(e.egress?.allowed.toString(), 'TCP 80,443');
    assert.equal(e.ingress?.allowed.toString(), 'TCP 443,8443');
    assert.deepEqual(e.egress?.isolatedBy, ['NetworkPolicy r/front-egress']);
    assert.ok(e.ingress?.steps.some((s) => s.policy === 'NetworkPolicy r/back-ingress' && s.pointer === '/spec/ingress/0'));
  });

  it('reports Pass and Deny steps of admin policies', async () => {
    const inv = await loadScenario(path.join(root, '12-admin-policies'));
    const engine = new ReachabilityEngine(inv);
    const [web] = engine.findPeer('app/web');
    const [db] = engine.findPeer('app/db');
    const [prom] = engine.findPeer('mon/prom');
    const viaPass = engine.explain(web!, db!);
    assert.equal(viaPass.allowed.toString(), 'TCP 5432');
    assert.ok(viaPass.ingress?.steps.some((s) => s.action === 'Pass' && s.policy.startsWith('AdminNetworkPolicy db-guard')));
    const denied = engine.explain(prom!, db!);
    assert.equal(denied.allowed.toString(), 'TCP 9090');
    assert.ok(denied.ingress?.steps.some((s) => s.action === 'Deny' && s.rule?.includes('ingress[1]')));
  });

  it('finds the external range holding an address', async () => {
    const inv = await loadScenario(path.join(root, '07-ipblock-except'));
    const engine = new ReachabilityEngine(inv);
    const [meta] = engine.findPeer('169.254.169.254');
    assert.equal(meta?.display, '169.254.169.254-169.254.169.254[External]');
    const [app] = engine.findPeer('n/app');
    assert.equal(engine.explain(app!, meta!).allowed.toString(), 'No Connections');
    const [inside] = engine.findPeer('10.3.0.1');
    assert.equal(engine.explain(inside!, app!).allowed.toString(), 'TCP 443');
  });
});

describe('workload model', () => {
  it('drops pods and replica sets whose controller is in the inventory', () => {
    const objects = [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'a' }, spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c' }] } } } },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1', namespace: 'a', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }] }, spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c' }] } } } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1-x', namespace: 'a', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1' }] }, spec: { containers: [{ name: 'c' }] } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', namespace: 'a', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'gone' }] }, spec: { containers: [{ name: 'c' }] } },
    ];
    const inv = new Inventory(objects.map((object, i) => ({ object, origin: { source: 'mem', documentIndex: i, itemPointer: '', line: 1, column: 1 } })));
    const r = computeReachability(inv);
    assert.deepEqual(r.model.workloads.map((w) => w.display), ['a/orphan[Pod]', 'a/web[Deployment]']);
  });
});
