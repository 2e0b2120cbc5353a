/**
 * `kordon audit serve` as the real kube-apiserver's audit webhook backend
 * (--audit-webhook-config-file, client-certificate authentication): the server posts its
 * EventLists, the receiver spools and judges them, and the detections come as events happen.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { apiRequest, startControlPlane, type ControlPlane } from '../support/controlplane.js';
import { makeWebhookPki, writeWebhookKubeconfig } from '../support/audit-webhook.js';
import { startAuditReceiver, type Receiver } from '../../src/audit/serve.js';
import type { Detection } from '../../src/audit/analyze.js';

let cp: ControlPlane | undefined;
let receiver: Receiver | undefined;
let tmp: string;
const seen: Detection[] = [];
const batches: Array<{ events: number; spoolMs: number }> = [];

async function waitFor(what: string, f: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; detections: ${seen.map((d) => `${d.id}:${d.objects[0]?.name ?? ''}`).join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('audit webhook receiver with the real kube-apiserver', { timeout: 10 * 60_000 }, () => {
  before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-audit-webhook-'));
    const pki = makeWebhookPki(path.join(tmp, 'pki'));
    receiver = await startAuditReceiver({
      host: '127.0.0.1',
      port: 0,
      tlsCert: readFileSync(pki.serverCert),
      tlsKey: readFileSync(pki.serverKey),
      clientCa: readFileSync(pki.ca),
      spoolDir: path.join(tmp, 'spool'),
      onDetection: (d) => void seen.push(d),
      onBatch: (b) => void batches.push(b),
    });
    const kc = path.join(tmp, 'webhook.kubeconfig');
    writeWebhookKubeconfig(kc, `${receiver.url}/audit`, pki, 'cert');
    cp = await startControlPlane({ extraApiserverArgs: [`--audit-webhook-config-file=${kc}`, '--audit-webhook-batch-max-wait=200ms', '--audit-webhook-initial-backoff=1s'] });
  });

  after(async () => {
    await cp?.stop();
    await receiver?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('receives the server\'s batches and reports detections as they happen', async () => {
    const ns = 'webhook-shop';
    assert.equal((await apiRequest(cp!, 'admin', 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })).status, 201);
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'root-shell' }, spec: { hostPID: true, containers: [{ name: 'c', image: 'registry.example/tools:1.0', securityContext: { privileged: true } }] } };
    assert.equal((await apiRequest(cp!, 'admin', 'POST', `/api/v1/namespaces/${ns}/pods`, pod)).status, 201);
    await waitFor('the privileged pod', () => seen.some((d) => d.id === 'KOR-0901' && d.objects[0]?.name === 'root-shell'));
    const crb = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'webhook-admin' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' }] };
    assert.equal((await apiRequest(cp!, 'admin', 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', crb)).status, 201);
    await waitFor('the cluster-admin binding', () => seen.some((d) => d.id === 'KOR-0914' && d.objects[0]?.name === 'webhook-admin'));
    // alice uses it
    let st = 0;
    for (let i = 0; i < 50 && st !== 200; i++) {
      st = (await apiRequest(cp!, 'alice', 'GET', `/api/v1/namespaces/${ns}/secrets`)).status;
      if (st !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(st, 200);
    await waitFor('the binding used', () => seen.some((d) => d.id === 'KOR-0950' && d.actor.username === 'alice'));
    assert.ok(seen.some((d) => d.id === 'KOR-0903' && d.objects[0]?.name === 'root-shell'));
    assert.ok(receiver!.stats.batches > 0);
    assert.equal(receiver!.stats.rejected.unauthorized ?? 0, 0);
    // every accepted batch was judged and removed from the spool
    await receiver!.drain();
    assert.deepEqual(readdirSync(path.join(tmp, 'spool')).filter((f) => f.startsWith('batch-')), []);
    assert.ok(batches.every((b) => b.spoolMs < 1000));
  });
});
