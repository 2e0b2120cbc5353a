/**
 * KOR-0110 on objects read from a cluster: the ServiceAccount admission plugin writes
 * `serviceAccountName: default` into every Pod that named none, so a live Pod with it is not
 * known to have asked for it "explicitly". Manifests say what their authors wrote.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Inventory } from '../../src/inventory/inventory.js';
import { scanInventory } from '../../src/scan.js';
import type { K8sObject, Origin } from '../../src/inventory/types.js';

const pod: K8sObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' }, spec: { serviceAccountName: 'default', containers: [{ name: 'c', image: 'registry.example/x:1' }] } };

function messageFor(via: Origin['via']): string | undefined {
  const inv = new Inventory([{ object: structuredClone(pod), origin: { source: 'x', documentIndex: 0, itemPointer: '', line: 1, column: 1, via } }]);
  return scanInventory(inv, ['x']).findings.find((f) => f.controlId === 'KOR-0110')?.message;
}

test('KOR-0110: a live Pod naming "default" is not said to ask for it explicitly; a manifest is', () => {
  assert.match(messageFor('snapshot') ?? '', /read from the cluster: the API server names it/);
  assert.match(messageFor('cluster') ?? '', /read from the cluster/);
  assert.match(messageFor('file') ?? '', /explicitly runs as the "default" service account/);
});

test('KOR-0108, KOR-0110, KOR-0144: a static pod\'s mirror (kubelet-made, owned by its Node) has no token, no service account and no controller; an ordinary pod is judged', () => {
  const scan = (metadata: Record<string, unknown>) => {
    const p: K8sObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'kube-apiserver-cp1', namespace: 'kube-system', ...metadata }, spec: { containers: [{ name: 'kube-apiserver', image: 'registry.k8s.io/kube-apiserver:v1.35.4' }] } };
    const inv = new Inventory([{ object: p, origin: { source: 'x', documentIndex: 0, itemPointer: '', line: 1, column: 1, via: 'snapshot' } }]);
    const ids = scanInventory(inv, ['x']).findings.map((f) => f.controlId);
    return ['KOR-0108', 'KOR-0110', 'KOR-0144'].map((id) => ids.filter((x) => x === id).length);
  };
  // token mounted, default service account, no controller: none holds for a static pod
  assert.deepEqual(scan({ annotations: { 'kubernetes.io/config.mirror': 'f1c2', 'kubernetes.io/config.source': 'file' } }), [0, 0, 0]);
  assert.deepEqual(scan({ ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'cp1', uid: 'u', controller: true }] }), [0, 0, 0]);
  assert.deepEqual(scan({}), [1, 1, 1]);
});
