/**
 * Context on a log shaped like a real cluster's (test/corpus/audit/context.jsonl) with its
 * inventory (test/corpus/audit/shop-inventory: an exposed shop whose service account can exec
 * into any pod, a privileged node agent in kube-system, a sandbox namespace):
 * severity from what the actor reaches, bindings judged by the paths they open, and
 * `audit usage` with unused grants ranked by attack paths.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it, before } from 'node:test';
import { loadInventory } from '../../src/scan.js';
import type { Inventory } from '../../src/inventory/inventory.js';
import { auditPaths } from '../../src/audit/run.js';
import { UsageCollector, unusedGrants } from '../../src/audit/usage.js';
import { runCli } from '../support/cli.js';

const CORPUS = path.join(import.meta.dirname, '..', 'corpus', 'audit');
const LOG = path.join(CORPUS, 'context.jsonl');
let inv: Inventory;

describe('audit context from an inventory', () => {
  before(async () => {
    inv = (await loadInventory([path.join(CORPUS, 'shop-inventory')], {})).inventory;
  });

  it('a ClusterRoleBinding to cluster-admin opens a path: critical; the same role bound in the sandbox namespace opens none: low', async () => {
    const r = await auditPaths([LOG], { inventory: inv });
    const ci = r.detections.find((d) => d.id === 'KOR-0914' && d.objects[0]?.name === 'ci-admin')!;
    const play = r.detections.find((d) => d.id === 'KOR-0914' && d.objects[0]?.name === 'play-admin')!;
    assert.equal(ci.severity, 'critical');
    assert.equal(ci.context.baseSeverity, 'high');
    assert.deepEqual(ci.context.opens?.categories, ['cluster-admin']);
    assert.equal(play.severity, 'low');
    assert.equal(play.context.opens?.paths, 0);
    // without the inventory both are what the log alone says
    const bare = await auditPaths([LOG]);
    assert.deepEqual(bare.detections.filter((d) => d.id === 'KOR-0914').map((d) => d.severity).sort(), ['high', 'medium']);
  });

  it('one root cause, one detection: the binding is KOR-0914, naming KOR-0923', async () => {
    const r = await auditPaths([LOG]);
    assert.equal(r.detections.filter((d) => d.objects[0]?.name === 'ci-admin').length, 1);
    assert.deepEqual(r.detections.find((d) => d.objects[0]?.name === 'ci-admin')?.context.details.also, ['KOR-0923']);
  });

  it('the same secret read is high by a service account that reaches the nodes, low by one granted nothing', async () => {
    const r = await auditPaths([LOG], { inventory: inv });
    const reads = r.detections.filter((d) => d.id === 'KOR-0918');
    const app = reads.find((d) => d.actor.username === 'system:serviceaccount:shop:app')!;
    const play = reads.find((d) => d.actor.username === 'system:serviceaccount:sandbox:play')!;
    assert.equal(app.severity, 'high');
    assert.ok(app.context.reach!.pathsToCrownJewels > 0);
    assert.match(app.context.reasons.join(' '), /reaches node/);
    assert.equal(play.severity, 'low');
  });

  it('usage: per identity, what was done; unused grants ranked by the attack paths their bindings open', async () => {
    const usage = new UsageCollector();
    await auditPaths([LOG], { usage, skip: () => true });
    const report = usage.report();
    const app = report.identities.find((i) => i.username === 'system:serviceaccount:shop:app')!;
    assert.equal(app.kind, 'serviceaccount');
    assert.deepEqual(app.rules.map((r) => [r.resource, r.namespace, r.verbs.join(','), r.names]), [
      ['pods', 'shop', 'get,list', null],
      ['secrets', 'shop', 'get', ['db']],
    ]);
    const grants = unusedGrants(report, inv).filter((g) => g.identity === app.username);
    assert.equal(grants[0]?.resource, 'pods/exec');
    assert.equal(grants[0]?.severity, 'high');
    assert.ok(grants[0]!.attackPaths > 0);
    assert.deepEqual(grants[0]?.from, ['ClusterRoleBinding//app-pod-debugger']);
    const list = grants.find((g) => g.resource === 'secrets');
    assert.deepEqual(list?.unusedVerbs, ['list']);
    // used verbs are never reported unused
    assert.ok(!grants.some((g) => g.resource === 'secrets' && g.unusedVerbs.includes('get')));
  });

  it('the CLI: --inventory in every format, usage as JSON', async () => {
    for (const format of ['pretty', 'json', 'jsonl', 'sarif', 'junit', 'markdown', 'html']) {
      const r = await runCli(['audit', LOG, '--inventory', path.join(CORPUS, 'shop-inventory'), '--format', format]);
      assert.equal(r.code, 0, r.err);
      assert.ok(r.out.includes('ci-admin'), format);
      assert.ok(!r.out.includes('c2hvcC1wYXNzd29yZA'), 'a secret value from the inventory');
    }
    const a = await runCli(['audit', LOG, '--inventory', path.join(CORPUS, 'shop-inventory'), '--format', 'json']);
    const b = await runCli(['audit', LOG, '--inventory', path.join(CORPUS, 'shop-inventory'), '--format', 'json']);
    assert.equal(a.out, b.out, 'byte-identical JSON');
    const u = JSON.parse((await runCli(['audit', 'usage', LOG, '--inventory', path.join(CORPUS, 'shop-inventory'), '--format', 'json'])).out);
    assert.equal(u.kind, 'audit-usage');
    assert.ok(u.unusedGrants.length >= 2);
    const fail = await runCli(['audit', LOG, '--fail-on', 'critical', '--inventory', path.join(CORPUS, 'shop-inventory')]);
    assert.equal(fail.code, 1);
    const stream = await runCli(['audit', LOG, '--stream', '--inventory', path.join(CORPUS, 'shop-inventory')]);
    const lines = stream.out.trim().split('\n').map((l) => JSON.parse(l) as { type: string; id?: string; severity?: string; objects?: Array<{ name?: string }> });
    assert.equal(lines.find((l) => l.type === 'detection' && l.id === 'KOR-0914' && l.objects?.[0]?.name === 'ci-admin')?.severity, 'critical');
    assert.equal(lines[lines.length - 1]?.type, 'summary');
    const bad = await runCli(['audit', LOG, '--detections', 'KOR-9999']);
    assert.equal(bad.code, 2);
  });
});
