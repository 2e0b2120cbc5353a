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
